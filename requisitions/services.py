"""Writes for hiring managers, requisitions, kick-offs, candidates and applications.

Every writer (the UI, the API, an importer, the demo) goes through these functions, so each
rule is written once. Each service validates with `full_clean()`, saves existing rows with
`update_fields`, records its event, and takes an optional `at` so history can be imported with
its real times.

Locking: a service that may change a requisition's status locks the requisition row first and
then the application row, always in that order, so concurrent moves on one requisition queue up
instead of deadlocking, and two accepted offers cannot both miss (or both trigger) the fill.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from rpo_portal.accounts.models import User
from rpo_portal.audit.services import audited, note_changes
from rpo_portal.outbox.services import outbox_enqueue
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.models import Membership, Role
from rpo_portal.updates import Changes, apply_changes, gather, model_update

from . import invitations
from .models import (
    HIRED_STAGES,
    Application,
    ApplicationEvent,
    Candidate,
    CandidateDiversity,
    HiringManager,
    KickOff,
    Requisition,
    RequisitionEvent,
    RequisitionEventKind,
    RequisitionStatus,
    Stage,
)
from .pipeline import allowed_statuses, describe_moves, move_for

ErrorDict = dict[str, list[ValidationError]]


def _raise_gathered(errors: ErrorDict) -> None:
    if errors:
        raise ValidationError(errors)


def _local_date(moment: datetime) -> date:
    return organisation_today(moment)


# --- Hiring managers ----------------------------------------------------------------------

HIRING_MANAGER_EDITABLE = ("name", "email", "department", "seniority", "external_id")


def _normalise_email(value: str) -> str:
    return value.strip().lower()


@audited("hiring_manager.create")
def hiring_manager_create(
    *,
    name: str,
    email: str,
    department: str = "",
    seniority: str = "manager",
    external_id: str = "",
    by: User | None = None,
) -> HiringManager:
    """A hiring manager contact; the email is unique within the organisation."""
    hiring_manager = HiringManager(
        name=name.strip(),
        email=_normalise_email(email),
        department=department.strip(),
        seniority=seniority,
        external_id=external_id.strip(),
    )
    hiring_manager.claim_organisation()
    hiring_manager.full_clean()
    hiring_manager.save()
    return hiring_manager


@audited("hiring_manager.update", subject="hiring_manager")
def hiring_manager_update(
    *, hiring_manager: HiringManager, by: User | None = None, **changes: Any
) -> HiringManager:
    if "email" in changes:
        changes["email"] = _normalise_email(changes["email"])
    model_update(hiring_manager, fields=HIRING_MANAGER_EDITABLE, data=changes)
    return hiring_manager


# --- Requisitions -------------------------------------------------------------------------

REQUISITION_EDITABLE = (
    "programme",
    "title",
    "department",
    "location",
    "country",
    "seniority",
    "band",
    "openings",
    "hiring_manager",
    "recruiter",
    "reason",
    "priority",
    "target_date",
    "external_id",
)


def recruiter_check(user: User | None) -> None:
    """The recruiter must hold the recruiter role in the organisation in scope."""
    if user is None or not Membership.objects.filter(user=user, role=Role.RECRUITER).exists():
        raise ValidationError(
            {"recruiter": _("Choose a member of this organisation with the recruiter role.")}
        )


def _touch(requisition_id: int, at: datetime) -> None:
    """Move `last_activity_at` forward to `at` (never back: imported history may be older)."""
    Requisition.objects.filter(pk=requisition_id).filter(
        Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=at)
    ).update(last_activity_at=at)


@audited("requisition.create")
def requisition_create(
    *,
    programme: Programme,
    title: str,
    location: str,
    country: str,
    hiring_manager: HiringManager,
    recruiter: User,
    target_date: date,
    department: str = "",
    seniority: str = "professional",
    band: str = "",
    openings: int = 1,
    reason: str = "new_role",
    priority: int = 3,
    external_id: str = "",
    open_now: bool = False,
    by: User | None = None,
    at: datetime | None = None,
) -> Requisition:
    """A requisition in `draft` (or opened at once with `open_now`), its creation on record."""
    at = at or timezone.now()
    requisition = Requisition(
        programme=programme,
        title=title.strip(),
        department=department.strip(),
        location=location.strip(),
        country=country.strip().upper(),
        seniority=seniority,
        band=band.strip(),
        openings=openings,
        hiring_manager=hiring_manager,
        recruiter=recruiter,
        reason=reason,
        priority=priority,
        target_date=target_date,
        external_id=external_id.strip(),
        status=RequisitionStatus.DRAFT,
        status_changed_at=at,
        last_activity_at=at,
        created_by=by,
    )
    requisition.claim_organisation()
    errors: ErrorDict = {}
    gather(errors, requisition.full_clean)
    gather(errors, recruiter_check, recruiter)
    _raise_gathered(errors)
    with transaction.atomic():
        requisition.save()
        RequisitionEvent.objects.create(
            requisition=requisition,
            kind=RequisitionEventKind.STATUS,
            from_status="",
            to_status=RequisitionStatus.DRAFT,
            at=at,
            actor=by,
        )
        if open_now:
            requisition = requisition_change_status(
                requisition=requisition, status=RequisitionStatus.OPEN, by=by, at=at
            )
    return requisition


@audited("requisition.update", subject="requisition")
@transaction.atomic
def requisition_update(
    *, requisition: Requisition, by: User | None = None, **changes: Any
) -> Requisition:
    """Change the details (not the status). A change of openings may fill or reopen it."""
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    stored_target = requisition.target_date
    if isinstance(changes.get("country"), str):
        changes["country"] = changes["country"].strip().upper()

    def check(changed: Changes) -> None:
        errors: ErrorDict = {}
        if "recruiter" in changed:
            gather(errors, recruiter_check, requisition.recruiter)
        if requisition.target_date != stored_target:
            # Only a new target is checked: a row saved untouched keeps whatever it had.
            gather(errors, _check_target_after_opening, requisition)
        _raise_gathered(errors)

    changed = model_update(requisition, fields=REQUISITION_EDITABLE, data=changes, check=check)
    if "openings" in changed:
        _sync_fill(requisition, by=by, at=timezone.now())
    return requisition


def _check_target_after_opening(requisition: Requisition) -> None:
    """A requisition cannot be due to fill before it opened."""
    if requisition.first_opened_at is None or not isinstance(requisition.target_date, date):
        return
    opened = _local_date(requisition.first_opened_at)
    if requisition.target_date < opened:
        raise ValidationError(
            {
                "target_date": _(
                    "The target fill date cannot be before the requisition opened "
                    "(%(opened)s). Choose %(opened)s or later."
                )
                % {"opened": formats.date_format(opened, "j M Y")}
            },
            code="before_opened",
        )


def requisition_warnings(requisition: Requisition) -> list[str]:
    """What is unusual but allowed about a requisition just saved, for the user to read: a
    target fill date already past (the requisition shows as overdue at once)."""
    if requisition.status in (RequisitionStatus.FILLED, RequisitionStatus.CANCELLED):
        return []
    today = organisation_today()
    if requisition.target_date < today:
        return [
            _(
                "The target fill date (%(date)s) has already passed, so the requisition shows "
                "as overdue. Check the date if that is not what you meant."
            )
            % {"date": formats.date_format(requisition.target_date, "j M Y")}
        ]
    return []


def _record_status(
    requisition: Requisition, *, status: str, reason: str, by: User | None, at: datetime
) -> None:
    previous = requisition.status
    requisition.status = status
    requisition.status_changed_at = at
    fields = ["status", "status_changed_at", "updated_at"]
    if status == RequisitionStatus.OPEN and requisition.first_opened_at is None:
        requisition.first_opened_at = at
        fields.append("first_opened_at")
    if status == RequisitionStatus.CANCELLED:
        requisition.cancellation_reason = reason
        fields.append("cancellation_reason")
    if requisition.last_activity_at is None or requisition.last_activity_at < at:
        requisition.last_activity_at = at
        fields.append("last_activity_at")
    requisition.save(update_fields=fields)
    RequisitionEvent.objects.create(
        requisition=requisition,
        kind=RequisitionEventKind.STATUS,
        from_status=previous,
        to_status=status,
        at=at,
        actor=by,
        reason=reason,
    )


@audited("requisition.change_status", subject="requisition")
@transaction.atomic
def requisition_change_status(
    *,
    requisition: Requisition,
    status: str,
    reason: str = "",
    by: User | None = None,
    at: datetime | None = None,
) -> Requisition:
    """Move a requisition along draft -> open <-> on_hold -> cancelled, recording the event.

    `filled` is not a choice: a requisition fills by itself when accepted offers reach its
    openings. Cancelling needs a reason. Raises ValidationError naming the allowed changes.
    """
    at = at or timezone.now()
    reason = reason.strip()
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    if status == requisition.status:
        return requisition
    allowed = allowed_statuses(requisition.status)
    if status not in allowed:
        if status == RequisitionStatus.FILLED:
            message = _(
                "A requisition is filled automatically when accepted offers reach its openings."
            )
        else:
            labels = ", ".join(str(RequisitionStatus(s).label) for s in allowed) or _("none")
            message = _(
                "A requisition that is %(current)s cannot become %(target)s. "
                "Allowed changes: %(allowed)s."
            ) % {
                "current": RequisitionStatus(requisition.status).label,
                "target": RequisitionStatus(status).label
                if status in RequisitionStatus.values
                else status,
                "allowed": labels,
            }
        raise ValidationError({"status": message}, code="invalid_transition")
    if status == RequisitionStatus.CANCELLED and not reason:
        raise ValidationError(
            {"reason": _("Say why the requisition is cancelled.")}, code="reason_required"
        )
    _record_status(requisition, status=status, reason=reason, by=by, at=at)
    if status in (RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD):
        # Openings may already be covered (e.g. offers accepted while it was a draft import).
        _sync_fill(requisition, by=by, at=at)
    return requisition


@audited("requisition.open", subject="requisition")
def requisition_open(
    *, requisition: Requisition, by: User | None = None, at: datetime | None = None
) -> Requisition:
    return requisition_change_status(
        requisition=requisition, status=RequisitionStatus.OPEN, by=by, at=at
    )


@audited("requisition.put_on_hold", subject="requisition")
def requisition_put_on_hold(
    *,
    requisition: Requisition,
    reason: str = "",
    by: User | None = None,
    at: datetime | None = None,
) -> Requisition:
    return requisition_change_status(
        requisition=requisition, status=RequisitionStatus.ON_HOLD, reason=reason, by=by, at=at
    )


@audited("requisition.cancel", subject="requisition")
def requisition_cancel(
    *, requisition: Requisition, reason: str, by: User | None = None, at: datetime | None = None
) -> Requisition:
    return requisition_change_status(
        requisition=requisition, status=RequisitionStatus.CANCELLED, reason=reason, by=by, at=at
    )


def _sync_fill(requisition: Requisition, *, by: User | None, at: datetime) -> None:
    """Fill an active requisition whose accepted offers reach its openings; reopen a filled one
    that fell below them. The caller holds the requisition's row lock."""
    hired = Application.objects.filter(requisition=requisition, stage__in=HIRED_STAGES).count()
    if requisition.is_active and hired >= requisition.openings:
        _record_status(
            requisition,
            status=RequisitionStatus.FILLED,
            reason=_("Accepted offers reached the openings (%(hired)s of %(openings)s).")
            % {"hired": hired, "openings": requisition.openings},
            by=by,
            at=at,
        )
    elif requisition.status == RequisitionStatus.FILLED and hired < requisition.openings:
        _record_status(
            requisition,
            status=RequisitionStatus.OPEN,
            reason=_("Accepted offers fell below the openings (%(hired)s of %(openings)s).")
            % {"hired": hired, "openings": requisition.openings},
            by=by,
            at=at,
        )


