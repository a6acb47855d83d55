"""Requisitions, kick-offs, candidates and the application pipeline.

Invariants live in the database where they can (check and unique constraints, all including the
organisation); the rules about moves and status changes live in `services.py`, which every
writer (UI, API, importer, demo) goes through.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned

from .countries import COUNTRIES, COUNTRY_CHOICES


def validate_country(value: str) -> None:
    if value not in COUNTRIES:
        raise ValidationError(
            _("“%(value)s” is not an ISO 3166 country code; use two capital letters such as GB."),
            params={"value": value},
            code="invalid_country",
        )


class Seniority(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    DIRECTOR = "director", _("Director")
    SENIOR_MANAGER = "senior_manager", _("Senior manager")
    MANAGER = "manager", _("Manager")
    OTHER = "other", _("Other")


class RequisitionSeniority(models.TextChoices):
    EXECUTIVE = "executive", _("Executive")
    DIRECTOR = "director", _("Director")
    SENIOR_MANAGER = "senior_manager", _("Senior manager")
    MANAGER = "manager", _("Manager")
    PROFESSIONAL = "professional", _("Professional")
    ENTRY = "entry", _("Entry level / graduate")


class HiringManager(TenantOwned):
    """A hiring manager: a contact of the client, who needs no login."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    department = models.CharField(_("department"), max_length=200, blank=True)
    seniority = models.CharField(
        _("seniority"), max_length=20, choices=Seniority.choices, default=Seniority.MANAGER
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="requisitions_hm_email_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="requisitions_hm_external_id_per_org",
            ),
            models.CheckConstraint(
                condition=Q(seniority__in=Seniority.values), name="requisitions_hm_seniority_valid"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="req_hm_org_name")]

    def __str__(self) -> str:
        return self.name


class RequisitionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")


# Requisitions that are still being recruited for (target dates and service levels apply).
ACTIVE_STATUSES = (RequisitionStatus.OPEN, RequisitionStatus.ON_HOLD)


class Reason(models.TextChoices):
    NEW_ROLE = "new_role", _("New role")
    BACKFILL = "backfill", _("Backfill")


class Priority(models.IntegerChoices):
    # Lower sorts first: urgent requisitions lead a list sorted by priority.
    URGENT = 1, _("Urgent")
    HIGH = 2, _("High")
    NORMAL = 3, _("Normal")
    LOW = 4, _("Low")


class Requisition(TenantOwned):
    """An approved vacancy with one or more openings, worked by one recruiter."""

    programme = models.ForeignKey(
        "programmes.Programme",
        db_index=False,
        on_delete=models.PROTECT,
        related_name="requisitions",
        db_constraint=False,
    )
    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200)
    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, validators=[validate_country]
    )
    seniority = models.CharField(
        _("seniority"),
        max_length=20,
        choices=RequisitionSeniority.choices,
        default=RequisitionSeniority.PROFESSIONAL,
    )
    band = models.CharField(_("band or grade"), max_length=50, blank=True)
    openings = models.PositiveSmallIntegerField(
        _("openings"), default=1, validators=[MinValueValidator(1)]
    )
    hiring_manager = models.ForeignKey(
        HiringManager,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="requisitions",
        db_constraint=False,
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL, db_index=False, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=Reason.choices, default=Reason.NEW_ROLE
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    target_date = models.DateField(_("target fill date"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequisitionStatus.choices,
        default=RequisitionStatus.DRAFT,
        editable=False,
    )
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True, editable=False)
    # Kept for time-to-fill: the clock starts when the requisition first opens.
    first_opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last status change, kick-off change or application move: "no movement for N days".
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(openings__gte=1), name="requisitions_openings_min_1"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequisitionStatus.values),
                name="requisitions_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequisitionStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="requisitions_cancel_needs_reason",
            ),
            models.CheckConstraint(
                condition=Q(status=RequisitionStatus.DRAFT)
                | Q(status=RequisitionStatus.CANCELLED)
                | Q(first_opened_at__isnull=False),
                name="requisitions_opened_has_first_opened_at",
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="requisitions_priority_valid"
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="requisitions_req_external_id_per_org",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "status", "target_date"], name="req_org_status_target"
            ),
            models.Index(
                fields=["organisation", "recruiter", "status"], name="req_org_recruiter_status"
            ),
            models.Index(fields=["organisation", "hiring_manager"], name="req_org_hm"),
            models.Index(fields=["organisation", "programme"], name="req_org_programme"),
            models.Index(fields=["organisation", "country", "status"], name="req_org_country"),
            models.Index(fields=["organisation", "target_date", "id"], name="req_org_target_id"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.location}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class RequisitionEventKind(models.TextChoices):
    STATUS = "status", _("Status changed")
    KICKOFF_SCHEDULED = "kickoff_scheduled", _("Kick-off scheduled")
    KICKOFF_RESCHEDULED = "kickoff_rescheduled", _("Kick-off rescheduled")
    KICKOFF_HELD = "kickoff_held", _("Kick-off held")


