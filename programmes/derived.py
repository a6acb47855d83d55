"""Checklist items that restate a fact the product knows follow that fact.

"Three early metrics agreed" is true exactly when the programme has three current early
metrics; ticking it by hand could only make it disagree with the metrics page. An item with
`derived_from` set takes its status from the fact (done when it holds, to do when not), is kept
in step by the services that change the fact, and cannot be set by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import AgreedMetric, ChecklistItem, Programme


def early_metrics_agreed(programme: Programme) -> bool:
    return (
        AgreedMetric.objects.filter(
            programme=programme, is_current=True, tier=AgreedMetric.Tier.EARLY
        ).count()
        == 3
    )


@dataclass(frozen=True)
class Fact:
    holds: Callable[[Programme], bool]


# Every DerivedFrom choice has its fact here and its explanation in ChecklistItem.
FACTS: dict[str, Fact] = {
    ChecklistItem.DerivedFrom.EARLY_METRICS_AGREED: Fact(early_metrics_agreed),
}


def status_for(item: ChecklistItem) -> str:
    """The status a derived item must have now."""
    holds = FACTS[item.derived_from].holds(item.programme)
    return ChecklistItem.Status.DONE if holds else ChecklistItem.Status.TODO