# --- Kick-offs ----------------------------------------------------------------------------

KICKOFF_EDITABLE = (
    "scheduled_at",
    "duration_minutes",
    "talent_lead_joined",
    "talent_lead",
    "must_haves",
    "nice_to_haves",
    "interview_plan",
    "salary_currency",
    "salary_min",
    "salary_max",
    "cv_shortlist_days",
    "hm_feedback_hours",
    "notes",
)


def _clean_text_list(value: Any, field: str) -> list[str]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({field: _("Give a list of short texts, one per line.")})
    items = [v.strip() for v in value if v.strip()]
    if any(len(v) > 300 for v in items):
        raise ValidationError({field: _("Keep each line under 300 characters.")})
    return items


def clean_interview_plan(value: Any) -> list[dict[str, Any]]:
    """[{"stage": str, "interviewers": [str, ...]}, ...]; raises ValidationError otherwise."""
    if value in (None, ""):
        return []
    message = _(
        "The interview plan is a list of stages, each with a stage name and a list of "
        'interviewers, e.g. [{"stage": "Technical interview", "interviewers": ["Ana Ruiz"]}].'
    )
    if not isinstance(value, list):
        raise ValidationError({"interview_plan": message})
    plan: list[dict[str, Any]] = []
    for item in value:
        if not isinstance(item, dict) or set(item) - {"stage", "interviewers"}:
            raise ValidationError({"interview_plan": message})
        stage = item.get("stage")
        interviewers = item.get("interviewers", [])
        if not isinstance(stage, str) or not stage.strip():
            raise ValidationError({"interview_plan": _("Every stage needs a name.")})
        if not isinstance(interviewers, list) or not all(
            isinstance(name, str) and name.strip() for name in interviewers
        ):
            raise ValidationError({"interview_plan": message})
        plan.append(
            {"stage": stage.strip(), "interviewers": [name.strip() for name in interviewers]}
        )
    if len(plan) > 12:
        raise ValidationError({"interview_plan": _("An interview plan has at most 12 stages.")})
    return plan


