"""Bare baselines: the list endpoints' own SQL through a raw cursor, rows dumped as JSON.

The SQL is what the API runs for its first page (the selector's queryset ordered as the cursor
paginator orders it, 51 rows; for requisitions also the grouped per-stage counts of the page),
compiled once per organisation and then executed as plain SQL: no ORM, no DRF, no serializer.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse

from requisitions import selectors
from requisitions.models import Application

PAGE = 50
_compiled: dict[tuple[str, int], tuple[str, Any]] = {}


def _sql(name: str, organisation_id: int, build: Any) -> tuple[str, Any]:
    key = (name, organisation_id)
    if key not in _compiled:
        _compiled[key] = build().query.sql_with_params()
    return _compiled[key]


def _rows(sql: str, params: Any) -> tuple[list[str], list[tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return columns, cursor.fetchall()


def _json(columns: list[str], rows: list[tuple[Any, ...]], **extra: Any) -> HttpResponse:
    body = {
        "next": None,
        "previous": None,
        "results": [dict(zip(columns, r, strict=True)) for r in rows],
    }
    body.update(extra)
    return HttpResponse(json.dumps(body, default=str), content_type="application/json")


def raw_requisitions(request: HttpRequest, org_slug: str) -> HttpResponse:
    org_id = request.organisation.pk  # type: ignore[attr-defined]
    sql, params = _sql(
        "requisitions", org_id, lambda: selectors.requisition_list().order_by("-id")[: PAGE + 1]
    )
    columns, rows = _rows(sql, params)
    page = rows[:PAGE]
    ids = [r[0] for r in page]
    counts_sql, counts_params = _sql(
        "stage_counts",
        org_id,
        lambda: (
            Application.objects.filter(requisition_id__in=ids)
            .values_list("requisition_id", "stage")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    )
    # Same statement, this page's ids (the first page is the same page on every request).
    _counts_columns, counts = _rows(counts_sql, counts_params)
    return _json(columns, page, stage_counts=[list(c) for c in counts])


def raw_applications(request: HttpRequest, org_slug: str) -> HttpResponse:
    org_id = request.organisation.pk  # type: ignore[attr-defined]
    sql, params = _sql(
        "applications", org_id, lambda: selectors.application_list().order_by("-id")[: PAGE + 1]
    )
    columns, rows = _rows(sql, params)
    return _json(columns, rows[:PAGE])
