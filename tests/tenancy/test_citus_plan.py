"""`citus_plan` places every table from the model registry, parents before children."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from rpo_portal.tenancy.citus import build_plan
from rpo_portal.tenancy.models import TenantOwned


def _models():
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    ]


def test_every_table_is_placed_once_and_tenant_tables_are_distributed():
    plan = build_plan()
    placed = plan.reference + plan.distributed + plan.local
    assert len(placed) == len(set(placed))
    assert set(placed) == {m._meta.db_table for m in _models()}
    assert set(plan.distributed) == {
        m._meta.db_table for m in _models() if issubclass(m, TenantOwned)
    }
    assert {"tenancy_organisation", "accounts_user"} <= set(plan.reference)


def test_parents_are_distributed_before_their_children():
    order = {table: i for i, table in enumerate(build_plan().distributed)}
    for model in _models():
        if not issubclass(model, TenantOwned):
            continue
        for field in model._meta.concrete_fields:
            parent = field.related_model if field.is_relation else None
            if parent is not None and parent is not model and issubclass(parent, TenantOwned):
                assert order[parent._meta.db_table] < order[model._meta.db_table], field


def test_the_command_prints_one_line_per_table_colocated_with_the_first():
    out = StringIO()
    call_command("citus_plan", database="rpo", stdout=out)
    text = out.getvalue()
    plan = build_plan()
    lines = re.findall(
        r"create_distributed_table\('(\w+)', 'organisation_id', colocate_with => '(\w+)'\)", text
    )
    assert [t for t, _ in lines] == plan.distributed
    assert lines[0][1] == "none"
    assert {c for _, c in lines[1:]} == {plan.anchor}
    assert "ALTER DATABASE \"rpo\" SET citus.propagate_set_commands = 'local';" in text


def test_readme_scale_out_section_matches_the_plan():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    plan = build_plan()
    for table in plan.reference:
        assert f"SELECT create_reference_table('{table}');" in readme
    stated = re.search(r"distributes all (\d+) tenant tables", readme)
    assert stated, "README's scale-out section names how many tenant tables are distributed"
    assert int(stated[1]) == len(plan.distributed)