class RequisitionEvent(TenantOwned):
    """One entry in a requisition's history: a status change or a kick-off milestone."""

    requisition = models.ForeignKey(
        Requisition,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="events",
        db_constraint=False,
    )
    kind = models.CharField(max_length=30, choices=RequisitionEventKind.choices)
    from_status = models.CharField(max_length=20, choices=RequisitionStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=RequisitionStatus.choices, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["organisation", "requisition", "at"], name="req_event_org_req_at"),
            models.Index(
                fields=["organisation", "to_status", "at"], name="req_event_org_status_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.from_status}->{self.to_status}"


class KickOff(TenantOwned):
    """The kick-off meeting of a requisition: one per requisition."""

    requisition = models.ForeignKey(
        Requisition,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="kickoffs",
        db_constraint=False,
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(15)]
    )
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    talent_lead_joined = models.BooleanField(
        _("talent lead joined (joint kick-off)"), default=False
    )
    talent_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    must_haves = models.JSONField(_("must-haves"), default=list, blank=True)
    nice_to_haves = models.JSONField(_("nice-to-haves"), default=list, blank=True)
    # [{"stage": "Technical interview", "interviewers": ["Ana Ruiz", "Tom Becker"]}, ...]
    interview_plan = models.JSONField(_("interview plan"), default=list, blank=True)
    salary_currency = models.CharField(_("salary currency"), max_length=3, blank=True)
    salary_min = models.PositiveIntegerField(_("salary from"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary to"), null=True, blank=True)
    cv_shortlist_days = models.PositiveSmallIntegerField(
        _("CV shortlist within (days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    hm_feedback_hours = models.PositiveSmallIntegerField(
        _("hiring-manager feedback within (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
    )
    notes = models.TextField(_("notes"), blank=True)
    # The calendar invitation's SEQUENCE: bumped on every reschedule so calendars update.
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheduled_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "requisition"], name="requisitions_one_kickoff"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="requisitions_kickoff_salary_order",
            ),
        ]

    def __str__(self) -> str:
        return f"Kick-off for {self.requisition_id}"


class Source(models.TextChoices):
    CAREERS_SITE = "careers_site", _("Careers site")
    JOB_BOARD = "job_board", _("Job board")
    REFERRAL = "referral", _("Referral")
    DIRECT_SOURCING = "direct_sourcing", _("Direct sourcing")
    AGENCY = "agency", _("Agency")
    INTERNAL = "internal", _("Internal")


class Candidate(TenantOwned):
    """A person who applies. Every personal-data field is listed in `personal_data.py`."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.CAREERS_SITE
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_text_version = models.CharField(_("consent text version"), max_length=40, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="requisitions_candidate_email_per_org",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="requisitions_candidate_external_id_per_org",
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="requisitions_candidate_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(consent_given_at__isnull=True) | ~Q(consent_text_version=""),
                name="requisitions_candidate_consent_has_version",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "name"], name="req_candidate_org_name"),
            models.Index(fields=["organisation", "source"], name="req_candidate_org_source"),
        ]

    def __str__(self) -> str:
        return self.name


class YesNoUnsaid(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    PREFER_NOT_TO_SAY = "prefer_not_to_say", _("Prefer not to say")


class CandidateDiversity(TenantOwned):
    """Voluntary diversity answers, kept apart from the candidate record.

    Never shown per person: read only through `diversity.diversity_breakdown`, which reports
    groups of at least DIVERSITY_MIN_GROUP_SIZE people.
    """

    candidate = models.ForeignKey(
        Candidate,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    gender = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=20, blank=True)
    ethnicity = models.CharField(max_length=80, blank=True)
    disability = models.CharField(max_length=20, choices=YesNoUnsaid.choices, blank=True)
    # "Do you identify with a group the organisation marks as under-represented?"
    under_represented = models.CharField(max_length=20, choices=YesNoUnsaid.choices, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "candidate"], name="requisitions_one_diversity_record"
            )
        ]

    def __str__(self) -> str:
        return f"Diversity answers #{self.pk}"


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    ACCEPTED = "accepted", _("Accepted")
    STARTED = "started", _("Started")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The forward path; rejected and withdrawn are outcomes off it.
PIPELINE = (
    Stage.APPLIED,
    Stage.SCREENING,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.ACCEPTED,
    Stage.STARTED,
)
CLOSED_STAGES = (Stage.REJECTED, Stage.WITHDRAWN)
HIRED_STAGES = (Stage.ACCEPTED, Stage.STARTED)


class Application(TenantOwned):
    """A candidate for one requisition, somewhere in the pipeline."""

    candidate = models.ForeignKey(
        Candidate,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="applications",
        db_constraint=False,
    )
    requisition = models.ForeignKey(
        Requisition,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="applications",
        db_constraint=False,
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.APPLIED)
    stage_entered_at = models.DateTimeField()
    applied_at = models.DateTimeField()
    # For rejected and withdrawn: the pipeline stage the application had reached, and why.
    stage_reached = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-stage_entered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "candidate", "requisition"],
                name="requisitions_one_application_per_pair",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="requisitions_application_external_id_per_org",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="requisitions_application_stage_valid"
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=HIRED_STAGES)
                | Q(accepted_on__isnull=False, start_date__isnull=False),
                name="requisitions_hire_has_dates",
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=CLOSED_STAGES)
                | (Q(stage_reached__in=PIPELINE) & ~Q(outcome_reason="")),
                name="requisitions_closed_has_stage_and_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "requisition", "stage", "stage_entered_at"],
                name="req_app_org_req_stage",
            ),
            models.Index(fields=["organisation", "candidate"], name="req_app_org_candidate"),
            models.Index(fields=["organisation", "stage", "id"], name="req_app_org_stage_id"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} for {self.requisition_id} ({self.stage})"


class ApplicationEvent(TenantOwned):
    """One move of an application: from, to, when, who and why."""

    application = models.ForeignKey(
        Application,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="events",
        db_constraint=False,
    )
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "application", "at"], name="req_app_event_org_app"
            ),
            models.Index(fields=["organisation", "to_stage", "at"], name="req_app_event_org_to_at"),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '-'} -> {self.to_stage}"


# Import and export jobs live beside their code; importing them here registers them with the app.
from .exports.models import ExportJob  # noqa: E402, F401
from .imports.models import ColumnMapping, ImportJob, ImportRow  # noqa: E402, F401
