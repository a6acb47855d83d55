"""Working hours in the organisation's time zone: 09:00-17:30, Monday to Friday."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.working_hours import (
    is_working_moment,
    working_after,
    working_before,
    working_day,
)

ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"]
moments = st.datetimes(
    min_value=dt.datetime(2024, 1, 1),  # noqa: DTZ001  (hypothesis wants naive bounds)
    max_value=dt.datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)


pytestmark = pytest.mark.django_db
# The database only hosts tenant_context's transaction; no example writes anything.
examples = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)


def _in(zone: str):  # type: ignore[no-untyped-def]
    # A copy of a saved organisation in another zone: the helpers only read its time zone.
    organisation = Organisation.objects.get_or_create(slug="tz", defaults={"name": "TZ"})[0]
    organisation.timezone = zone
    return tenant_context(organisation)


@examples
@given(moment=moments, zone=st.sampled_from(ZONES))
def test_working_before_is_the_latest_working_moment_not_after(db, moment, zone):
    with _in(zone):
        before = working_before(moment)
        assert before <= moment and is_working_moment(before)
        if is_working_moment(moment):
            assert before == moment


@examples
@given(
    moment=moments,
    zone=st.sampled_from(ZONES),
    days=st.integers(0, 30),
    h1=st.floats(0, 40),
    h2=st.floats(0, 40),
)
def test_working_after_is_a_later_working_moment_and_keeps_order(db, moment, zone, days, h1, h2):
    with _in(zone):
        start = working_before(moment)
        first = working_after(start, days=days, hours=min(h1, h2))
        second = working_after(start, days=days, hours=max(h1, h2))
        assert start <= first <= second
        assert is_working_moment(first) and is_working_moment(second)


def test_working_hours_are_the_organisations_local_hours(db):
    saturday_noon_utc = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    with _in("Asia/Tokyo"):
        # 21:00 on a Saturday in Tokyo: back to Friday 17:30 Tokyo time
        assert working_before(saturday_noon_utc) == dt.datetime(
            2026, 11, 27, 17, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo")
        )
    with _in("Europe/London"):
        assert working_day(dt.date(2026, 11, 29), minutes=90) == dt.datetime(  # a Sunday
            2026, 11, 27, 10, 30, tzinfo=zoneinfo.ZoneInfo("Europe/London")
        )
    monday_8_london = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    with _in("Europe/London"):
        assert not is_working_moment(monday_8_london)
    with _in("Europe/Berlin"):
        assert is_working_moment(monday_8_london)  # 09:00 in Berlin
