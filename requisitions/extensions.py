"""What requisitions add to the pages of the apps below them (see programmes/extensions.py)."""

from __future__ import annotations

from typing import Any

from programmes.extensions import Section
from programmes.models import Programme

from . import selectors


def programme_run_section(
    sender: type[Programme], *, programme: Programme, **kwargs: Any
) -> Section:
    """The programme overview's Run at a glance: its requisitions and live pipeline."""
    return Section(
        "requisitions/_programme_run.html", selectors.programme_run(programme.pk), order=10
    )
