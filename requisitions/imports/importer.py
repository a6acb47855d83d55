"""Staging a file's rows and importing them a batch at a time.

Guarantees: each row is imported whole or not at all (its writes run in a savepoint, or are
validated before one bulk write); a rejected row changes nothing stored before; a row whose
external id (or email) appeared earlier in the file is rejected as a duplicate of that row;
a row whose external id exists already updates that record instead of adding another.

Hiring managers and candidates have no state machine: a batch is validated with the models'
own rules (`full_clean`) and written with one bulk insert and one bulk update. Requisitions and
applications go through the services row by row, so their status and stage rules and their
events are the ones every other writer gets.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from rpo_portal.accounts.models import User
from rpo_portal.tenancy.context import require_organisation
from rpo_portal.tenancy.models import Membership, Role

from .. import services
from ..models import (
    CLOSED_STAGES,
    PIPELINE,
    Application,
    Candidate,
    HiringManager,
    Requisition,
    RequisitionStatus,
    Stage,
)
from . import fields
from .models import ImportJob, ImportKind, ImportRow, RowOutcome
from .parsing import read_rows
from .values import (
    RowRejected,
    parse_choice,
    parse_country,
    parse_date,
    parse_datetime,
    parse_int,
)

STAGE_BATCH = 2000


def _email(value: str) -> str:
    return value.strip().lower()


def _dedupe_keys(
    kind: str, cells: dict[str, str], mapping: dict[str, str]
) -> list[tuple[str, str]]:
    """(target, key) pairs that must be unique within one file."""
    keys = []
    external_id = cells.get(mapping.get("external_id", ""), "").strip()
    if external_id:
        keys.append(("external_id", external_id))
    if kind in (ImportKind.HIRING_MANAGERS, ImportKind.CANDIDATES):
        email = _email(cells.get(mapping.get("email", ""), ""))
        if email:
            keys.append(("email", email))
    return keys


def stage_rows(job: ImportJob) -> int:
    """Read the file once into ImportRow rows; duplicates inside the file are rejected here."""
    seen: dict[tuple[str, str], int] = {}
    pending: list[ImportRow] = []
    total = rejected = 0
    with job.file.open("rb") as stream:
        _headers, rows = read_rows(stream, job.file_format)
        for number, cells in rows:
            row = ImportRow(
                job=job, row_number=number, data=cells, organisation_id=job.organisation_id
            )
            external_id = cells.get(job.mapping.get("external_id", ""), "").strip()
            row.external_id = external_id[:100]
            for target, key in _dedupe_keys(job.kind, cells, job.mapping):
                first = seen.get((target, key))
                if first is not None:
                    row.outcome = RowOutcome.REJECTED
                    row.column = job.mapping[target]
                    row.message = _(
                        "Duplicate: row %(first)s of this file has the same %(what)s “%(key)s”."
                    ) % {
                        "first": first,
                        "what": job.mapping[target],
                        "key": key,
                    }
                    rejected += 1
                    break
            else:
                for target, key in _dedupe_keys(job.kind, cells, job.mapping):
                    seen[(target, key)] = number
            pending.append(row)
            total += 1
            if len(pending) >= STAGE_BATCH:
                ImportRow.objects.bulk_create(pending)
                pending = []
    if pending:
        ImportRow.objects.bulk_create(pending)
    job.total_rows = total
    job.rejected_count = rejected
    return total


# --- Row processing -------------------------------------------------------------------------


class Batch:
    """One batch of rows of one job: cell access by target and the outcome bookkeeping."""

    def __init__(self, job: ImportJob, rows: list[ImportRow]) -> None:
        self.job = job
        self.rows = rows
        self.tz = zoneinfo.ZoneInfo(require_organisation().timezone)
        self.by: User | None = job.created_by

    def cell(self, row: ImportRow, target: str) -> str:
        header = self.job.mapping.get(target)
        return str(row.data.get(header, "")).strip() if header else ""

    def required(self, row: ImportRow, target: str) -> str:
        value = self.cell(row, target)
        if not value:
            raise RowRejected(target, _("This column is required and the cell is empty."))
        return value

    def reject(self, row: ImportRow, target: str, message: str) -> None:
        row.outcome = RowOutcome.REJECTED
        row.column = self.job.mapping.get(target, target) if target else ""
        row.message = message

    def done(self, row: ImportRow, outcome: str, obj: Model, message: str = "") -> None:
        row.outcome = outcome
        row.object_id = obj.pk
        row.column = ""
        row.message = message


def _first_error(exc: ValidationError, known: set[str]) -> tuple[str, str]:
    """(target, message) of a model or service ValidationError."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            messages = [m for e in errors for m in e.messages]
            return (field if field in known else "", " ".join(messages))
    return "", " ".join(exc.messages)


