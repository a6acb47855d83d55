"""The metric catalogue (METRICS.md): keys, names, units, direction and definition versions.

Programmes agree metrics by key and record the definition version they agreed to; the metrics
app computes them. A changed definition is a new version here, never a silent edit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    name: str
    unit: str
    higher_is_better: bool
    version: int
    definition: str


CATALOGUE: dict[str, MetricDefinition] = {
    m.key: m
    for m in [
        MetricDefinition(
            "time_to_fill",
            "Time to fill",
            "days",
            False,
            1,
            "For each filled opening: from the requisition first becoming open to the "
            "offer acceptance of the hire that fills it; calendar days, on-hold time "
            "included. Median (headline), mean, 75th percentile.",
        ),
        MetricDefinition(
            "time_to_hire",
            "Time to hire",
            "days",
            False,
            1,
            "For each hire: from the application entering applied to its offer acceptance. Median.",
        ),
        MetricDefinition(
            "time_to_start",
            "Time to start",
            "days",
            False,
            1,
            "For each hire: offer acceptance to start date. Median.",
        ),
        MetricDefinition(
            "hires",
            "Hires",
            "count",
            True,
            1,
            "Applications reaching accepted, counted by acceptance date.",
        ),
        MetricDefinition(
            "offer_acceptance_rate",
            "Offer acceptance rate",
            "%",
            True,
            1,
            "Accepted / (accepted + offers declined).",
        ),
        MetricDefinition(
            "kickoff_within_5_days",
            "Kick-off within 5 working days",
            "%",
            True,
            1,
            "Share of requisitions whose kick-off was held within 5 working days of "
            "first becoming open.",
        ),
        MetricDefinition(
            "hm_satisfaction",
            "Hiring-manager satisfaction",
            "score 1-5",
            True,
            1,
            "Mean of the headline question (1-5) of the post-role survey; also the "
            "share answering 4 or 5.",
        ),
        MetricDefinition(
            "hm_response_rate",
            "Hiring-manager survey response rate",
            "%",
            True,
            1,
            "Invitations answered / invitations sent, over answered or expired invitations.",
        ),
        MetricDefinition(
            "candidate_nps",
            "Candidate NPS",
            "points",
            True,
            1,
            "100 x (promoters - detractors) / n, with its 95% confidence interval.",
        ),
        MetricDefinition(
            "quality_of_hire",
            "Quality of hire",
            "%",
            True,
            1,
            "Share answering yes to 'Would you enthusiastically re-hire this person?' at 90 days.",
        ),
        MetricDefinition(
            "diverse_shortlists",
            "Diverse shortlists",
            "%",
            True,
            1,
            "Share of filled requisitions whose interview stage included at least "
            "one candidate from an under-represented group (3+ interviewed).",
        ),
        MetricDefinition(
            "open_requisitions",
            "Open requisitions",
            "count",
            False,
            1,
            "Requisitions open or on hold at the period's end.",
        ),
        MetricDefinition(
            "overdue_requisitions",
            "Overdue requisitions",
            "count",
            False,
            1,
            "Open or on-hold requisitions past their target fill date.",
        ),
        MetricDefinition(
            "stage_conversion",
            "Stage conversion",
            "%",
            True,
            1,
            "For each stage: applications reaching the next stage / reaching this.",
        ),
        MetricDefinition(
            "time_in_stage",
            "Time in stage",
            "days",
            False,
            1,
            "For each stage: median time from entering to leaving it.",
        ),
        MetricDefinition(
            "source_of_hire", "Source of hire", "count", True, 1, "Hires by candidate source."
        ),
        MetricDefinition(
            "risk_exposure",
            "Risk exposure",
            "score",
            False,
            1,
            "Sum of likelihood x impact over open risks.",
        ),
        MetricDefinition(
            "improvements_done",
            "Improvements done",
            "count",
            True,
            1,
            "Improvements reaching done, by kind and origin.",
        ),
    ]
}

METRIC_CHOICES = [(m.key, m.name) for m in CATALOGUE.values()]


def definition(key: str) -> MetricDefinition:
    return CATALOGUE[key]
