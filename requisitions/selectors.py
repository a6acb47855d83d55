"""Reads for requisitions, kick-offs, candidates and applications (the organisation in scope).

Querysets come back with what their callers show already joined (`select_related`), so a page
of rows costs a fixed number of queries whatever its length. Per-stage counts for a page of
requisitions are one grouped query (`stage_counts`), never one per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from rpo_portal.accounts.models import User
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.models import Membership, Role

from . import slas
from .models import (
    ACTIVE_STATUSES,
    HIRED_STAGES,
    PIPELINE,
    Application,
    ApplicationEvent,
    Candidate,
    HiringManager,
    KickOff,
    Requisition,
    RequisitionEvent,
    RequisitionEventKind,
    RequisitionStatus,
    Stage,
)

REQUISITION_ORDERINGS: dict[str, tuple[str, ...]] = {
    "target": ("target_date", "id"),
    "-target": ("-target_date", "-id"),
    "priority": ("priority", "target_date", "id"),
    "newest": ("-id",),
    "oldest": ("id",),
    "title": ("title", "id"),
}
DEFAULT_REQUISITION_ORDERING = "target"


def hiring_manager_list() -> QuerySet[HiringManager]:
    return HiringManager.objects.order_by("name", "id")


def recruiter_users() -> QuerySet[User]:
    """Users with the recruiter role in the organisation in scope."""
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.RECRUITER).values("user_id")
    ).order_by("full_name", "email")


def talent_lead_users() -> QuerySet[User]:
    return User.objects.filter(
        pk__in=Membership.objects.filter(role=Role.TALENT_LEAD).values("user_id")
    ).order_by("full_name", "email")


@dataclass
class RequisitionFilters:
    status: list[str] | None = None
    recruiter: int | None = None
    hiring_manager: int | None = None
    programme: int | None = None
    country: str = ""
    overdue: bool = False
    flagged: bool = False
    flag: str = ""  # one service-level flag (slas.FLAGS); `flagged` is any of them
    q: str = ""
    ordering: str = DEFAULT_REQUISITION_ORDERING


def requisition_list(
    filters: RequisitionFilters | None = None, *, now: datetime | None = None
) -> QuerySet[Requisition]:
    """Requisitions with programme, hiring manager and recruiter joined and the SLA flags
    annotated (see `slas.with_flags`)."""
    filters = filters or RequisitionFilters()
    queryset = Requisition.objects.select_related("programme", "hiring_manager", "recruiter")
    if filters.status:
        queryset = queryset.filter(status__in=filters.status)
    if filters.recruiter:
        queryset = queryset.filter(recruiter_id=filters.recruiter)
    if filters.hiring_manager:
        queryset = queryset.filter(hiring_manager_id=filters.hiring_manager)
    if filters.programme:
        queryset = queryset.filter(programme_id=filters.programme)
    if filters.country:
        queryset = queryset.filter(country=filters.country.upper())
    if filters.overdue:
        queryset = queryset.filter(
            status__in=ACTIVE_STATUSES, target_date__lt=organisation_today(now)
        )
    if filters.flagged:
        queryset = queryset.filter(
            slas.stale_q(now) | slas.kickoff_late_q(now) | slas.feedback_overdue_q(now)
        )
    if filters.flag in slas.FLAGS:
        queryset = queryset.filter(slas.FLAGS[filters.flag](now))
    if filters.q:
        term = filters.q.strip()
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(location__icontains=term)
            | Q(department__icontains=term)
            | Q(external_id=term)
        )
    ordering = REQUISITION_ORDERINGS.get(
        filters.ordering, REQUISITION_ORDERINGS[DEFAULT_REQUISITION_ORDERING]
    )
    return slas.with_flags(queryset, now).order_by(*ordering)


def requisition_get(requisition_id: int) -> Requisition:
    """The requisition (or Requisition.DoesNotExist: other tenants' rows are invisible)."""
    return slas.with_flags(
        Requisition.objects.select_related("programme", "hiring_manager", "recruiter")
    ).get(pk=requisition_id)


def overdue_summary(now: datetime | None = None) -> dict[str, int]:
    """Counts for the top of the list: active, overdue against target, and each flag.

    Each count is exactly the rows of the list filtered the same way: `active` is the default
    list, `overdue` is ?overdue=on and each flag is ?flag=<name> (see slas.FLAGS)."""
    today = organisation_today(now)
    return Requisition.objects.aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, target_date__lt=today)),
        stale=Count("pk", filter=slas.stale_q(now)),
        kickoff_late=Count("pk", filter=slas.kickoff_late_q(now)),
        feedback_overdue=Count("pk", filter=slas.feedback_overdue_q(now)),
    )


