"""ADKAR barrier points (Prosci): where a group's change stalls.

The rule, walking the elements in ADKAR order (awareness, desire, knowledge, ability,
reinforcement) over each element's latest score:

- the first element scoring 3 or less is the barrier point (state ``barrier``);
- an element with no score yet stops the walk before any low score is found: the barrier is
  ``unknown``, because that element could itself be the barrier; ``element`` then names the
  element to assess next;
- when all five score 4 or more there is no barrier (state ``clear``, element None).

A low score after an unscored element therefore does not count yet: awareness unscored and desire
2 is ``unknown`` (assess awareness), not a barrier at desire. An unscored element after the first
low score does not matter: awareness 2 is a barrier at awareness whatever follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .frameworks import ADKAR_ORDER, BARRIER_THRESHOLD

BarrierState = Literal["barrier", "clear", "unknown"]
BARRIER_STATES: tuple[BarrierState, ...] = ("barrier", "clear", "unknown")


@dataclass(frozen=True)
class Barrier:
    state: BarrierState
    element: str | None  # the barrier element, or the element to assess next when unknown


def barrier_point(latest: Mapping[str, int]) -> Barrier:
    """The ADKAR barrier point of one group from its latest score per element."""
    for element in ADKAR_ORDER:
        score = latest.get(element)
        if score is None:
            return Barrier("unknown", element)
        if score <= BARRIER_THRESHOLD:
            return Barrier("barrier", element)
    return Barrier("clear", None)
