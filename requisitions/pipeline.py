"""The two state machines: requisition status and application stage.

Pure functions over the stage and status values, so the UI (which buttons to offer), the API
(which moves to name in a 400) and the services (what to refuse) read the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import CLOSED_STAGES, PIPELINE, RequisitionStatus, Stage

# Status changes a person may make. `filled` is reached only by itself (accepted offers reach
# the openings) and left only by itself (an accepted offer falls through).
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    RequisitionStatus.DRAFT: (RequisitionStatus.OPEN, RequisitionStatus.CANCELLED),
    RequisitionStatus.OPEN: (RequisitionStatus.ON_HOLD, RequisitionStatus.CANCELLED),
    RequisitionStatus.ON_HOLD: (RequisitionStatus.OPEN, RequisitionStatus.CANCELLED),
    RequisitionStatus.FILLED: (),
    RequisitionStatus.CANCELLED: (),
}


def allowed_statuses(status: str) -> tuple[str, ...]:
    return STATUS_TRANSITIONS.get(status, ())


@dataclass(frozen=True)
class Move:
    stage: str
    backwards: bool  # a step back along the pipeline (or a reopen): needs a reason
    needs_reason: bool

    @property
    def label(self) -> str:
        return str(Stage(self.stage).label)


def _index(stage: str) -> int:
    return PIPELINE.index(Stage(stage))


def allowed_moves(stage: str, stage_reached: str = "") -> list[Move]:
    """Every move from `stage`: forward first, then the outcomes, then the steps back.

    Forward moves may skip ahead to `offer` (an internal candidate may go straight to
    interview), but `accepted` comes only from `offer` and `started` only from `accepted`.
    Rejected and withdrawn applications can be reopened at the stage they had reached.
    """
    if stage in CLOSED_STAGES:
        if not stage_reached:
            return []
        return [Move(stage_reached, backwards=True, needs_reason=True)]
    position = _index(stage)
    forward: list[Move] = []
    for later in PIPELINE[position + 1 :]:
        if later == Stage.ACCEPTED and stage != Stage.OFFER:
            continue
        if later == Stage.STARTED and stage != Stage.ACCEPTED:
            continue
        forward.append(Move(later, backwards=False, needs_reason=False))
    outcomes: list[Move] = []
    if stage != Stage.STARTED:
        outcomes = [
            Move(Stage.REJECTED, backwards=False, needs_reason=True),
            Move(Stage.WITHDRAWN, backwards=False, needs_reason=True),
        ]
    back = [Move(earlier, backwards=True, needs_reason=True) for earlier in PIPELINE[:position]]
    back.reverse()  # the nearest step back first
    return [*forward, *outcomes, *back]


def move_for(stage: str, stage_reached: str, target: str) -> Move | None:
    for move in allowed_moves(stage, stage_reached):
        if move.stage == target:
            return move
    return None


def describe_moves(stage: str, stage_reached: str = "") -> str:
    """'Screening, Interview, Rejected (with a reason), ...' for error messages."""
    moves = allowed_moves(stage, stage_reached)
    if not moves:
        return _("none")
    parts = []
    for move in moves:
        parts.append(
            _("%(stage)s (with a reason)") % {"stage": move.label}
            if move.needs_reason
            else move.label
        )
    return ", ".join(parts)
