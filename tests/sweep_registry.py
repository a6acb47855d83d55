"""How the isolation sweep fills URL keyword arguments with tenant A's objects.

Every URL kwarg except `org_slug` must have an entry; a pattern with an unknown kwarg fails the
sweep, so each new URL is covered or noticed. An entry receives the objects already made for the
kwargs to its left in the same URL (so `item_id` can belong to `programme_id`'s programme) and
returns the object (its `pk` goes into the URL) or a plain value. Fillers run inside tenant A's
`tenant_context`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.factories import ProgrammeFactory

Made = dict[str, Any]

SWEEP_KWARGS: dict[str, Callable[[Made], Any]] = {
    "programme_id": lambda made: ProgrammeFactory(name="SWEEP-SENTINEL-A programme"),
}

# Text every sentinel object of tenant A carries; it must never appear in a response to B.
SENTINEL = "SWEEP-SENTINEL-A"