def _kickoff_attendees(kickoff: KickOff) -> list[str]:
    requisition = kickoff.requisition
    emails = [requisition.hiring_manager.email, requisition.recruiter.email]
    if kickoff.talent_lead_joined and kickoff.talent_lead is not None:
        emails.append(kickoff.talent_lead.email)
    seen: list[str] = []
    for email in emails:
        if email and email.lower() not in seen:
            seen.append(email.lower())
    return seen


def _send_invitations(kickoff: KickOff) -> None:
    """One email per attendee with the .ics; the key makes a resend of the same version a no-op."""
    requisition = kickoff.requisition
    ics = invitations.kickoff_ics(kickoff)
    subject = _("Kick-off: %(title)s, %(location)s") % {
        "title": requisition.title,
        "location": requisition.location,
    }
    if kickoff.ics_sequence:
        subject = _("Updated: %(subject)s") % {"subject": subject}
    for email in _kickoff_attendees(kickoff):
        outbox_enqueue(
            to=email,
            subject=subject,
            template="requisitions/email/kickoff_invitation",
            context={
                "kickoff": kickoff,
                "requisition": requisition,
                "updated": bool(kickoff.ics_sequence),
                "site_url": settings.SITE_URL,
            },
            idempotency_key=f"kickoff:{kickoff.pk}:v{kickoff.ics_sequence}:{email}",
            attachments=[("kick-off.ics", ics, "text/calendar; method=REQUEST; charset=utf-8")],
        )


