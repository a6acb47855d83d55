"""The rows and columns of each exported list, written as CSV or XLSX.

Column headers are the ones the importer recognises, so an exported file imports again as is.
Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

from typing import IO, Any

from django.db.models import QuerySet
from django.http import QueryDict

from rpo_portal import spreadsheets
from rpo_portal.spreadsheets import Column, display

from .. import selectors
from ..forms import RequisitionFilterForm
from ..models import ACTIVE_STATUSES
from .models import ExportKind

CHUNK = 2000


_display = display


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
        if not form.is_valid():  # as on the page: a filter that cannot apply exports nothing
            return selectors.requisition_list().none()
        data: dict[str, Any] = form.cleaned_data
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
                programme=data.get("programme"),
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
        programme=_int(filters.get("programme")),
        active=filters.get("active") in ("on", "true"),
    ).order_by("requisition_id", "id")


def _querydict(filters: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in filters.items():
        query[key] = value
    return query


def write_csv(kind: str, queryset: QuerySet[Any], out: IO[bytes]) -> int:
    return spreadsheets.write_csv(COLUMNS[kind], queryset.iterator(chunk_size=CHUNK), out)


def write_xlsx(kind: str, queryset: QuerySet[Any], out: IO[bytes]) -> int:
    return spreadsheets.write_xlsx(
        COLUMNS[kind], queryset.iterator(chunk_size=CHUNK), out, sheet=FILENAMES[kind]
    )


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}
CONTENT_TYPES = spreadsheets.CONTENT_TYPES
