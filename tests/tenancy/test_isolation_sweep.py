"""Group 1: the sweep, with both isolation layers on (see tests/tenancy/sweep.py)."""

from __future__ import annotations

import pytest

from tests.sweep_registry import SENTINEL
from tests.tenancy import sweep


@pytest.mark.parametrize("variant", sweep.VARIANTS)
def test_sweep_finds_no_leak(variant, tenant_a, tenant_b):
    sweep.run_sweep(tenant_a, tenant_b, variants=(variant,))


def test_sweep_covers_every_pattern_of_the_root_urlconf(tenant_a):
    leaves = list(sweep.iter_leaves())
    targets = sweep.prepare_targets(tenant_a.organisation)
    assert len(targets) == len(leaves)
    routes = {t.leaf.route for t in targets}
    # UI, API, admin and the public links are all reached through their includes.
    for expected in (
        "orgs/<slug:org_slug>/programmes/",
        "api/v1/orgs/<slug:org_slug>/programmes/<int:programme_id>/",
        "admin/tenancy/organisation/<path:object_id>/change/",
        "s/<str:link_token>/",
    ):
        assert expected in routes


def test_sweep_fails_on_a_pattern_it_cannot_fill(tenant_a, monkeypatch):
    monkeypatch.delitem(sweep.SWEEP_KWARGS, "programme_id")
    with pytest.raises(AssertionError, match=r"programmes/<int:programme_id>/.*programme_id"):
        sweep.prepare_targets(tenant_a.organisation)


def test_sweep_notices_a_leak(tenant_a, tenant_b, monkeypatch):
    """The sweep can fail: a detail view that answers 200 with A's name is reported twice."""
    from rest_framework.response import Response

    from programmes import api

    targets = sweep.prepare_targets(tenant_a.organisation)
    detail = [t for t in targets if t.leaf.name == "api-programme"]
    monkeypatch.setattr(
        api.ProgrammeDetail, "get", lambda self, request, **kw: Response({"name": SENTINEL})
    )
    result = sweep.sweep(
        detail,
        organisation_a=tenant_a.organisation,
        organisation_b=tenant_b.organisation,
        member_of_b=tenant_b.lead,
        variants=("b-member/b-slug",),
    )
    gets = [f for f in result.findings if "] GET " in f]
    assert any("200 for A's slug or objects" in f for f in gets), result.findings
    assert any("sentinel text" in f for f in gets), result.findings
    assert all("] GET" in f for f in result.findings), result.findings