# --- Hiring managers and candidates: validate, then one bulk write --------------------------


def _hiring_manager_values(batch: Batch, row: ImportRow) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": batch.required(row, "name"),
        "email": _email(batch.required(row, "email")),
        "external_id": batch.cell(row, "external_id"),
    }
    if batch.cell(row, "department"):
        values["department"] = batch.cell(row, "department")
    if batch.cell(row, "seniority"):
        values["seniority"] = parse_choice(
            "seniority",
            batch.cell(row, "seniority"),
            fields.HM_SENIORITIES,
            [str(label) for label in _labels("seniority", HiringManager)],
        )
    return values


def _candidate_values(batch: Batch, row: ImportRow) -> dict[str, Any]:
    name = batch.cell(row, "name") or " ".join(
        part for part in (batch.cell(row, "first_name"), batch.cell(row, "last_name")) if part
    )
    if not name:
        target = "name" if batch.job.mapping.get("name") else "first_name"
        raise RowRejected(target, _("The candidate's name is empty."))
    values: dict[str, Any] = {
        "name": name,
        "email": _email(batch.cell(row, "email")),
        "external_id": batch.cell(row, "external_id"),
    }
    if batch.cell(row, "phone"):
        values["phone"] = batch.cell(row, "phone")
    if batch.cell(row, "source"):
        values["source"] = parse_choice(
            "source",
            batch.cell(row, "source"),
            fields.SOURCES,
            [str(label) for label in _labels("source", Candidate)],
        )
    return values


@functools.cache
def _labels(field: str, model: type[Model]) -> list[str]:
    choices = getattr(model._meta.get_field(field), "choices", None) or []
    return [str(label) for _value, label in choices]