def stage_counts(requisition_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{requisition id: {stage: applications}} for the given requisitions, in one query."""
    ids = list(requisition_ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if not ids:
        return counts
    rows = (
        Application.objects.filter(requisition_id__in=ids)
        .values_list("requisition_id", "stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for requisition_id, stage, n in rows:
        counts[requisition_id][stage] = n
    return counts


def attach_stage_counts(requisitions: list[Requisition]) -> list[Requisition]:
    """Set `stage_counts`, `in_pipeline` and `hired` on each requisition of a page."""
    counts = stage_counts(r.pk for r in requisitions)
    for requisition in requisitions:
        per_stage = counts.get(requisition.pk, {})
        requisition.stage_counts = {stage.value: per_stage.get(stage.value, 0) for stage in Stage}  # type: ignore[attr-defined]
        requisition.in_pipeline = sum(  # type: ignore[attr-defined]
            per_stage.get(s, 0) for s in PIPELINE if s not in HIRED_STAGES
        )
        requisition.hired = sum(per_stage.get(s, 0) for s in HIRED_STAGES)  # type: ignore[attr-defined]
    return requisitions


# Stages of the live pipeline: candidates still in play (hired and closed ones are not).
IN_FLIGHT_STAGES: tuple[Stage, ...] = tuple(s for s in PIPELINE if s not in HIRED_STAGES)


@dataclass(frozen=True)
class ProgrammeRun:
    """A programme's requisitions at a glance; each figure matches one filtered list."""

    total: int
    draft: int
    open: int
    on_hold: int
    overdue: int
    filled: int
    pipeline: list[tuple[Stage, int]]  # applications on open and on-hold requisitions

    @property
    def running(self) -> bool:
        """Whether recruiting has started: anything open, on hold or filled."""
        return bool(self.open or self.on_hold or self.filled)


def programme_run(programme_id: int, *, now: datetime | None = None) -> ProgrammeRun:
    """Open, on hold, past target (as the list's `overdue` filter) and filled requisitions of
    the programme, and its live pipeline by stage (as `application_list(active=True)`), in two
    queries whatever the number of rows."""
    today = organisation_today(now)
    counts = Requisition.objects.filter(programme_id=programme_id).aggregate(
        total=Count("pk"),
        draft=Count("pk", filter=Q(status=RequisitionStatus.DRAFT)),
        open=Count("pk", filter=Q(status=RequisitionStatus.OPEN)),
        on_hold=Count("pk", filter=Q(status=RequisitionStatus.ON_HOLD)),
        overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, target_date__lt=today)),
        filled=Count("pk", filter=Q(status=RequisitionStatus.FILLED)),
    )
    by_stage = dict(
        application_list(programme=programme_id, active=True)
        .filter(stage__in=IN_FLIGHT_STAGES)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return ProgrammeRun(
        **counts, pipeline=[(stage, by_stage.get(stage.value, 0)) for stage in IN_FLIGHT_STAGES]
    )


def kickoff_for(requisition: Requisition) -> KickOff | None:
    return KickOff.objects.select_related("talent_lead").filter(requisition=requisition).first()


def kickoffs_by_requisition(requisition_ids: Iterable[int]) -> dict[int, KickOff]:
    return {
        k.requisition_id: k
        for k in KickOff.objects.filter(requisition_id__in=list(requisition_ids))
    }


# --- Timeline -------------------------------------------------------------------------------

TIMELINE_LIMIT = 300


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "status", "kickoff_*", "application"
    title: str
    detail: str
    actor: str
    candidate_id: int | None = None


def _actor_name(user: User | None) -> str:
    return user.display_name if user is not None else _("System")


def requisition_timeline(
    requisition: Requisition, limit: int = TIMELINE_LIMIT
) -> list[TimelineEntry]:
    """Status changes, kick-off milestones and application moves, newest first (two queries)."""
    entries: list[TimelineEntry] = []
    events = RequisitionEvent.objects.filter(requisition=requisition).select_related("actor")
    for event in events.order_by("-at", "-id")[:limit]:
        if event.kind == RequisitionEventKind.STATUS:
            if event.from_status:
                title = _("%(from)s → %(to)s") % {
                    "from": RequisitionStatus(event.from_status).label,
                    "to": RequisitionStatus(event.to_status).label,
                }
            else:
                title = _("Created as %(status)s") % {
                    "status": RequisitionStatus(event.to_status).label.lower()
                }
        else:
            title = str(RequisitionEventKind(event.kind).label)
        entries.append(
            TimelineEntry(event.at, event.kind, title, event.reason, _actor_name(event.actor))
        )
    moves = (
        ApplicationEvent.objects.filter(application__requisition=requisition)
        .select_related("actor", "application__candidate")
        .order_by("-at", "-id")[:limit]
    )
    for move in moves:
        candidate = move.application.candidate
        if move.from_stage:
            title = _("%(candidate)s: %(from)s → %(to)s") % {
                "candidate": candidate.name,
                "from": Stage(move.from_stage).label,
                "to": Stage(move.to_stage).label,
            }
        else:
            title = _("%(candidate)s applied") % {"candidate": candidate.name}
        entries.append(
            TimelineEntry(
                move.at,
                "application",
                title,
                move.reason,
                _actor_name(move.actor),
                candidate_id=candidate.pk,
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


# --- Candidates and applications --------------------------------------------------------------


def candidate_list(*, q: str = "", source: str = "") -> QuerySet[Candidate]:
    queryset = Candidate.objects.all()
    if q:
        term = q.strip()
        queryset = queryset.filter(
            Q(name__icontains=term) | Q(email__iexact=term) | Q(external_id=term)
        )
    if source:
        queryset = queryset.filter(source=source)
    return queryset.order_by("name", "id")


def candidate_get(candidate_id: int) -> Candidate:
    return Candidate.objects.get(pk=candidate_id)


def candidate_applications(candidate: Candidate) -> QuerySet[Application]:
    return (
        Application.objects.filter(candidate=candidate)
        .select_related("requisition", "requisition__hiring_manager")
        .order_by("-applied_at", "-id")
    )


def application_list(
    *,
    requisition: int | None = None,
    candidate: int | None = None,
    stage: str = "",
    programme: int | None = None,
    active: bool = False,
) -> QuerySet[Application]:
    """Applications with candidate and requisition joined; `active` keeps only those on open
    or on-hold requisitions (the live pipeline)."""
    queryset = Application.objects.select_related("candidate", "requisition")
    if requisition:
        queryset = queryset.filter(requisition_id=requisition)
    if candidate:
        queryset = queryset.filter(candidate_id=candidate)
    if stage:
        queryset = queryset.filter(stage=stage)
    if programme:
        queryset = queryset.filter(requisition__programme_id=programme)
    if active:
        queryset = queryset.filter(requisition__status__in=ACTIVE_STATUSES)
    return queryset


def application_get(application_id: int) -> Application:
    return Application.objects.select_related("candidate", "requisition").get(pk=application_id)


BOARD_COLUMNS: tuple[str, ...] = (*PIPELINE, Stage.REJECTED, Stage.WITHDRAWN)


def board(requisition: Requisition) -> dict[str, list[Application]]:
    """The requisition's applications by stage, oldest in stage first (one query)."""
    columns: dict[str, list[Application]] = {stage: [] for stage in BOARD_COLUMNS}
    applications = (
        Application.objects.filter(requisition=requisition)
        .select_related("candidate")
        .order_by("stage_entered_at", "id")
    )
    for application in applications:
        columns[application.stage].append(application)
    return columns


# --- Digest -------------------------------------------------------------------------------


def recruiter_flagged(recruiter: User, *, now: datetime | None = None) -> QuerySet[Requisition]:
    """The recruiter's active requisitions with a service-level flag or past their target."""
    filters = RequisitionFilters(status=list(ACTIVE_STATUSES), recruiter=recruiter.pk)
    return requisition_list(filters, now=now).filter(
        slas.stale_q(now)
        | slas.kickoff_late_q(now)
        | slas.feedback_overdue_q(now)
        | Q(target_date__lt=organisation_today(now))
    )


def candidate_by_email(email: str) -> Candidate | None:
    email = email.strip().lower()
    return Candidate.objects.filter(email=email).first() if email else None


def requisition_countries() -> list[str]:
    """The countries the organisation recruits in (for the filter bar)."""
    return list(
        Requisition.objects.order_by("country").values_list("country", flat=True).distinct()
    )
