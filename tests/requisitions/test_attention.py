"""What deserves a badge: a row shows its most severe flag as a badge; the rest is quiet text."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

from requisitions import slas
from requisitions.models import Requisition

from .factories import make_application, make_requisition

NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


def _row(**flags: object) -> SimpleNamespace:
    base: dict[str, object] = {
        "is_overdue": False,
        "flag_kickoff_late": False,
        "flag_feedback_overdue": False,
        "flag_stale": False,
        "target_date": TODAY,
        "last_activity_at": NOW,
    }
    return SimpleNamespace(**{**base, **flags})


def _attention(row: SimpleNamespace) -> list[tuple[str, str, str]]:
    return [(f.key, f.label, f.severity) for f in slas.attention(row, today=TODAY, now=NOW)]  # type: ignore[arg-type]


def test_severity_grows_with_how_overdue(settings):
    settings.REQUISITION_STALE_DAYS = 7
    slightly = _row(is_overdue=True, target_date=TODAY - dt.timedelta(days=3))
    long_past = _row(is_overdue=True, target_date=TODAY - dt.timedelta(days=30))
    assert _attention(slightly) == [("past_target", "Past target by 3 days", "warning")]
    assert _attention(long_past) == [("past_target", "Past target by 30 days", "danger")]
    quiet = _row(flag_stale=True, last_activity_at=NOW - dt.timedelta(days=8))
    loud = _row(flag_stale=True, last_activity_at=NOW - dt.timedelta(days=15))
    assert _attention(quiet) == [("stale", "No movement for 8 days", "quiet")]
    assert _attention(loud) == [("stale", "No movement for 15 days", "warning")]


def test_flags_come_most_severe_first(settings):
    settings.REQUISITION_STALE_DAYS = 7
    row = _row(
        flag_stale=True,
        last_activity_at=NOW - dt.timedelta(days=8),
        flag_feedback_overdue=True,
        is_overdue=True,
        target_date=TODAY - dt.timedelta(days=20),
    )
    assert [key for key, _label, _severity in _attention(row)] == [
        "past_target",
        "feedback_overdue",
        "stale",
    ]


@pytest.mark.django_db
def test_the_list_gives_each_row_at_most_one_badge_and_words_for_the_rest(
    client, tenant_a, settings
):
    settings.REQUISITION_STALE_DAYS = 7
    now = timezone.now()
    with tenant_a.scope():
        late = make_requisition(title="Late and quiet", at=now - dt.timedelta(days=12))
        Requisition.objects.filter(pk=late.pk).update(
            target_date=timezone.localdate() - dt.timedelta(days=20),
            last_activity_at=now - dt.timedelta(days=8),
        )
        quiet = make_requisition(title="Only quiet")
        Requisition.objects.filter(pk=quiet.pk).update(last_activity_at=now - dt.timedelta(days=8))
        fine = make_requisition(title="All fine")
        make_application(requisition=fine)
    client.force_login(tenant_a.recruiter)
    body = client.get(f"/orgs/{tenant_a.slug}/requisitions/").content.decode()

    def row(title: str) -> str:
        start = body.index(f">{title}</a>")
        return body[start : body.index("</tr>", start)]

    late_row = row("Late and quiet")
    badges = re.findall(r'<span class="badge badge-(\w+)">([^<]+)</span>', late_row)
    assert badges == [("danger", "Past target by 20 days")]
    assert '<span class="flag-quiet">Kick-off late</span>' in late_row
    assert '<span class="flag-quiet">No movement for 8 days</span>' in late_row
    quiet_row = row("Only quiet")
    assert "badge badge-" not in quiet_row  # the status badge only; no flag badge
    assert '<span class="flag-quiet">No movement for 8 days</span>' in quiet_row
    assert "flag-quiet" not in row("All fine")
