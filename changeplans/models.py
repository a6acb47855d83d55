from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned

from .frameworks import ALL_ELEMENT_KEYS, ELEMENT_CHOICES, SCORE_MAX, SCORE_MIN, Framework


class PlanKind(models.TextChoices):
    IMPLEMENTATION = "implementation", _("Implementation")
    NEW_GEOGRAPHY = "new_geography", _("New geography or business unit")
    NEW_ASSESSMENT = "new_assessment", _("New assessment method")
    PROCESS_CHANGE = "process_change", _("Process change")
    NEW_TECHNOLOGY = "new_technology", _("New technology")
    OTHER = "other", _("Other")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    DONE = "done", _("Done")


class ChangePlan(TenantOwned):
    """A change plan: the implementation, or any later change to a programme."""

    Kind = PlanKind
    Status = PlanStatus

    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        related_name="change_plans",
        verbose_name=_("programme"),
        db_constraint=False,
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind of change"), max_length=30, choices=Kind.choices, default=Kind.IMPLEMENTATION
    )
    framework = models.CharField(
        _("framework"),
        max_length=20,
        choices=Framework.choices,
        default=Framework.ADKAR,
        help_text=_("ADKAR suits changes people must adopt one by one; it shows barrier points."),
    )
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [
            models.Index(fields=["organisation", "programme", "title"], name="changeplan_org_prog"),
            models.Index(fields=["organisation", "status"], name="changeplan_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in PlanKind]),
                name="changeplan_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(framework__in=[f.value for f in Framework]),
                name="changeplan_framework_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in PlanStatus]),
                name="changeplan_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="changeplan_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class GroupKind(models.TextChoices):
    FREQUENT_HIRERS = "frequent_hirers", _("Frequent hirers")
    ONCE_A_YEAR_HIRERS = "once_a_year_hirers", _("Once-a-year hirers")
    EXECUTIVES = "executives", _("Executives")
    ERGS = "ergs", _("Employee resource groups")
    TALENT_TEAM = "talent_team", _("Internal talent team")
    OTHER = "other", _("Other")


class Influence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class StakeholderGroup(TenantOwned):
    """People affected by a change who move through it together."""

    Kind = GroupKind
    Influence = Influence

    plan = models.ForeignKey(
        ChangePlan,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("plan"),
        db_constraint=False,
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    size = models.PositiveIntegerField(
        _("size"), default=0, help_text=_("About how many people are in the group.")
    )
    influence = models.CharField(
        _("influence"), max_length=10, choices=Influence.choices, default=Influence.MEDIUM
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["organisation", "plan", "name"], name="stakeholder_org_plan")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "plan", "name"],
                name="stakeholder_unique_name_per_plan",
                violation_error_message=_("This plan already has a group with that name."),
            ),
            models.CheckConstraint(
                condition=models.Q(size__gte=0), name="stakeholder_size_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in GroupKind]),
                name="stakeholder_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(influence__in=[i.value for i in Influence]),
                name="stakeholder_influence_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(TenantOwned):
    """One group's score on one framework element on one date. History is kept."""

    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("group"),
        db_constraint=False,
    )
    element = models.CharField(_("element"), max_length=30, choices=ELEMENT_CHOICES)
    score = models.PositiveSmallIntegerField(
        _("score"),
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
        help_text=_("1 = not at all, 5 = fully."),
    )
    assessed_on = models.DateField(_("assessed on"))
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(
                fields=["organisation", "group", "element", "-assessed_on", "-id"],
                name="assessment_org_latest",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="assessment_score_1_to_5",
                violation_error_message=_("A score is between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(element__in=list(ALL_ELEMENT_KEYS)),
                name="assessment_element_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.element} {self.score}"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    INTRANET = "intranet", _("Intranet")
    TOWN_HALL = "town_hall", _("Town hall")
    ONE_TO_ONE = "one_to_one", _("1-1")
    NEWSLETTER = "newsletter", _("Newsletter")


class CommunicationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Communication(TenantOwned):
    """One entry of a plan's communications plan."""

    Channel = Channel
    Status = CommunicationStatus

    plan = models.ForeignKey(
        ChangePlan,
        on_delete=models.CASCADE,
        related_name="communications",
        verbose_name=_("plan"),
        db_constraint=False,
    )
    audience: models.ManyToManyField[StakeholderGroup, CommunicationAudience] = (
        models.ManyToManyField(
            StakeholderGroup,
            through="CommunicationAudience",
            related_name="communications",
            verbose_name=_("audience"),
            blank=True,
        )
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    message = models.TextField(_("message"))
    planned_date = models.DateField(_("planned date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Gets an email the day before it is due and when it is overdue."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The planned date each reminder was sent for: moving the date re-arms the reminders.
    due_reminded_for = models.DateField(null=True, blank=True, editable=False)
    overdue_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["planned_date", "id"]
        indexes = [
            models.Index(
                fields=["organisation", "plan", "planned_date"], name="communication_org_plan"
            ),
            models.Index(
                fields=["organisation", "status", "planned_date"],
                name="communication_org_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in Channel]),
                name="communication_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in CommunicationStatus]),
                name="communication_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status="sent", sent_at__isnull=False)
                | (~models.Q(status="sent") & models.Q(sent_at__isnull=True)),
                name="communication_sent_at_iff_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.planned_date}"


class CommunicationAudience(TenantOwned):
    """Which groups a communication addresses (a tenant table like any other)."""

    communication = models.ForeignKey(
        Communication,
        on_delete=models.CASCADE,
        related_name="audience_links",
        db_constraint=False,
    )
    group = models.ForeignKey(
        StakeholderGroup,
        on_delete=models.CASCADE,
        related_name="audience_links",
        db_constraint=False,
    )

    class Meta:
        indexes = [models.Index(fields=["organisation", "group"], name="comm_audience_org_group")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "communication", "group"],
                name="comm_audience_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.communication_id} -> {self.group_id}"
