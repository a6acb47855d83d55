"""Working hours in the organisation's time zone: 09:00 to 17:30, Monday to Friday.

The demo data places every moment it invents here, so timelines read like real work. The zone
is the organisation in scope's (`Organisation.timezone`), read in one place: `zone()`.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, time, timedelta

from .context import require_organisation

DAY_START = time(9, 0)
DAY_END = time(17, 30)


def zone() -> zoneinfo.ZoneInfo:
    """The time zone working hours are counted in: the organisation in scope's."""
    return zoneinfo.ZoneInfo(require_organisation().timezone)


def is_working_moment(moment: datetime) -> bool:
    local = moment.astimezone(zone())
    return local.weekday() < 5 and DAY_START <= local.time() <= DAY_END


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone())


def _previous_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _next_weekday(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def working_before(moment: datetime) -> datetime:
    """The latest working moment at or before `moment` (itself when it is one)."""
    local = moment.astimezone(zone())
    if local.weekday() < 5 and local.time() >= DAY_START:
        return min(local, _at(local.date(), DAY_END))
    return _at(_previous_weekday(local.date() - timedelta(days=1)), DAY_END)


def working_day(day: date, *, minutes: int = 0) -> datetime:
    """`minutes` after 09:00 (at most 17:30) on `day`, or on the Friday before a weekend day."""
    start = _at(_previous_weekday(day), DAY_START)
    return min(start + timedelta(minutes=minutes), _at(start.date(), DAY_END))


def working_after(start: datetime, *, days: int = 0, hours: float = 0) -> datetime:
    """`days` working days and then `hours` working hours after `start` (first brought back to
    working hours): never earlier than that, always a working moment."""
    local = working_before(start)
    for _ in range(days):
        local = _at(_next_weekday(local.date()), local.time())
    remaining = timedelta(hours=hours)
    while remaining > timedelta(0):
        end = _at(local.date(), DAY_END)
        if local + remaining <= end:
            return local + remaining
        remaining -= end - local
        local = _at(_next_weekday(local.date()), DAY_START)
    return local