def _bulk_contacts(batch: Batch, model: type[HiringManager] | type[Candidate]) -> None:
    """Hiring managers or candidates: matched by external id, else by email."""
    values_for: Callable[[Batch, ImportRow], dict[str, Any]] = (
        _hiring_manager_values if model is HiringManager else _candidate_values
    )
    parsed: list[tuple[ImportRow, dict[str, Any]]] = []
    for row in batch.rows:
        try:
            parsed.append((row, values_for(batch, row)))
        except RowRejected as exc:
            batch.reject(row, exc.target, exc.message)
    ids = {v["external_id"] for _r, v in parsed if v["external_id"]}
    emails = {v["email"] for _r, v in parsed if v["email"]}
    by_id = {o.external_id: o for o in model.objects.filter(external_id__in=ids)} if ids else {}
    by_email = {o.email: o for o in model.objects.filter(email__in=emails)} if emails else {}
    known = fields.target_names(batch.job.kind)
    creates: list[tuple[ImportRow, Model]] = []
    updates: list[tuple[ImportRow, Model]] = []
    for row, values in parsed:
        existing = by_id.get(values["external_id"]) if values["external_id"] else None
        if existing is None and values["email"]:
            existing = by_email.get(values["email"])
            if existing is not None and existing.external_id and values["external_id"]:
                batch.reject(
                    row,
                    "email",
                    _("“%(email)s” already belongs to a record with external id %(id)s.")
                    % {"email": values["email"], "id": existing.external_id},
                )
                continue
        elif existing is not None and values["email"]:
            other = by_email.get(values["email"])
            if other is not None and other.pk != existing.pk:
                batch.reject(
                    row, "email", _("“%(email)s” already belongs to another record.") % values
                )
                continue
        obj = existing or model(organisation_id=batch.job.organisation_id)
        for name, value in values.items():
            if name == "external_id" and not value and existing is not None:
                continue  # a file without ids keeps the ids stored before
            setattr(obj, name, value)
        try:
            # The organisation is the scope's (no per-row existence query); uniqueness was
            # settled above against the stored rows and the file.
            obj.full_clean(
                exclude=["organisation"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            target, message = _first_error(exc, known)
            batch.reject(row, target, message)
            if existing is not None:
                existing.refresh_from_db()
            continue
        (updates if existing is not None else creates).append((row, obj))
    try:
        with transaction.atomic():
            model.objects.bulk_create([obj for _r, obj in creates])
            if updates:
                names = [
                    n
                    for n in (
                        "name",
                        "email",
                        "department",
                        "seniority",
                        "phone",
                        "source",
                        "external_id",
                    )
                    if hasattr(model, n)
                ]
                now = timezone.now()
                for _r, obj in updates:
                    obj.updated_at = now  # type: ignore[attr-defined]
                model.objects.bulk_update([obj for _r, obj in updates], [*names, "updated_at"])
    except IntegrityError:
        # A concurrent writer took an email or id meanwhile: redo the batch row by row.
        _contacts_row_by_row(batch, model, creates + updates)
        return
    for row, obj in creates:
        batch.done(row, RowOutcome.IMPORTED, obj)
    for row, obj in updates:
        batch.done(row, RowOutcome.UPDATED, obj)


def _contacts_row_by_row(
    batch: Batch, model: type[HiringManager] | type[Candidate], pairs: list[tuple[ImportRow, Any]]
) -> None:
    known = fields.target_names(batch.job.kind)
    for row, obj in pairs:
        data = {n: getattr(obj, n) for n in fields.target_names(batch.job.kind) if hasattr(obj, n)}
        saved: Model
        try:
            with transaction.atomic():
                if obj.pk:
                    fresh = model.objects.get(pk=obj.pk)
                    if model is HiringManager:
                        saved = services.hiring_manager_update(hiring_manager=fresh, **data)
                    else:
                        saved = services.candidate_update(candidate=fresh, **data)
                    batch.done(row, RowOutcome.UPDATED, saved)
                else:
                    if model is HiringManager:
                        saved = services.hiring_manager_create(**data)
                    else:
                        saved = services.candidate_create(**data)
                    batch.done(row, RowOutcome.IMPORTED, saved)
        except (ValidationError, IntegrityError) as exc:
            if isinstance(exc, ValidationError):
                target, message = _first_error(exc, known)
            else:
                target, message = "", _("Another record already has this email or external id.")
            batch.reject(row, target, message)


# --- Requisitions: one row at a time through the services -----------------------------------


def _lookup_hiring_managers(keys: set[str]) -> dict[str, HiringManager]:
    """key (external id, lower-case email or name) -> hiring manager; ambiguous names left out."""
    if not keys:
        return {}
    lowered = {k.lower() for k in keys}
    found: dict[str, HiringManager] = {}
    names: dict[str, list[HiringManager]] = {}
    for hm in (
        HiringManager.objects.filter(external_id__in=keys)
        | HiringManager.objects.filter(email__in=lowered)
        | HiringManager.objects.filter(name__in=keys)
    ):
        if hm.external_id:
            found[hm.external_id] = hm
        found[hm.email] = hm
        names.setdefault(hm.name.lower(), []).append(hm)
    for name, managers in names.items():
        if len(managers) == 1:
            found.setdefault(name, managers[0])
    return found


def _recruiters() -> dict[str, User]:
    users = User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.RECRUITER).values("user_id")
    )
    table: dict[str, User] = {}
    for user in users:
        table[user.email.lower()] = user
        if user.full_name:
            table.setdefault(user.full_name.lower(), user)
    return table


