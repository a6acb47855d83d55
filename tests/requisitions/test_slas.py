"""Service-level flags: working days, kick-off deadline, no movement, feedback overdue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from requisitions import selectors, services, slas
from requisitions.digest import digest_send
from rpo_portal.outbox.models import OutboxMessage

from .factories import make_application, make_requisition


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(0, 30))
def test_add_working_days_counts_only_weekdays(start, days):
    end = slas.add_working_days(start, days)
    between = [start + dt.timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(1 for d in between if d.weekday() < 5) == days
    assert days == 0 or end.weekday() < 5


def test_kickoff_deadline_skips_the_weekend():
    friday = dt.date(2026, 3, 6)
    assert slas.kickoff_deadline(friday) == dt.date(2026, 3, 13)  # the next Friday


def _flags(requisition, now):
    row = selectors.requisition_list(now=now).get(pk=requisition.pk)
    return row.flag_kickoff_late, row.flag_stale, row.flag_feedback_overdue


def test_kickoff_late_after_five_working_days_until_held(in_a):
    opened = timezone.now() - dt.timedelta(days=12)
    requisition = make_requisition(at=opened)
    assert _flags(requisition, opened + dt.timedelta(days=3))[0] is False
    late = timezone.now()  # 12 calendar days always hold more than 5 working days
    assert _flags(requisition, late)[0] is True
    # Recorded as history (`at`): a kick-off is never scheduled for a day already gone.
    kickoff = services.kickoff_schedule(requisition=requisition, scheduled_at=opened, at=opened)
    assert _flags(requisition, late)[0] is True  # scheduled is not held
    services.kickoff_mark_held(kickoff=kickoff, held_at=opened + dt.timedelta(hours=2))
    assert _flags(requisition, late)[0] is False


def test_no_movement_flag_clears_when_a_candidate_moves(in_a, settings):
    settings.REQUISITION_STALE_DAYS = 7
    past = timezone.now() - dt.timedelta(days=10)
    requisition = make_requisition(at=past)
    now = timezone.now()
    assert _flags(requisition, now)[1] is True
    make_application(requisition=requisition)
    assert _flags(requisition, now)[1] is False


def test_feedback_overdue_uses_the_agreed_hours(in_a):
    requisition = make_requisition()
    application = make_application(requisition=requisition)
    services.kickoff_schedule(
        requisition=requisition, scheduled_at=timezone.now(), hm_feedback_hours=24
    )
    services.application_move(application=application, stage="screening", by=None)
    now = timezone.now()
    assert _flags(requisition, now + dt.timedelta(hours=23))[2] is False
    assert _flags(requisition, now + dt.timedelta(hours=25))[2] is True
    services.application_move(application=application, stage="interview", by=None)
    assert _flags(requisition, now + dt.timedelta(hours=25))[2] is False


def test_overdue_filter_and_summary(in_a):
    make_requisition(target_date=timezone.localdate() - dt.timedelta(days=1))
    make_requisition()
    filters = selectors.RequisitionFilters(overdue=True)
    assert selectors.requisition_list(filters).count() == 1
    summary = selectors.overdue_summary()
    assert summary["active"] == 2 and summary["overdue"] == 1


def test_daily_digest_once_per_recruiter_and_day(in_a):
    make_requisition(
        recruiter=in_a.recruiter,
        title="Late baker",
        target_date=timezone.localdate() - dt.timedelta(days=2),
    )
    assert digest_send() == 1
    assert digest_send() == 1  # same key: the outbox keeps one row
    (message,) = OutboxMessage.objects.all()
    assert message.to == in_a.recruiter.email
    assert "Late baker" in message.text_body and "Past target date" in message.text_body