def _check_talent_lead(kickoff: KickOff) -> None:
    if (
        kickoff.talent_lead is not None
        and not Membership.objects.filter(user=kickoff.talent_lead, role=Role.TALENT_LEAD).exists()
    ):
        raise ValidationError(
            {"talent_lead": _("Choose a member of this organisation with the talent lead role.")}
        )


def _when(moment: datetime) -> str:
    """A time as people read it, with the organisation's zone: "3 Mar 2027, 09:00 GMT"."""
    return formats.date_format(timezone.localtime(moment), "j M Y, H:i T")


def _check_not_in_the_past(scheduled_at: Any, at: datetime) -> None:
    """A meeting cannot be scheduled for a day that has gone (a time earlier today may be
    recorded: the meeting may just have taken place)."""
    if not isinstance(scheduled_at, datetime):
        return
    if _local_date(scheduled_at) < _local_date(at):
        raise ValidationError(
            {
                "scheduled_at": _(
                    "%(date)s is in the past. Choose today or a later date for the kick-off."
                )
                % {"date": formats.date_format(timezone.localtime(scheduled_at), "j M Y")}
            },
            code="in_the_past",
        )


@audited("kickoff.schedule")
@transaction.atomic
def kickoff_schedule(
    *, requisition: Requisition, by: User | None = None, at: datetime | None = None, **details: Any
) -> KickOff:
    """Create or change the requisition's kick-off.

    Scheduling (and every change of time or length) emails the attendees a calendar invitation
    through the outbox; a reschedule keeps the invitation's UID and bumps its SEQUENCE, so
    calendars move the meeting instead of adding a second one.
    """
    at = at or timezone.now()
    requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
    kickoff = KickOff.objects.filter(requisition=requisition).first()
    creating = kickoff is None
    if kickoff is None:
        kickoff = KickOff(requisition=requisition)
        kickoff.claim_organisation()
    kickoff.requisition = requisition
    before = (kickoff.scheduled_at, kickoff.duration_minutes)
    errors: ErrorDict = {}
    for field, clean in (
        ("must_haves", lambda v: _clean_text_list(v, "must_haves")),
        ("nice_to_haves", lambda v: _clean_text_list(v, "nice_to_haves")),
        ("interview_plan", clean_interview_plan),
        ("salary_currency", lambda v: (v or "").strip().upper()),
    ):
        if field in details:
            try:
                details[field] = clean(details[field])
            except ValidationError as exc:
                exc.update_error_dict(errors)
                del details[field]
    talent_lead_before = kickoff.talent_lead_id
    fields = apply_changes(kickoff, fields=KICKOFF_EDITABLE, data=details)
    if kickoff.salary_currency and len(kickoff.salary_currency) != 3:
        errors.setdefault("salary_currency", []).append(
            ValidationError(_("Use a three-letter ISO 4217 code such as GBP or EUR."))
        )
    if (
        kickoff.salary_min is not None
        and kickoff.salary_max is not None
        and kickoff.salary_min > kickoff.salary_max
    ):
        errors.setdefault("salary_max", []).append(
            ValidationError(_("The top of the band is below its bottom."))
        )
    if not kickoff.talent_lead_joined:
        kickoff.talent_lead = None
    # The salary-order constraint is the check above in other words: report it once.
    gather(
        errors,
        kickoff.full_clean,
        exclude=["requisition"],
        validate_constraints="salary_max" not in errors,
    )
    if creating or kickoff.scheduled_at != before[0]:
        # Only a new or moved time: a kick-off scheduled earlier still saves untouched.
        gather(errors, _check_not_in_the_past, kickoff.scheduled_at, at)
    gather(errors, _check_talent_lead, kickoff)
    _raise_gathered(errors)
    moved = not creating and before != (kickoff.scheduled_at, kickoff.duration_minutes)
    if moved:
        kickoff.ics_sequence += 1
    if creating:
        kickoff.save()
    elif fields or moved or kickoff.talent_lead_id != talent_lead_before:
        kickoff.save(update_fields=[*fields, "ics_sequence", "talent_lead", "updated_at"])
        note_changes(kickoff, fields)
    if creating or moved:
        RequisitionEvent.objects.create(
            requisition=requisition,
            kind=RequisitionEventKind.KICKOFF_SCHEDULED
            if creating
            else RequisitionEventKind.KICKOFF_RESCHEDULED,
            at=at,
            actor=by,
            reason=_when(kickoff.scheduled_at),
        )
        _touch(requisition.pk, at)
        _send_invitations(kickoff)
    return kickoff


