"""The organisation dashboard: the agreed early metrics first, then Build and Run at a glance.

Reads every other app through its selectors and models; nothing imports `metrics`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from programmes import selectors as programme_selectors
from programmes.models import AgreedMetric, Improvement, Programme, Risk, risk_rating
from requisitions import selectors as requisition_selectors


@dataclass
class ProgrammeSummary:
    programme: Programme
    early_metrics: list[dict[str, Any]] = field(default_factory=list)
    risk_score: int = 0
    high_risks: int = 0
    open_risks: int = 0
    improvements: dict[str, int] = field(default_factory=dict)

    @property
    def readiness(self) -> int | None:
        applicable = getattr(self.programme, "items_applicable", 0)
        return round(100 * self.programme.items_done / applicable) if applicable else None  # type: ignore[attr-defined]


@dataclass
class Dashboard:
    programmes: list[ProgrammeSummary]
    requisitions: dict[str, int]
    improvements: dict[str, int]

    @property
    def live(self) -> list[ProgrammeSummary]:
        return [p for p in self.programmes if p.programme.is_live]

    @property
    def in_build(self) -> list[ProgrammeSummary]:
        return [p for p in self.programmes if not p.programme.is_live]


IMPROVEMENT_STATUSES = (
    Improvement.Status.IN_PROGRESS,
    Improvement.Status.PLANNED,
    Improvement.Status.DONE,
)


def dashboard() -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries whatever the data size."""
    programmes = {p.pk: ProgrammeSummary(p) for p in programme_selectors.programme_list()}
    metrics = (
        AgreedMetric.objects.filter(
            is_current=True, tier=AgreedMetric.Tier.EARLY, programme_id__in=list(programmes)
        )
        .select_related("owner")
        .order_by("slot")
    )
    for metric in metrics:
        programmes[metric.programme_id].early_metrics.append(
            {"metric": metric, "name": programme_selectors.metric_name(metric.metric_key)}
        )
    risks = (
        Risk.objects.filter(status__in=Risk.ACTIVE_STATUSES)
        .values("programme_id", "score")
        .annotate(n=Count("id"))
    )
    for row in risks:
        summary = programmes.get(row["programme_id"])
        if summary is None:
            continue
        summary.risk_score += row["score"] * row["n"]
        summary.open_risks += row["n"]
        if risk_rating(row["score"]) == "high":
            summary.high_risks += row["n"]
    # Improvements per programme: each count links to that programme's backlog filtered the
    # same way (there is no organisation-wide backlog to link a total to).
    improvements: dict[str, int] = defaultdict(int)
    per_programme = (
        Improvement.objects.filter(status__in=IMPROVEMENT_STATUSES)
        .values("programme_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in per_programme:
        improvements[row["status"]] += row["n"]
        summary = programmes.get(row["programme_id"])
        if summary is not None:
            summary.improvements[row["status"]] = row["n"]
    ordered = sorted(programmes.values(), key=lambda s: (not s.programme.is_live, s.programme.name))
    return Dashboard(ordered, requisition_selectors.overdue_summary(), dict(improvements))
