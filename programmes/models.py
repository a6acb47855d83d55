from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rpo_portal.tenancy.models import TenantOwned

from .metric_catalogue import METRIC_CHOICES
from .process_areas import ProcessArea

DEFAULT_GO_LIVE_DEFINITION = _(
    "The RPO takes full responsibility for the end-to-end hiring process."
)


class Side(models.TextChoices):
    CLIENT = "client", _("Client")
    RPO = "rpo", _("RPO")
    JOINT = "joint", _("Joint")


class Programme(TenantOwned):
    """One client's RPO engagement."""

    class Scope(models.TextChoices):
        EARLY_CAREERS = "early_careers", _("Early-careers intake")
        GEOGRAPHIC_EXPANSION = "geographic_expansion", _("Geographic expansion")
        CATEGORY = "category", _("A category of roles")
        END_TO_END = "end_to_end", _("End-to-end outsourcing")
        OTHER = "other", _("Other")

    class DeliveryModel(models.TextChoices):
        PROJECT = "project", _("Project")
        CATEGORY = "category", _("Category")
        MULTI_COUNTRY = "multi_country", _("Multi-country with technology deployment")

    class Status(models.TextChoices):
        BUILD = "build", _("Build")
        LIVE = "live", _("Live")

    name = models.CharField(_("name"), max_length=200)
    provider_name = models.CharField(_("RPO provider"), max_length=200, blank=True)
    scope = models.CharField(
        _("scope"), max_length=30, choices=Scope.choices, default=Scope.END_TO_END
    )
    category_name = models.CharField(
        _("category"),
        max_length=120,
        blank=True,
        help_text=_("For a category scope, e.g. “all technology hiring”."),
    )
    delivery_model = models.CharField(
        _("delivery model"),
        max_length=20,
        choices=DeliveryModel.choices,
        default=DeliveryModel.PROJECT,
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)  # type: ignore[call-overload]
    go_live_target = models.DateField(_("go-live target"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BUILD
    )
    went_live_on = models.DateField(_("went live on"), null=True, blank=True)
    go_live_definition = models.TextField(
        _("go-live definition"), default=DEFAULT_GO_LIVE_DEFINITION
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organisation", "name"], name="programme_org_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="build") | Q(went_live_on__isnull=False),
                name="programme_live_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(scope="category") | ~Q(category_name=""),
                name="programme_category_named",
                violation_error_message=_("Name the category, e.g. “all technology hiring”."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.LIVE


class Objective(TenantOwned):
    """What the programme set out to achieve (original) or took on later (added)."""

    class Origin(models.TextChoices):
        ORIGINAL = "original", _("Original")
        ADDED = "added", _("Added later")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="objectives", db_constraint=False
    )
    title = models.CharField(_("objective"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ORIGINAL
    )
    target = models.CharField(_("target"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    celebrated_on = models.DateField(_("celebrated on"), null=True, blank=True)
    celebration_note = models.TextField(
        _("celebration note"), blank=True, help_text=_("A short note the talent lead can share.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme_id", "id"]
        indexes = [models.Index(fields=["organisation", "programme"], name="objective_org_prog")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="achieved") | Q(achieved_on__isnull=False),
                name="objective_achieved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ChecklistItem(TenantOwned):
    """One item of a programme's go-live checklist."""

    class Section(models.TextChoices):
        TECHNOLOGY = "technology", _("Technology")
        PROCESS = "process", _("Process")
        TIMELINE = "timeline", _("Timeline")
        EARLY_METRICS = "early_metrics", _("Early metrics")

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    class DerivedFrom(models.TextChoices):
        """Facts the product knows; an item restating one follows it (programmes/derived.py)."""

        EARLY_METRICS_AGREED = "early_metrics_agreed", _("Three early metrics agreed")

    # Shown beside a derived item in place of its status control: how it gets done.
    DERIVED_EXPLANATIONS: dict[str, Any] = {
        DerivedFrom.EARLY_METRICS_AGREED: _(
            "Done automatically when three early metrics are agreed."
        ),
    }

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="checklist_items",
        db_constraint=False,
    )
    section = models.CharField(_("section"), max_length=20, choices=Section.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner_side = models.CharField(
        _("owner side"), max_length=10, choices=Side.choices, default=Side.JOINT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TODO
    )
    blocks_go_live = models.BooleanField(_("blocks go-live"), default=False)
    derived_from = models.CharField(
        _("derived from"),
        max_length=30,
        choices=DerivedFrom.choices,
        blank=True,
        default="",
        help_text=_("Empty for an item ticked by hand; else the fact its status follows."),
    )
    notes = models.TextField(_("notes"), blank=True)
    position = models.PositiveIntegerField(default=0)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    OPEN_STATUSES = (Status.TODO, Status.IN_PROGRESS)

    class Meta:
        ordering = ["programme_id", "section", "position", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "programme", "section", "position"],
                name="checklist_org_prog",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_derived(self) -> bool:
        return bool(self.derived_from)

    @property
    def derived_explanation(self) -> str:
        return str(self.DERIVED_EXPLANATIONS.get(self.derived_from, ""))


class GoLiveSignature(TenantOwned):
    """A sign-off of the go-live definition by one side. Superseded when the text changes."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="signatures", db_constraint=False
    )
    side = models.CharField(
        _("side"),
        max_length=10,
        choices=[(Side.CLIENT, Side.CLIENT.label), (Side.RPO, Side.RPO.label)],
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField()
    definition_text = models.TextField(_("text signed"))
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["programme_id", "signed_at", "id"]
        indexes = [models.Index(fields=["organisation", "programme"], name="signature_org_prog")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "programme", "side"],
                condition=Q(superseded_at__isnull=True),
                name="signature_one_current_per_side",
            ),
            models.CheckConstraint(
                condition=Q(side__in=["client", "rpo"]), name="signature_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} sign-off by {self.signed_by}"


class AgreedMetric(TenantOwned):
    """A metric a programme agreed: one of exactly three early metrics, or a nice-to-have.

    Before go-live an agreement is edited in place. After go-live it is locked: a change makes
    a new version with a reason and the old version stays as history (is_current false).
    """

    class Tier(models.TextChoices):
        EARLY = "early", _("Early metric")
        NICE_TO_HAVE = "nice_to_have", _("Nice to have")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="agreed_metrics",
        db_constraint=False,
    )
    metric_key = models.CharField(_("metric"), max_length=40, choices=METRIC_CHOICES)
    definition_version = models.PositiveIntegerField(_("definition version"))
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.EARLY)
    slot = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("1-3 for the early metrics; empty for nice-to-haves.")
    )
    baseline = models.DecimalField(
        _("baseline"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    version = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    change_reason = models.TextField(_("reason for the change"), blank=True)
    is_current = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme_id", "tier", "slot", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "programme", "is_current"], name="agreedmetric_org_prog"
            )
        ]
        constraints = [
            # Exactly-three is enforced here as "at most one current metric per slot 1-3".
            models.UniqueConstraint(
                fields=["organisation", "programme", "slot"],
                condition=Q(is_current=True, tier="early"),
                name="agreedmetric_one_per_early_slot",
            ),
            models.UniqueConstraint(
                fields=["organisation", "programme", "metric_key"],
                condition=Q(is_current=True),
                name="agreedmetric_key_once",
            ),
            models.CheckConstraint(
                condition=(Q(tier="early") & Q(slot__gte=1) & Q(slot__lte=3))
                | (Q(tier="nice_to_have") & Q(slot__isnull=True)),
                name="agreedmetric_slot_matches_tier",
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(change_reason=""),
                name="agreedmetric_version_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_key_display()} v{self.version}"


class Risk(TenantOwned):
    """An entry of the programme's central risk log."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MITIGATING = "mitigating", _("Mitigating")
        ACCEPTED = "accepted", _("Accepted")
        CLOSED = "closed", _("Closed")

    ACTIVE_STATUSES = (Status.OPEN, Status.MITIGATING)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="risks", db_constraint=False
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (rare) to 5 (almost certain)"),
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (minor) to 5 (severe)"),
    )
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    process_area = models.CharField(_("process area"), max_length=20, choices=ProcessArea.choices)
    requisitions: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "requisitions.Requisition",
        through="RiskRequisition",
        blank=True,
        related_name="risks",
        verbose_name=_("linked requisitions"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "programme", "status"], name="risk_org_prog_status"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def rating(self) -> str:
        """high (15-25), medium (8-14) or low (1-7), as METRICS.md rates risk exposure."""
        return risk_rating(self.likelihood * self.impact)


def risk_rating(score: int) -> str:
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


class RiskRequisition(TenantOwned):
    """A requisition a risk affects (the link table is tenant data too)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    requisition = models.ForeignKey(
        "requisitions.Requisition",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "risk", "requisition"], name="risk_requisition_once"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "requisition"], name="riskreq_org_req")]

    def __str__(self) -> str:
        return f"{self.risk_id} -> {self.requisition_id}"


class Improvement(TenantOwned):
    """An item of the improvement backlog, with where it came from."""

    class Kind(models.TextChoices):
        OPERATIONAL = "operational", _("Operational")
        STRATEGIC = "strategic", _("Strategic")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")
        CRITICAL = 4, _("Critical")

    class Effort(models.TextChoices):
        SMALL = "s", _("Small")
        MEDIUM = "m", _("Medium")
        LARGE = "l", _("Large")

    class Status(models.TextChoices):
        IDEA = "idea", _("Idea")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Raised directly")
        RISK = "risk", _("A risk")
        FEEDBACK = "feedback", _("A feedback response")
        ERG = "erg", _("An ERG note")
        AUDIT = "audit", _("A “become a candidate” audit")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="improvements", db_constraint=False
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.OPERATIONAL
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    effort = models.CharField(
        _("effort"), max_length=1, choices=Effort.choices, default=Effort.MEDIUM
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IDEA
    )
    done_at = models.DateTimeField(null=True, blank=True)
    process_area = models.CharField(_("process area"), max_length=20, choices=ProcessArea.choices)
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL
    )
    origin_risk = models.ForeignKey(
        Risk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvements",
        verbose_name=_("risk it came from"),
        db_constraint=False,
    )
    # Feedback responses, ERG notes and audits live in later apps: they point back by id.
    origin_ref = models.BigIntegerField(null=True, blank=True)
    metric_key = models.CharField(
        _("metric it should move"), max_length=40, choices=METRIC_CHOICES, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "programme", "status"], name="improvement_org_prog_status"
            ),
            models.Index(fields=["organisation", "origin_risk"], name="improvement_org_risk"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="improvement_done_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title