def kickoff_warnings(kickoff: KickOff) -> list[str]:
    """What is unusual but allowed about a kick-off just saved: a time earlier today, already
    gone (the invitations still went out)."""
    if kickoff.held_at is None and kickoff.scheduled_at < timezone.now():
        return [
            _(
                "The kick-off time (%(when)s) has already passed. Mark it as held once it has "
                "taken place."
            )
            % {"when": _when(kickoff.scheduled_at)}
        ]
    return []


@audited("kickoff.mark_held", subject="kickoff")
@transaction.atomic
def kickoff_mark_held(
    *, kickoff: KickOff, held_at: datetime | None = None, by: User | None = None
) -> KickOff:
    """Record that the kick-off took place (at `held_at`, default now). Idempotent."""
    held_at = held_at or timezone.now()
    kickoff = KickOff.objects.select_for_update().select_related("requisition").get(pk=kickoff.pk)
    if kickoff.held_at is not None:
        return kickoff
    if held_at > timezone.now():
        raise ValidationError({"held_at": _("A kick-off cannot be held in the future.")})
    if held_at < kickoff.scheduled_at:
        raise ValidationError(
            {
                "held_at": _(
                    "The kick-off is scheduled for %(scheduled)s, so it cannot have been held at "
                    "%(held)s. If it took place earlier, move it to that time first."
                )
                % {
                    "scheduled": _when(kickoff.scheduled_at),
                    "held": _when(held_at),
                }
            },
            code="held_before_scheduled",
        )
    kickoff.held_at = held_at
    kickoff.save(update_fields=["held_at", "updated_at"])
    RequisitionEvent.objects.create(
        requisition_id=kickoff.requisition_id,
        kind=RequisitionEventKind.KICKOFF_HELD,
        at=held_at,
        actor=by,
        reason=_("Joint kick-off with the talent lead") if kickoff.talent_lead_joined else "",
    )
    _touch(kickoff.requisition_id, held_at)
    return kickoff


