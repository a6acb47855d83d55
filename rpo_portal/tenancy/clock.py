"""Dates in the organisation's time zone (METRICS.md: times are in the organisation's zone)."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.utils import timezone

from .context import require_organisation


def organisation_today(now: datetime | None = None) -> date:
    """Today's date where the organisation in scope is."""
    organisation = require_organisation()
    moment = now or timezone.now()
    return moment.astimezone(zoneinfo.ZoneInfo(organisation.timezone)).date()