def _requisition_rows(batch: Batch) -> None:
    job = batch.job
    programme = Programme.objects.get(pk=job.options["programme"])
    default_recruiter = User.objects.filter(pk=job.options.get("recruiter")).first()
    hm_keys = {
        batch.cell(r, "hiring_manager") for r in batch.rows if batch.cell(r, "hiring_manager")
    }
    managers = _lookup_hiring_managers(hm_keys)
    recruiters = _recruiters()
    ids = {r.external_id for r in batch.rows if r.external_id}
    existing = {r.external_id: r for r in Requisition.objects.filter(external_id__in=ids)}
    known = fields.target_names(job.kind) | {"programme"}
    for row in batch.rows:
        try:
            values = _requisition_values(batch, row, managers, recruiters, default_recruiter)
            status = values.pop("status", None)
            with transaction.atomic():
                current = existing.get(values["external_id"])
                if current is not None:
                    requisition = services.requisition_update(
                        requisition=current, by=batch.by, **values
                    )
                    if status and status != requisition.status:
                        requisition = services.requisition_change_status(
                            requisition=requisition,
                            status=status,
                            reason=_("Changed by an import."),
                            by=batch.by,
                        )
                    outcome = RowOutcome.UPDATED
                else:
                    requisition = services.requisition_create(
                        programme=programme,
                        open_now=status in ("open", "on_hold"),
                        by=batch.by,
                        **values,
                    )
                    if status in ("on_hold", "cancelled"):
                        requisition = services.requisition_change_status(
                            requisition=requisition,
                            status=status,
                            reason=_("Imported as %(status)s.")
                            % {"status": RequisitionStatus(status).label.lower()},
                            by=batch.by,
                        )
                    existing[requisition.external_id] = requisition
                    outcome = RowOutcome.IMPORTED
            batch.done(row, outcome, requisition)
        except RowRejected as exc:
            batch.reject(row, exc.target, exc.message)
        except ValidationError as exc:
            target, message = _first_error(exc, known)
            batch.reject(row, target, message)


def _requisition_values(
    batch: Batch,
    row: ImportRow,
    managers: dict[str, HiringManager],
    recruiters: dict[str, User],
    default_recruiter: User | None,
) -> dict[str, Any]:
    hm_key = batch.required(row, "hiring_manager")
    hiring_manager = managers.get(hm_key) or managers.get(hm_key.lower())
    if hiring_manager is None:
        raise RowRejected(
            "hiring_manager",
            _(
                "Unknown hiring manager “%(value)s”: import or add the hiring manager first "
                "(matched by external id, email or name)."
            )
            % {"value": hm_key},
        )
    recruiter = default_recruiter
    recruiter_key = batch.cell(row, "recruiter")
    if recruiter_key:
        recruiter = recruiters.get(recruiter_key.lower())
        if recruiter is None:
            raise RowRejected(
                "recruiter",
                _("“%(value)s” is not a member with the recruiter role.")
                % {"value": recruiter_key},
            )
    if recruiter is None:
        raise RowRejected(
            "recruiter", _("No recruiter in the row and no default recruiter chosen.")
        )
    values: dict[str, Any] = {
        "external_id": batch.required(row, "external_id"),
        "title": batch.required(row, "title"),
        "location": batch.required(row, "location"),
        "country": parse_country("country", batch.required(row, "country")),
        "hiring_manager": hiring_manager,
        "recruiter": recruiter,
        "target_date": parse_date("target_date", batch.required(row, "target_date")),
    }
    if batch.cell(row, "department"):
        values["department"] = batch.cell(row, "department")
    if batch.cell(row, "band"):
        values["band"] = batch.cell(row, "band")
    if batch.cell(row, "openings"):
        values["openings"] = parse_int("openings", batch.cell(row, "openings"), minimum=1)
    if batch.cell(row, "seniority"):
        values["seniority"] = parse_choice(
            "seniority",
            batch.cell(row, "seniority"),
            fields.REQ_SENIORITIES,
            _labels("seniority", Requisition),
        )
    if batch.cell(row, "reason"):
        values["reason"] = parse_choice(
            "reason", batch.cell(row, "reason"), fields.REASONS, _labels("reason", Requisition)
        )
    if batch.cell(row, "priority"):
        values["priority"] = parse_choice(
            "priority",
            batch.cell(row, "priority"),
            fields.PRIORITIES,
            _labels("priority", Requisition),
        )
    if batch.cell(row, "status"):
        values["status"] = parse_choice(
            "status",
            batch.cell(row, "status"),
            fields.REQUISITION_STATUSES,
            ["draft", "open", "on hold", "cancelled", "filled"],
        )
    return values


