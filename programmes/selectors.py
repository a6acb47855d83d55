"""Reads for programmes, scoped to the organisation in scope."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from rpo_portal.tenancy.clock import organisation_today

from .metric_catalogue import CATALOGUE
from .models import (
    AgreedMetric,
    ChecklistItem,
    GoLiveSignature,
    Improvement,
    Objective,
    Programme,
    Risk,
    risk_rating,
)

OPEN = Q(status__in=ChecklistItem.OPEN_STATUSES)
APPLICABLE = ~Q(status=ChecklistItem.Status.NOT_APPLICABLE)


def programme_list() -> QuerySet[Programme]:
    """Programmes with their checklist counts (one query, whatever the number of items)."""
    return Programme.objects.annotate(
        items_applicable=Count(
            "checklist_items",
            filter=~Q(checklist_items__status=ChecklistItem.Status.NOT_APPLICABLE),
        ),
        items_done=Count(
            "checklist_items", filter=Q(checklist_items__status=ChecklistItem.Status.DONE)
        ),
        blockers_open=Count(
            "checklist_items",
            filter=Q(
                checklist_items__blocks_go_live=True,
                checklist_items__status__in=ChecklistItem.OPEN_STATUSES,
            ),
        ),
    ).order_by("name", "id")


def checklist_items(
    programme: Programme,
    *,
    section: str = "",
    owner_side: str = "",
    owner_id: int | None = None,
    status: str = "",
) -> QuerySet[ChecklistItem]:
    items = ChecklistItem.objects.filter(programme=programme).select_related(
        "owner", "completed_by"
    )
    if section:
        items = items.filter(section=section)
    if owner_side:
        items = items.filter(owner_side=owner_side)
    if owner_id:
        items = items.filter(owner_id=owner_id)
    if status == "open":
        items = items.filter(OPEN)
    elif status == "blocking":  # what readiness counts as open blockers
        items = items.filter(OPEN, blocks_go_live=True)
    elif status:
        items = items.filter(status=status)
    return items.order_by("section", "position", "id")


@dataclass
class SectionReadiness:
    section: str
    label: str
    applicable: int = 0
    done: int = 0

    @property
    def percent(self) -> int | None:
        """Done over applicable items, None when nothing applies (no value from nothing)."""
        return round(100 * self.done / self.applicable) if self.applicable else None


@dataclass
class Readiness:
    sections: list[SectionReadiness]
    overall: SectionReadiness
    open_blockers: list[ChecklistItem] = field(default_factory=list)
    overdue: list[ChecklistItem] = field(default_factory=list)


def readiness(
    programme: Programme, items: list[ChecklistItem] | None = None, today: date | None = None
) -> Readiness:
    """Readiness per section and overall (not-applicable items excluded), open blockers and
    overdue items."""
    if items is None:
        items = list(checklist_items(programme))
    today = today or organisation_today()
    sections = {s: SectionReadiness(s, str(label)) for s, label in ChecklistItem.Section.choices}
    overall = SectionReadiness("overall", _("Overall"))
    result = Readiness(list(sections.values()), overall)
    for item in items:
        if item.status == ChecklistItem.Status.NOT_APPLICABLE:
            continue
        done = item.status == ChecklistItem.Status.DONE
        for bucket in (sections[item.section], overall):
            bucket.applicable += 1
            bucket.done += done
        if item.is_open and item.blocks_go_live:
            result.open_blockers.append(item)
        if item.is_open and item.due_date and item.due_date < today:
            result.overdue.append(item)
    return result


def current_signatures(programme: Programme) -> list[GoLiveSignature]:
    return list(
        GoLiveSignature.objects.filter(programme=programme, superseded_at__isnull=True)
        .select_related("signed_by")
        .order_by("signed_at")
    )


def signature_history(programme: Programme) -> QuerySet[GoLiveSignature]:
    return (
        GoLiveSignature.objects.filter(programme=programme)
        .select_related("signed_by")
        .order_by("-signed_at")
    )


def agreed_metrics(
    programme: Programme, *, include_history: bool = False
) -> QuerySet[AgreedMetric]:
    metrics = AgreedMetric.objects.filter(programme=programme).select_related("owner", "created_by")
    if not include_history:
        metrics = metrics.filter(is_current=True)
    return metrics.order_by("tier", "slot", "metric_key", "-version")


def go_live_blockers(programme: Programme) -> list[str]:
    """What stands between the programme and go-live sign-off, as sentences."""
    # A derived item restates a fact whose own sentence follows (the early metrics), so it is
    # not listed twice.
    missing = [
        _("Blocking checklist item open: %(title)s") % {"title": item.title}
        for item in ChecklistItem.objects.filter(
            programme=programme, blocks_go_live=True, derived_from=""
        )
        .filter(OPEN)
        .order_by("section", "position", "id")
    ]
    early = AgreedMetric.objects.filter(
        programme=programme, is_current=True, tier=AgreedMetric.Tier.EARLY
    ).count()
    if early != 3:
        missing.append(_("Three early metrics must be agreed; %(n)d agreed so far.") % {"n": early})
    return missing


def objectives(programme: Programme) -> QuerySet[Objective]:
    return Objective.objects.filter(programme=programme).order_by("status", "id")


def metric_name(key: str) -> str:
    definition = CATALOGUE.get(key)
    return definition.name if definition else key


def go_live_state(programme: Programme) -> dict[str, Any]:
    """The go-live definition, the current signatures and what still blocks sign-off."""
    return {
        "definition": programme.go_live_definition,
        "status": programme.status,
        "went_live_on": programme.went_live_on,
        "signatures": current_signatures(programme),
        "blockers": go_live_blockers(programme) if not programme.is_live else [],
    }


# --- Risk log and improvement backlog -------------------------------------------------------


# Score bounds of each rating, as risk_rating() rates (METRICS.md).
RATING_SCORES = {"high": (15, 25), "medium": (8, 14), "low": (1, 7)}


def risk_list(
    programme: Programme | None = None,
    *,
    status: str = "",
    process_area: str = "",
    active_only: bool = False,
    rating: str = "",
) -> QuerySet[Risk]:
    """Risks, highest score first, with owner, programme and linked requisitions loaded.

    `status` "active" means open or mitigating (what exposure counts); `rating` is high, medium
    or low as `risk_rating` rates a score."""
    risks = Risk.objects.select_related("owner", "programme").prefetch_related("requisitions")
    if programme is not None:
        risks = risks.filter(programme=programme)
    if active_only or status == "active":
        risks = risks.filter(status__in=Risk.ACTIVE_STATUSES)
    elif status:
        risks = risks.filter(status=status)
    if rating in RATING_SCORES:
        low, high = RATING_SCORES[rating]
        risks = risks.filter(score__gte=low, score__lte=high)
    if process_area:
        risks = risks.filter(process_area=process_area)
    return risks.order_by("-score", "id")


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    count: int

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> str:
        return risk_rating(self.score)


def risk_heat_map(programme: Programme) -> list[tuple[int, list[HeatCell]]]:
    """Open and mitigating risks counted by impact (rows, 5 down to 1) and likelihood (1-5)."""
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in Risk.objects.filter(programme=programme, status__in=Risk.ACTIVE_STATUSES)
        .values("likelihood", "impact")
        .annotate(n=Count("id"))
    }
    return [
        (
            impact,
            [
                HeatCell(likelihood, impact, counts.get((likelihood, impact), 0))
                for likelihood in range(1, 6)
            ],
        )
        for impact in range(5, 0, -1)
    ]


def risk_exposure(programme: Programme) -> dict[str, int]:
    """Sum of likelihood x impact over open risks, and their counts by rating (METRICS.md)."""
    result = {"score": 0, "high": 0, "medium": 0, "low": 0, "open": 0}
    scores = Risk.objects.filter(programme=programme, status__in=Risk.ACTIVE_STATUSES).values_list(
        "score", flat=True
    )
    for score in scores:
        result["score"] += score
        result[risk_rating(score)] += 1
        result["open"] += 1
    return result


def improvement_list(
    programme: Programme | None = None,
    *,
    status: str = "",
    kind: str = "",
    origin: str = "",
    process_area: str = "",
) -> QuerySet[Improvement]:
    improvements = Improvement.objects.select_related("owner", "programme", "origin_risk")
    if programme is not None:
        improvements = improvements.filter(programme=programme)
    for name, value in (
        ("status", status),
        ("kind", kind),
        ("origin", origin),
        ("process_area", process_area),
    ):
        if value:
            improvements = improvements.filter(**{name: value})
    return improvements.order_by("-priority", "id")
