"""The rows and columns of each exported list, written as CSV or XLSX.

Column headers are the ones the importer recognises, so an exported file imports again as is.
Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from .. import selectors
from ..forms import RequisitionFilterForm
from ..models import ACTIVE_STATUSES
from .models import ExportKind

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def _display(field: str) -> Callable[[Any], Any]:
    return lambda obj: getattr(obj, f"get_{field}_display")()


COLUMNS: dict[str, tuple[Column, ...]] = {
    ExportKind.REQUISITIONS: (
        Column("External id", lambda r: r.external_id),
        Column("Title", lambda r: r.title),
        Column("Department", lambda r: r.department),
        Column("Location", lambda r: r.location),
        Column("Country", lambda r: r.country),
        Column("Seniority", _display("seniority")),
        Column("Band", lambda r: r.band),
        Column("Openings", lambda r: r.openings),
        Column("Hiring manager email", lambda r: r.hiring_manager.email),
        Column("Hiring manager name", lambda r: r.hiring_manager.name),
        Column("Recruiter email", lambda r: r.recruiter.email),
        Column("Reason", _display("reason")),
        Column("Priority", _display("priority")),
        Column("Target fill date", lambda r: r.target_date),
        Column("Status", _display("status")),
        Column("Programme", lambda r: r.programme.name),
        Column("First opened", lambda r: r.first_opened_at),
        Column("Past target", lambda r: "yes" if getattr(r, "is_overdue", False) else "no"),
        Column("Portal id", lambda r: r.pk),
    ),
    ExportKind.HIRING_MANAGERS: (
        Column("External id", lambda h: h.external_id),
        Column("Name", lambda h: h.name),
        Column("Email", lambda h: h.email),
        Column("Department", lambda h: h.department),
        Column("Seniority", _display("seniority")),
        Column("Portal id", lambda h: h.pk),
    ),
    ExportKind.CANDIDATES: (
        Column("External id", lambda c: c.external_id),
        Column("Name", lambda c: c.name),
        Column("Email", lambda c: c.email),
        Column("Phone", lambda c: c.phone),
        Column("Source", _display("source")),
        Column("Portal id", lambda c: c.pk),
    ),
    ExportKind.APPLICATIONS: (
        Column("Application id", lambda a: a.external_id),
        Column("Candidate id", lambda a: a.candidate.external_id or a.candidate.email),
        Column("Candidate name", lambda a: a.candidate.name),
        Column("Requisition id", lambda a: a.requisition.external_id),
        Column("Requisition title", lambda a: a.requisition.title),
        Column("Stage", _display("stage")),
        Column("Applied on", lambda a: a.applied_at),
        Column("Stage entered", lambda a: a.stage_entered_at),
        Column("Stage reached", lambda a: a.stage_reached),
        Column("Rejection reason", lambda a: a.outcome_reason),
        Column("Offer accepted date", lambda a: a.accepted_on),
        Column("Start date", lambda a: a.start_date),
        Column("Portal id", lambda a: a.pk),
    ),
}

FILENAMES: dict[str, str] = {
    ExportKind.REQUISITIONS: "requisitions",
    ExportKind.HIRING_MANAGERS: "hiring-managers",
    ExportKind.CANDIDATES: "candidates",
    ExportKind.APPLICATIONS: "applications",
}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def queryset_for(kind: str, filters: dict[str, str]) -> QuerySet[Any]:
    """The list's rows under the same filters as its page (`filters` is its query string)."""
    if kind == ExportKind.REQUISITIONS:
        form = RequisitionFilterForm(
            QueryDict(mutable=True) if not filters else _querydict(filters),
            countries=selectors.requisition_countries(),
        )
        data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
        status = data.get("status") or ""
        return selectors.requisition_list(
            selectors.RequisitionFilters(
                status=None
                if status == "all"
                else [status]
                if status
                else [s.value for s in ACTIVE_STATUSES],
                recruiter=data.get("recruiter"),
                hiring_manager=data.get("hiring_manager"),
                country=data.get("country") or "",
                overdue=bool(data.get("overdue")),
                flagged=bool(data.get("flagged")),
                q=data.get("q") or "",
                ordering=data.get("ordering") or selectors.DEFAULT_REQUISITION_ORDERING,
            )
        )
    if kind == ExportKind.HIRING_MANAGERS:
        return selectors.hiring_manager_list()
    if kind == ExportKind.CANDIDATES:
        return selectors.candidate_list(q=filters.get("q", ""), source=filters.get("source", ""))
    return selectors.application_list(
        requisition=_int(filters.get("requisition")),
        candidate=_int(filters.get("candidate")),
        stage=filters.get("stage", ""),
    ).order_by("requisition_id", "id")


def _querydict(filters: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in filters.items():
        query[key] = value
    return query


def _safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows(kind: str, queryset: QuerySet[Any]) -> Iterator[list[Any]]:
    columns = COLUMNS[kind]
    iterator: Iterable[Any] = queryset.iterator(chunk_size=CHUNK)
    for obj in iterator:
        yield [_safe(column.value(obj)) for column in columns]


def headers(kind: str) -> list[str]:
    return [column.header for column in COLUMNS[kind]]


def write_csv(kind: str, queryset: QuerySet[Any], out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(headers(kind))
    count = 0
    for row in rows(kind, queryset):
        writer.writerow(
            [
                v.isoformat(sep=" ")
                if isinstance(v, datetime)
                else v.isoformat()
                if isinstance(v, date)
                else v
                for v in row
            ]
        )
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(kind: str, queryset: QuerySet[Any], out: IO[bytes]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(FILENAMES[kind])
    sheet.append(headers(kind))
    count = 0
    for row in rows(kind, queryset):
        sheet.append(row)
        count += 1
    workbook.save(out)
    return count


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
