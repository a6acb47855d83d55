"""Extension points: apps built on programmes add to a programme's pages.

`programmes` may not import the apps that depend on it (import-linter), yet its overview shows
their view of the programme (e.g. the requisitions' Run at a glance). It asks through a signal:
each receiver returns a `Section` to include, or None. Receivers are connected in their app's
`AppConfig.ready()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

from .models import Programme

# send(sender=Programme, programme=<Programme>) -> Section | None per receiver
programme_overview = Signal()


@dataclass(frozen=True)
class Section:
    """A template to include on the programme overview and the data it shows (as `data`)."""

    template: str
    data: Any
    order: int = 100


def overview_sections(programme: Programme) -> list[Section]:
    """The sections other apps add to the programme's overview, in their order."""
    responses = programme_overview.send(sender=Programme, programme=programme)
    sections: list[Section] = []
    for _receiver, section in responses:
        if isinstance(section, Section):
            sections.append(section)
    return sorted(sections, key=lambda s: s.order)