# --- Applications: created and moved through the services -----------------------------------


def _stage_path(target: str, reached: str) -> list[str]:
    """The moves from `applied` to `target` the pipeline allows (skipping ahead to offer)."""
    if target in CLOSED_STAGES:
        return [*_stage_path(reached, ""), target] if reached else [target]
    index = PIPELINE.index(Stage(target))
    path: list[str] = []
    if index >= PIPELINE.index(Stage.OFFER) and target != Stage.OFFER:
        path.append(Stage.OFFER)
        path += [s for s in PIPELINE[PIPELINE.index(Stage.ACCEPTED) : index + 1]]
    elif target != Stage.APPLIED:
        path.append(target)
    return path


def _application_rows(batch: Batch) -> None:
    job = batch.job
    candidate_keys = {batch.cell(r, "candidate") for r in batch.rows if batch.cell(r, "candidate")}
    requisition_keys = {
        batch.cell(r, "requisition") for r in batch.rows if batch.cell(r, "requisition")
    }
    candidates: dict[str, Candidate] = {}
    for candidate in Candidate.objects.filter(
        external_id__in=candidate_keys
    ) | Candidate.objects.filter(email__in={k.lower() for k in candidate_keys}):
        candidates[candidate.email] = candidate
        if candidate.external_id:
            candidates[candidate.external_id] = candidate
    requisitions = {
        r.external_id: r for r in Requisition.objects.filter(external_id__in=requisition_keys)
    }
    ids = {r.external_id for r in batch.rows if r.external_id}
    existing = {a.external_id: a for a in Application.objects.filter(external_id__in=ids)}
    known = fields.target_names(job.kind) | {"stage"}
    stage_labels = [str(label) for _v, label in Stage.choices]
    for row in batch.rows:
        try:
            external_id = batch.required(row, "external_id")
            key = batch.required(row, "candidate")
            candidate = candidates.get(key) or candidates.get(key.lower())
            if candidate is None:
                raise RowRejected(
                    "candidate",
                    _(
                        "Unknown candidate “%(value)s”: import the candidates first (matched by "
                        "external id or email)."
                    )
                    % {"value": key},
                )
            req_key = batch.required(row, "requisition")
            requisition = requisitions.get(req_key)
            if requisition is None:
                raise RowRejected(
                    "requisition",
                    _(
                        "Unknown requisition “%(value)s”: import the requisitions first (matched by "
                        "external id)."
                    )
                    % {"value": req_key},
                )
            stage = (
                parse_choice("stage", batch.cell(row, "stage"), fields.STAGES, stage_labels)
                if batch.cell(row, "stage")
                else Stage.APPLIED
            )
            reached = ""
            if stage in CLOSED_STAGES and batch.cell(row, "stage_reached"):
                reached = parse_choice(
                    "stage_reached", batch.cell(row, "stage_reached"), fields.STAGES, stage_labels
                )
                if reached in CLOSED_STAGES or reached in (Stage.ACCEPTED, Stage.STARTED):
                    raise RowRejected(
                        "stage_reached",
                        _("The stage reached must be applied, screening, interview or offer."),
                    )
            applied_at = (
                parse_datetime("applied_at", batch.cell(row, "applied_at"), batch.tz)
                if batch.cell(row, "applied_at")
                else None
            )
            accepted_on = (
                parse_date("accepted_on", batch.cell(row, "accepted_on"))
                if batch.cell(row, "accepted_on")
                else None
            )
            start_date = (
                parse_date("start_date", batch.cell(row, "start_date"))
                if batch.cell(row, "start_date")
                else None
            )
            reason = batch.cell(row, "reason")
            if stage in CLOSED_STAGES and not reason:
                raise RowRejected(
                    "reason", _("A rejected or withdrawn application needs a reason.")
                )
            if stage in (Stage.ACCEPTED, Stage.STARTED) and start_date is None:
                raise RowRejected("start_date", _("An accepted offer needs its start date."))
            with transaction.atomic():
                application = existing.get(external_id)
                if application is None:
                    application = services.application_create(
                        candidate=candidate,
                        requisition=requisition,
                        by=batch.by,
                        at=applied_at,
                        external_id=external_id,
                    )
                    outcome = RowOutcome.IMPORTED
                    path = _stage_path(stage, reached)
                else:
                    if (
                        application.requisition_id != requisition.pk
                        or application.candidate_id != candidate.pk
                    ):
                        raise RowRejected(
                            "requisition",
                            _("Application %(id)s exists for another candidate or requisition.")
                            % {"id": external_id},
                        )
                    outcome = RowOutcome.UPDATED
                    path = [] if stage == application.stage else [stage]
                for step in path:
                    application = services.application_move(
                        application=application,
                        stage=step,
                        reason=reason if step in CLOSED_STAGES else _("Changed by an import."),
                        by=batch.by,
                        at=applied_at if outcome == RowOutcome.IMPORTED else None,
                        accepted_on=accepted_on,
                        start_date=start_date,
                    )
            existing[external_id] = application
            batch.done(row, outcome, application)
        except RowRejected as exc:
            batch.reject(row, exc.target, exc.message)
        except ValidationError as exc:
            target, message = _first_error(exc, known)
            batch.reject(row, target, message)


