"""A small tenant's list and board queries never walk a big tenant's rows.

Given a big tenant (20,000 requisitions and applications) beside a small one (20), with fresh
statistics: the SQL that the requisition and application list endpoints and pages and the
pipeline board really run for the small tenant (captured from real requests) is EXPLAINed as
the runtime role inside the small tenant's context. A plan fails when it reads a big table with
a sequential scan, or through an index that does not lead with `organisation_id` (primary-key
probes from a join, one row each, are fine).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requisitions.models import Requisition
from tests.conftest import Tenant, owner_connect

BIG_TABLES = {
    "requisitions_requisition",
    "requisitions_application",
    "requisitions_candidate",
    "requisitions_applicationevent",
    "requisitions_requisitionevent",
    "requisitions_kickoff",
    "requisitions_hiringmanager",
}


@pytest.fixture(params=["big tenant's rows are older", "small tenant's rows are older"])
def skewed(request: Any, transactional_db: None) -> Iterator[tuple[Tenant, Tenant]]:
    big, small = Tenant("bigco"), Tenant("smallco")
    seeds = [("bigco", 20_000), ("smallco", 20)]
    if request.param.startswith("small"):
        # Then "newest first" by id alone walks the big tenant's newer rows before the small
        # tenant's: only an ordering that leads with organisation_id avoids that.
        seeds.reverse()
    for slug, rows in seeds:
        call_command("seed_scale", org=slug, requisitions=rows, applications=rows)
    with owner_connect() as conn:
        conn.execute("ANALYZE")
    yield big, small


def _index_columns() -> dict[str, str]:
    """index name -> its first column."""
    with owner_connect() as conn:
        rows = conn.execute(
            """
            SELECT i.relname, a.attname
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
            """
        ).fetchall()
    return {name: column for name, column in rows}


@contextmanager
def forced_table_scans() -> Iterator[None]:
    """Inside the block, the planner may not use an index (a plan a check must flag)."""
    switches = ("enable_indexscan", "enable_indexonlyscan", "enable_bitmapscan")
    with connection.cursor() as cursor:
        for switch in switches:
            cursor.execute(f"SET LOCAL {switch} = off")
        try:
            yield
        finally:
            for switch in switches:
                cursor.execute(f"SET LOCAL {switch} = on")


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _bad_nodes(sql: str, first_column: dict[str, str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (document,) = cursor.fetchone()
    plan = (json.loads(document) if isinstance(document, str) else document)[0]["Plan"]
    bad = []
    for node in _nodes(plan):
        table = node.get("Relation Name")
        kind = node["Node Type"]
        if kind == "Seq Scan" and table in BIG_TABLES:
            bad.append(f"Seq Scan on {table}")
        index = node.get("Index Name")
        if index and (
            table in BIG_TABLES or index.startswith("requisitions_") or index.startswith("req_")
        ):
            # A primary-key probe (`id = outer.fk`, the inner side of a join) reads one row of
            # this tenant; a walk along the key (no such condition, a Filter on the tenant) is bad.
            probe = index.endswith("_pkey") and "(id = " in node.get("Index Cond", "")
            if first_column.get(index) != "organisation_id" and not probe:
                bad.append(
                    f"{kind} on {table} using {index} (leads with {first_column.get(index)})"
                )
    return bad


def _summary(sql: str) -> str:
    """FROM ... onwards, shortened: enough to tell which query a failure is about."""
    start = sql.find(" FROM ")
    return sql[start : start + 400] if start >= 0 else sql[:400]


def _captured_selects(
    client: Any,
    urls: list[str],
    headers: dict[str, str] | None = None,
    tables: set[str] = BIG_TABLES,
) -> list[str]:
    statements: list[str] = []
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, headers=headers or {})
        assert response.status_code == 200, (url, response.status_code)
        statements += [
            q["sql"]
            for q in captured.captured_queries
            if q["sql"].lstrip().upper().startswith("SELECT")
            and any(table in q["sql"] for table in tables)
        ]
    return statements


@pytest.mark.django_db(transaction=True)
def test_small_tenant_plans_never_scan_the_big_tenant(skewed, client):
    big, small = skewed
    with small.scope():
        requisition = Requisition.objects.filter(applications__isnull=False).order_by("id").first()
        assert requisition is not None
        assert Requisition.objects.count() == 20
    with big.scope():
        assert Requisition.objects.count() == 20_000

    api = APIClient()
    token, _ = Token.objects.get_or_create(user=small.recruiter)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    base = f"/api/v1/orgs/{small.slug}"
    statements = _captured_selects(
        api,
        [
            f"{base}/requisitions/",
            f"{base}/requisitions/?status=open",
            f"{base}/applications/",
            f"{base}/applications/?requisition={requisition.pk}",
        ],
    )
    client.force_login(small.recruiter)
    ui = f"/orgs/{small.slug}/requisitions"
    statements += _captured_selects(
        client, [f"{ui}/", f"{ui}/?status=all&ordering=newest", f"{ui}/{requisition.pk}/board/"]
    )
    assert len(statements) >= 7

    first_column = _index_columns()
    failures = {}
    with small.scope():
        for sql in statements:
            bad = _bad_nodes(sql, first_column)
            if bad:
                failures[_summary(sql)] = bad
        # The check can fail: a plan made to walk the table (no index scans) is flagged.
        with forced_table_scans():
            assert _bad_nodes(
                "SELECT id FROM requisitions_application ORDER BY id DESC LIMIT 51", first_column
            )
    assert not failures, "\n\n".join(f"{sql}\n  -> {bad}" for sql, bad in failures.items())
