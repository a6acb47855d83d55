"""Demo programmes (idempotent)."""

from __future__ import annotations

from typing import Any

from . import services
from .models import Programme

DEMO_PROGRAMMES = {
    "acme": ["UK store management hiring", "Graduate intake 2027"],
    "globex": ["Engineering hiring, DACH expansion"],
}


def seed(*, organisation: Any, users: dict[str, Any]) -> None:
    for name in DEMO_PROGRAMMES.get(organisation.slug, ["Demo programme"]):
        if not Programme.objects.filter(name=name).exists():
            services.programme_create(name=name, by=users.get("talent_lead"))