PROCESSORS: dict[str, Callable[[Batch], None]] = {
    ImportKind.HIRING_MANAGERS: lambda batch: _bulk_contacts(batch, HiringManager),
    ImportKind.CANDIDATES: lambda batch: _bulk_contacts(batch, Candidate),
    ImportKind.REQUISITIONS: _requisition_rows,
    ImportKind.APPLICATIONS: _application_rows,
}


OUTCOMES_SQL = """
UPDATE requisitions_importrow AS r
SET outcome = v.outcome, "column" = v.col, message = v.message, object_id = v.object_id
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::bigint[])
    AS v(id, outcome, col, message, object_id)
WHERE r.id = v.id AND r.organisation_id = %s
"""


def _save_outcomes(rows: list[ImportRow]) -> None:
    """Write the rows' outcomes in one statement (bulk_update's CASE per row is far slower)."""
    if connection.vendor != "postgresql":
        ImportRow.objects.bulk_update(rows, ["outcome", "column", "message", "object_id"])
        return
    with connection.cursor() as cursor:
        cursor.execute(
            OUTCOMES_SQL,
            [
                [r.pk for r in rows],
                [r.outcome for r in rows],
                [r.column for r in rows],
                [r.message for r in rows],
                [r.object_id for r in rows],
                require_organisation().pk,
            ],
        )


def process_batch(job: ImportJob, rows: list[ImportRow]) -> dict[str, int]:
    """Import the pending rows of one batch; returns the outcome counts of the whole batch."""
    pending = [r for r in rows if r.outcome == RowOutcome.PENDING]
    if pending:
        PROCESSORS[job.kind](Batch(job, pending))
        _save_outcomes(pending)
    counts: dict[str, int] = {RowOutcome.IMPORTED: 0, RowOutcome.UPDATED: 0, RowOutcome.REJECTED: 0}
    for row in pending:
        counts[row.outcome] = counts.get(row.outcome, 0) + 1
    return counts