# --- Candidates ---------------------------------------------------------------------------

CANDIDATE_EDITABLE = (
    "name",
    "email",
    "phone",
    "source",
    "consent_given_at",
    "consent_text_version",
    "external_id",
)


@audited("candidate.create")
def candidate_create(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    source: str = "careers_site",
    consent_given_at: datetime | None = None,
    consent_text_version: str = "",
    external_id: str = "",
    by: User | None = None,
) -> Candidate:
    """A candidate; the email (when given) is unique within the organisation."""
    candidate = Candidate(
        name=name.strip(),
        email=_normalise_email(email),
        phone=phone.strip(),
        source=source,
        consent_given_at=consent_given_at,
        consent_text_version=consent_text_version.strip(),
        external_id=external_id.strip(),
    )
    candidate.claim_organisation()
    candidate.full_clean()
    candidate.save()
    return candidate


@audited("candidate.update", subject="candidate")
def candidate_update(*, candidate: Candidate, by: User | None = None, **changes: Any) -> Candidate:
    if "email" in changes:
        changes["email"] = _normalise_email(changes["email"])
    model_update(candidate, fields=CANDIDATE_EDITABLE, data=changes)
    return candidate


DIVERSITY_FIELDS = ("gender", "age_band", "ethnicity", "disability", "under_represented")


