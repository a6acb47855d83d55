"""Reads for change plans, scoped to the organisation in scope.

Every list selector returns a queryset already joined or prefetched for its callers, so the
number of queries does not grow with the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from rpo_portal.tenancy import selectors as tenancy_selectors

from .barriers import Barrier, barrier_point
from .frameworks import Element, Framework, element_label, elements_of, score_tone
from .models import Assessment, ChangePlan, Communication, StakeholderGroup

member_users = tenancy_selectors.member_users


def changeplan_list(
    *, programme_id: int | None = None, status: str = "", framework: str = ""
) -> QuerySet[ChangePlan]:
    """Plans with their programme, owner, group count and open communications count."""
    plans = ChangePlan.objects.select_related("programme", "owner").annotate(
        group_count=Count("groups", distinct=True),
        planned_count=Count(
            "communications",
            filter=Q(communications__status=Communication.Status.PLANNED),
            distinct=True,
        ),
    )
    if programme_id is not None:
        plans = plans.filter(programme_id=programme_id)
    if status:
        plans = plans.filter(status=status)
    if framework:
        plans = plans.filter(framework=framework)
    return plans.order_by("programme__name", "title", "id")


def changeplan_get(plan_id: int) -> ChangePlan:
    """The plan, or ChangePlan.DoesNotExist (a 404: other tenants' rows are invisible)."""
    return ChangePlan.objects.select_related("programme", "owner").get(pk=plan_id)


def group_list(*, plan: ChangePlan) -> QuerySet[StakeholderGroup]:
    return StakeholderGroup.objects.filter(plan=plan).order_by("name", "id")


def assessment_list(*, plan: ChangePlan) -> QuerySet[Assessment]:
    """Every assessment of the plan's groups, newest first (the history)."""
    return (
        Assessment.objects.filter(group__plan=plan)
        .select_related("group", "assessed_by")
        .order_by("-assessed_on", "-id")
    )


def communication_list(*, plan: ChangePlan) -> QuerySet[Communication]:
    return (
        Communication.objects.filter(plan=plan)
        .select_related("owner")
        .prefetch_related(
            Prefetch("audience", queryset=StakeholderGroup.objects.order_by("name", "id"))
        )
        .order_by("planned_date", "id")
    )


def communication_get(*, plan: ChangePlan, communication_id: int) -> Communication:
    return communication_list(plan=plan).get(pk=communication_id)


# --- The assessment grid ------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    element: Element
    score: int | None
    previous: int | None
    assessed_on: date | None

    @property
    def tone(self) -> str:
        return score_tone(self.score)

    @property
    def movement(self) -> int | None:
        """Change since the previous assessment of this element, if there was one."""
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def movement_abs(self) -> int:
        return abs(self.movement or 0)


@dataclass(frozen=True)
class GridRow:
    group: StakeholderGroup
    cells: list[Cell]
    barrier: Barrier | None  # None outside ADKAR

    @property
    def barrier_label(self) -> str:
        return element_label(self.barrier.element) if self.barrier and self.barrier.element else ""


@dataclass(frozen=True)
class Grid:
    elements: tuple[Element, ...]
    rows: list[GridRow] = field(default_factory=list)
    shows_barriers: bool = False

    @property
    def scored(self) -> bool:
        return any(cell.score is not None for row in self.rows for cell in row.cells)


def latest_scores(*, plan: ChangePlan) -> dict[tuple[int, str], tuple[Assessment, int | None]]:
    """(group id, element) -> (latest assessment, previous score or None), in one query.

    Latest means the most recent `assessed_on`; on the same day, the one recorded last.
    """
    ranked = (
        Assessment.objects.filter(group__plan=plan)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("group_id"), F("element")],
                order_by=[F("assessed_on").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=2)
        .order_by("group_id", "element", "rank")
    )
    out: dict[tuple[int, str], tuple[Assessment, int | None]] = {}
    for assessment in ranked:
        key = (assessment.group_id, assessment.element)
        if key in out:
            latest, _previous = out[key]
            out[key] = (latest, assessment.score)
        else:
            out[key] = (assessment, None)
    return out


def plan_grid(*, plan: ChangePlan) -> Grid:
    """The group x element grid: latest score, previous score and (ADKAR) barrier point."""
    elements = elements_of(plan.framework)
    adkar = plan.framework == Framework.ADKAR
    scores = latest_scores(plan=plan)
    rows = []
    for group in group_list(plan=plan):
        cells = []
        for element in elements:
            found = scores.get((group.pk, element.key))
            cells.append(
                Cell(
                    element=element,
                    score=found[0].score if found else None,
                    previous=found[1] if found else None,
                    assessed_on=found[0].assessed_on if found else None,
                )
            )
        barrier = (
            barrier_point({c.element.key: c.score for c in cells if c.score is not None})
            if adkar
            else None
        )
        rows.append(GridRow(group=group, cells=cells, barrier=barrier))
    return Grid(elements=elements, rows=rows, shows_barriers=adkar)


# --- Reminders ----------------------------------------------------------------------------------


def communications_due_tomorrow(*, today: date) -> QuerySet[Communication]:
    """Planned communications due the day after `today` whose owner has not been reminded."""
    tomorrow = today + timedelta(days=1)
    return (
        Communication.objects.filter(
            status=Communication.Status.PLANNED, planned_date=tomorrow, owner__isnull=False
        )
        .exclude(due_reminded_for=tomorrow)
        .select_related("plan", "owner")
        .order_by("pk")
    )


def communications_overdue(*, today: date) -> QuerySet[Communication]:
    """Planned communications past their date whose owner has not been told for that date."""
    return (
        Communication.objects.filter(
            status=Communication.Status.PLANNED, planned_date__lt=today, owner__isnull=False
        )
        .exclude(overdue_reminded_for=F("planned_date"))
        .select_related("plan", "owner")
        .order_by("pk")
    )
