"""Service-level flags on requisitions, computed in SQL so lists can show and filter them.

- **No movement**: an open or on-hold requisition whose last status change, kick-off change or
  application move (`last_activity_at`) is older than REQUISITION_STALE_DAYS.
- **Kick-off late**: an open or on-hold requisition without a held kick-off, more than 5
  working days (Monday to Friday) after it first opened (METRICS.md, `kickoff_within_5_days`).
- **Feedback overdue**: an application has waited at `screening` (its CV is with the hiring
  manager) longer than the hours agreed at the kick-off (48 without a kick-off).

Each flag is an annotation over a correlated EXISTS or a column comparison, so a page of
requisitions costs no extra queries and the subqueries run only for the rows on the page.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.context import require_organisation

from .models import ACTIVE_STATUSES, Application, KickOff, Requisition, Stage

KICKOFF_WORKING_DAYS = 5
DEFAULT_HM_FEEDBACK_HOURS = 48


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`."""
    current = start
    added = 0
    while added < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def kickoff_deadline(opened: date) -> date:
    return add_working_days(opened, KICKOFF_WORKING_DAYS)


def _latest_late_opening(today: date) -> date:
    """The latest opening date whose kick-off deadline is already behind `today`.

    `kickoff_deadline` never decreases as the opening date moves later, so the late openings
    are exactly those on or before this date; SQL can then compare a plain column.
    """
    candidate = today - timedelta(days=1)
    while kickoff_deadline(candidate) >= today:
        candidate -= timedelta(days=1)
    return candidate


def _start_of_day_after(day: date) -> datetime:
    tz = zoneinfo.ZoneInfo(require_organisation().timezone)
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def stale_before(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.REQUISITION_STALE_DAYS)


def kickoff_late_q(now: datetime | None = None) -> Q:
    """Active, opened on or before the latest late opening day, and no kick-off held."""
    local_today = (now or timezone.now()).astimezone(
        zoneinfo.ZoneInfo(require_organisation().timezone)
    )
    cutoff = _start_of_day_after(_latest_late_opening(local_today.date()))
    # A requisition has at most one kick-off, so a LEFT JOIN on it is exact; a NOT EXISTS here
    # becomes a hashed subplan that reads every held kick-off of the organisation per query.
    return Q(status__in=ACTIVE_STATUSES, first_opened_at__lt=cutoff) & Q(
        kickoffs__held_at__isnull=True
    )


def stale_q(now: datetime | None = None) -> Q:
    return Q(status__in=ACTIVE_STATUSES, last_activity_at__lt=stale_before(now))


class HoursBefore(Func):
    """`moment - hours`, for a number of hours that is itself an expression.

    PostgreSQL multiplies an interval; SQLite (the embedded demo) shifts the stored text
    timestamp with strftime, keeping Django's `YYYY-MM-DD HH:MM:SS.ffffff` layout comparable.
    """

    arity = 2
    output_field = DateTimeField()

    def as_postgresql(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            template="(%(expressions)s * interval '1 hour')",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        moment, hours = self.get_source_expressions()
        moment_sql, moment_params = compiler.compile(moment)
        hours_sql, hours_params = compiler.compile(hours)
        return (
            f"strftime('%%Y-%%m-%%d %%H:%%M:%%f000', {moment_sql}, '-' || ({hours_sql}) || ' hours')",
            (*moment_params, *hours_params),
        )


def feedback_overdue_q(now: datetime | None = None) -> Q:
    """An application at screening longer than the kick-off's agreed feedback hours."""
    hours = Coalesce(
        KickOff.objects.filter(requisition=OuterRef(OuterRef("pk"))).values("hm_feedback_hours")[
            :1
        ],
        Value(DEFAULT_HM_FEEDBACK_HOURS),
    )
    waited_since = HoursBefore(Value(now or timezone.now()), hours)
    waiting = Application.objects.filter(
        requisition=OuterRef("pk"), stage=Stage.SCREENING, stage_entered_at__lt=waited_since
    )
    return Q(status__in=ACTIVE_STATUSES) & Q(Exists(waiting))


# --- What deserves a badge -------------------------------------------------------------------
# Severity is decided here and only here. A row shows its most severe flag as a badge (colour
# plus words); every other flag is quiet text, so a badge means "act on this first".

PAST_TARGET_DANGER_DAYS = 14  # past target by more than this: danger; fewer: warning
STALE_WARNING_FACTOR = 2  # no movement for this many stale periods: warning; fewer: quiet

SEVERITY_ORDER = {"danger": 0, "warning": 1, "quiet": 2}


@dataclass(frozen=True)
class Attention:
    key: str  # past_target, kickoff_late, feedback_overdue or stale
    label: str
    severity: str  # danger, warning or quiet


def attention(
    requisition: Requisition, *, today: date | None = None, now: datetime | None = None
) -> list[Attention]:
    """The requisition's flags (as annotated by `with_flags`), most severe first."""
    now = now or timezone.now()
    today = today or organisation_today(now)
    flags: list[Attention] = []
    if getattr(requisition, "is_overdue", False) and requisition.target_date:
        days = (today - requisition.target_date).days
        flags.append(
            Attention(
                "past_target",
                ngettext("Past target by %(n)d day", "Past target by %(n)d days", days)
                % {"n": days},
                "danger" if days > PAST_TARGET_DANGER_DAYS else "warning",
            )
        )
    if getattr(requisition, "flag_kickoff_late", False):
        flags.append(Attention("kickoff_late", _("Kick-off late"), "warning"))
    if getattr(requisition, "flag_feedback_overdue", False):
        flags.append(Attention("feedback_overdue", _("HM feedback overdue"), "warning"))
    if getattr(requisition, "flag_stale", False) and requisition.last_activity_at:
        days = (now - requisition.last_activity_at).days
        loud = days >= STALE_WARNING_FACTOR * settings.REQUISITION_STALE_DAYS
        flags.append(
            Attention(
                "stale",
                ngettext("No movement for %(n)d day", "No movement for %(n)d days", days)
                % {"n": days},
                "warning" if loud else "quiet",
            )
        )
    return sorted(flags, key=lambda f: SEVERITY_ORDER[f.severity])


# The service-level flags by the name the list filter and the summary tiles use (?flag=<name>).
FLAGS = {
    "kickoff_late": kickoff_late_q,
    "feedback_overdue": feedback_overdue_q,
    "stale": stale_q,
}


def with_flags(queryset: QuerySet[Requisition], now: datetime | None = None) -> QuerySet:
    """Annotate `flag_stale`, `flag_kickoff_late`, `flag_feedback_overdue` and `is_overdue`."""
    today = organisation_today(now)
    return queryset.annotate(
        flag_stale=ExpressionWrapper(stale_q(now), output_field=BooleanField()),
        flag_kickoff_late=ExpressionWrapper(kickoff_late_q(now), output_field=BooleanField()),
        flag_feedback_overdue=ExpressionWrapper(
            feedback_overdue_q(now), output_field=BooleanField()
        ),
        is_overdue=ExpressionWrapper(
            Q(status__in=ACTIVE_STATUSES, target_date__lt=today), output_field=BooleanField()
        ),
    )
