"""A tenant's lists cost the same whatever its neighbours hold.

Two large tenants side by side (20,000 requisitions and applications each, 3,000 risks and
improvements; the first tenant's ids are all older than the second's). The SQL that each
tenant's list pages, list endpoints and pipeline board really run (captured from real requests)
is run under `EXPLAIN (ANALYZE, BUFFERS)` as the runtime role in that tenant's context. A scan
whose index condition does not pin the organisation may read rows of another tenant and throw
them away: its `Rows Removed by Filter` must stay within one page (50 rows). A sequential scan
of a large table fails outright.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.models import Improvement, Programme, Risk
from requisitions.models import Requisition
from tests.conftest import Tenant, owner_connect
from tests.requisitions.test_explain import _captured_selects, _nodes, forced_table_scans

PAGE = 50
ROWS = 20_000
LARGE_TABLES = {
    "requisitions_requisition",
    "requisitions_application",
    "requisitions_candidate",
    "requisitions_applicationevent",
    "requisitions_requisitionevent",
    "requisitions_kickoff",
    "requisitions_hiringmanager",
    "programmes_risk",
    "programmes_improvement",
}


def _seed_backlog(tenant: Tenant, rows: int) -> Programme:
    with tenant.scope():
        programme = Programme.objects.order_by("id").first() or Programme.objects.create(
            name="Programme"
        )
        Risk.objects.bulk_create(
            Risk(
                programme=programme,
                organisation=tenant.organisation,
                title=f"Risk {i}",
                likelihood=1 + i % 5,
                impact=1 + (i // 5) % 5,
                process_area="selection",
            )
            for i in range(rows)
        )
        Improvement.objects.bulk_create(
            Improvement(
                programme=programme,
                organisation=tenant.organisation,
                title=f"Improvement {i}",
                process_area="selection",
                priority=i % 4,
            )
            for i in range(rows)
        )
    return programme


@pytest.fixture
def neighbours(transactional_db: None) -> Iterator[list[tuple[Tenant, Programme]]]:
    tenants = []
    for slug in ("firstco", "secondco"):
        tenant = Tenant(slug)
        call_command("seed_scale", org=slug, requisitions=ROWS, applications=ROWS)
        tenants.append((tenant, _seed_backlog(tenant, 3_000)))
    with owner_connect() as conn:
        conn.execute("ANALYZE")
    yield tenants


def neighbour_reads(sql: str) -> tuple[list[str], int]:
    """The scans that may read other tenants' rows beyond a page, and the buffers touched."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
    bad = []
    for node in _nodes(plan):
        table = node.get("Relation Name")
        if table not in LARGE_TABLES:
            continue
        condition = node.get("Index Cond", "") + node.get("Recheck Cond", "")
        removed = node.get("Rows Removed by Filter", 0) * node.get("Actual Loops", 1)
        if node["Node Type"] == "Seq Scan":
            bad.append(f"Seq Scan on {table} (removed {removed} rows)")
        elif "organisation_id" not in condition and removed > PAGE:
            bad.append(
                f"{node['Node Type']} on {table} using {node.get('Index Name')}: "
                f"{removed} rows removed by filter ({condition or 'no index condition'})"
            )
    buffers = plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0)
    return bad, buffers


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_each_large_tenants_lists_read_no_more_than_a_page_of_their_neighbours(neighbours, client):
    failures: dict[str, list[str]] = {}
    measured = 0
    for tenant, programme in neighbours:
        with tenant.scope():
            assert Requisition.objects.count() == ROWS
            requisition = Requisition.objects.filter(applications__isnull=False).order_by("id")[0]
        api = APIClient()
        token, _ = Token.objects.get_or_create(user=tenant.lead)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        base = f"/api/v1/orgs/{tenant.slug}"
        statements = _captured_selects(
            api,
            [
                f"{base}/requisitions/",
                f"{base}/requisitions/?status=open",
                f"{base}/applications/",
                f"{base}/applications/?requisition={requisition.pk}",
                f"{base}/candidates/",
                f"{base}/hiring-managers/",
                f"{base}/risks/",
                f"{base}/improvements/",
            ],
            tables=LARGE_TABLES,
        )
        client.force_login(tenant.lead)
        ui = f"/orgs/{tenant.slug}"
        statements += _captured_selects(
            client,
            [
                f"{ui}/requisitions/",
                f"{ui}/requisitions/?status=all&ordering=newest",
                f"{ui}/requisitions/{requisition.pk}/board/",
                f"{ui}/requisitions/candidates/",
                f"{ui}/requisitions/hiring-managers/",
                f"{ui}/programmes/{programme.pk}/risks/",
                f"{ui}/programmes/{programme.pk}/improvements/",
            ],
            tables=LARGE_TABLES,
        )
        with tenant.scope():
            for sql in statements:
                bad, _buffers = neighbour_reads(sql)
                measured += 1
                if bad:
                    failures[f"[{tenant.slug}] {sql[sql.find(' FROM ') :][:300]}"] = bad
            # The check can fail: a plan made to walk the table reads every tenant's rows.
            with forced_table_scans():
                assert neighbour_reads(
                    "SELECT id FROM requisitions_application ORDER BY id DESC LIMIT 50"
                )[0]
    assert measured >= 30
    assert not failures, "\n\n".join(f"{sql}\n  -> {bad}" for sql, bad in failures.items())
