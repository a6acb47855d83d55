"""The organisation dashboard: the agreed early metrics first, then Build and Run at a glance.

Reads every other app through its selectors and models; nothing imports `metrics`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

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
    improvements: dict[str, int] = defaultdict(int)
    improvements.update(
        Improvement.objects.aggregate(
            in_progress=Count("id", filter=Q(status=Improvement.Status.IN_PROGRESS)),
            planned=Count("id", filter=Q(status=Improvement.Status.PLANNED)),
            done=Count("id", filter=Q(status=Improvement.Status.DONE)),
        )
    )
    ordered = sorted(programmes.values(), key=lambda s: (not s.programme.is_live, s.programme.name))
    return Dashboard(ordered, requisition_selectors.overdue_summary(), dict(improvements))