@audited("candidate.record_diversity", subject="candidate")
def candidate_record_diversity(
    *, candidate: Candidate, at: datetime | None = None, **answers: str
) -> None:
    """Store (or replace) the candidate's voluntary diversity answers, kept apart from them."""
    unknown = set(answers) - set(DIVERSITY_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown diversity questions: %s") % ", ".join(sorted(unknown)))
    record = CandidateDiversity.objects.filter(candidate=candidate).first()
    if record is None:
        record = CandidateDiversity(candidate=candidate)
        record.claim_organisation()
    for field in DIVERSITY_FIELDS:
        setattr(record, field, (answers.get(field) or "").strip())
    record.answered_at = at or timezone.now()
    record.full_clean(exclude=["candidate"])
    record.save()


# --- Applications -------------------------------------------------------------------------


@audited("application.create")
def application_create(
    *,
    candidate: Candidate,
    requisition: Requisition,
    by: User | None = None,
    at: datetime | None = None,
    external_id: str = "",
) -> Application:
    """Put a candidate forward for an open (or on-hold) requisition, at `applied`."""
    at = at or timezone.now()
    if requisition.status not in (RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD):
        raise ValidationError(
            {
                "requisition": _(
                    "Candidates can be added only to open or on-hold requisitions; "
                    "this one is %(status)s."
                )
                % {"status": RequisitionStatus(requisition.status).label.lower()}
            }
        )
    if Application.objects.filter(candidate=candidate, requisition=requisition).exists():
        raise ValidationError(
            {"candidate": _("This candidate has already applied for this requisition.")}
        )
    application = Application(
        candidate=candidate,
        requisition=requisition,
        stage=Stage.APPLIED,
        stage_entered_at=at,
        applied_at=at,
        external_id=external_id.strip(),
    )
    application.claim_organisation()
    application.full_clean(validate_unique=False)
    with transaction.atomic():
        application.save()
        ApplicationEvent.objects.create(
            application=application, from_stage="", to_stage=Stage.APPLIED, at=at, actor=by
        )
        _touch(requisition.pk, at)
    return application


@audited("application.move", subject="application")
@transaction.atomic
def application_move(
    *,
    application: Application,
    stage: str,
    reason: str = "",
    by: User | None,
    at: datetime | None = None,
    accepted_on: date | None = None,
    start_date: date | None = None,
) -> Application:
    """Move an application to `stage`, recording who, when and why.

    Guarantees: the move is one of `pipeline.allowed_moves` (else a ValidationError on `stage`
    naming the allowed moves); a step back, a rejection or a withdrawal has a reason;
    `accepted` records the acceptance and start dates; when accepted offers reach the
    requisition's openings the requisition becomes `filled` in the same transaction, and a
    filled requisition whose accepted offer falls through opens again.
    """
    at = at or timezone.now()
    reason = reason.strip()
    # Lock order: requisition, then application (see the module docstring).
    requisition = Requisition.objects.select_for_update().get(pk=application.requisition_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    application.requisition = requisition
    current = application.stage
    if stage not in Stage.values:
        raise ValidationError(
            {
                "stage": _(
                    "“%(stage)s” is not a stage. Allowed moves from %(current)s: %(allowed)s."
                )
                % {
                    "stage": stage,
                    "current": Stage(current).label,
                    "allowed": describe_moves(current, application.stage_reached),
                }
            },
            code="invalid_move",
        )
    move = move_for(current, application.stage_reached, stage)
    if move is None:
        raise ValidationError(
            {
                "stage": _(
                    "An application cannot move from %(current)s to %(target)s. "
                    "Allowed moves from %(current)s: %(allowed)s."
                )
                % {
                    "current": Stage(current).label,
                    "target": Stage(stage).label,
                    "allowed": describe_moves(current, application.stage_reached),
                }
            },
            code="invalid_move",
        )
    if move.needs_reason and not reason:
        if move.backwards:
            message = _("Moving back from %(current)s to %(target)s needs a reason.")
        else:
            message = _("Say why the application is %(target)s.")
        raise ValidationError(
            {
                "reason": message
                % {"current": Stage(current).label, "target": Stage(stage).label.lower()}
            },
            code="reason_required",
        )
    fields = ["stage", "stage_entered_at", "updated_at"]
    if stage == Stage.ACCEPTED:
        if requisition.status not in (RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD):
            raise ValidationError(
                {
                    "stage": _(
                        "Offers can be accepted only on open or on-hold requisitions; "
                        "this one is %(status)s."
                    )
                    % {"status": RequisitionStatus(requisition.status).label.lower()}
                },
                code="requisition_closed",
            )
        accepted_on = accepted_on or application.accepted_on or organisation_today(at)
        start_date = start_date or application.start_date
        if start_date is None:
            raise ValidationError(
                {"start_date": _("Give the agreed start date to record an accepted offer.")}
            )
        if start_date < accepted_on:
            raise ValidationError(
                {"start_date": _("The start date cannot be before the offer was accepted.")}
            )
        application.accepted_on, application.start_date = accepted_on, start_date
        fields += ["accepted_on", "start_date"]
    elif stage == Stage.STARTED and start_date is not None:
        application.start_date = start_date
        fields.append("start_date")
    elif stage not in HIRED_STAGES and (application.accepted_on or application.start_date):
        application.accepted_on = application.start_date = None
        fields += ["accepted_on", "start_date"]
    if stage in (Stage.REJECTED, Stage.WITHDRAWN):
        application.stage_reached = current
        application.outcome_reason = reason
        fields += ["stage_reached", "outcome_reason"]
    elif application.stage_reached or application.outcome_reason:
        application.stage_reached = ""
        application.outcome_reason = ""
        fields += ["stage_reached", "outcome_reason"]
    application.stage = stage
    application.stage_entered_at = at
    application.full_clean(validate_unique=False, exclude=["candidate", "requisition"])
    application.save(update_fields=fields)
    ApplicationEvent.objects.create(
        application=application, from_stage=current, to_stage=stage, at=at, actor=by, reason=reason
    )
    if requisition.last_activity_at is None or requisition.last_activity_at < at:
        requisition.last_activity_at = at
        requisition.save(update_fields=["last_activity_at"])
    if current in HIRED_STAGES or stage in HIRED_STAGES:
        _sync_fill(requisition, by=by, at=at)
    return application
