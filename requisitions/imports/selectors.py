"""Reads for imports: the organisation's jobs, one job, and its report rows."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ImportJob, ImportRow, RowOutcome


def import_list() -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-id")


def import_get(import_id: int) -> ImportJob:
    return ImportJob.objects.select_related("created_by").get(pk=import_id)


def import_report(job: ImportJob, outcome: str = "") -> QuerySet[ImportRow]:
    """The job's rows in file order (staged but not yet processed rows are `pending`)."""
    rows = ImportRow.objects.filter(job=job).defer("data")
    if outcome in RowOutcome.values:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("row_number")
