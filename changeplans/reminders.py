"""Reminders to communication owners: the day before a communication is due, and when overdue.

"Today" is the organisation's date (its time zone). Each reminder is created once: the
communication records the planned date it reminded for (so moving the date re-arms it), the
outbox's idempotency key makes a second enqueue for the same date a no-op, and rows are locked
with `skip_locked`, so two workers running at once do not both send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from rpo_portal.outbox.services import outbox_enqueue
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.models import Organisation

from .models import Communication
from .selectors import communications_due_tomorrow, communications_overdue

TEMPLATE_DUE = "changeplans/email/communication_due"
TEMPLATE_OVERDUE = "changeplans/email/communication_overdue"


@dataclass(frozen=True)
class RemindersSent:
    due: int
    overdue: int


def _context(communication: Communication, organisation: Organisation) -> dict[str, object]:
    path = reverse(
        "changeplans:detail",
        kwargs={"org_slug": organisation.slug, "plan_id": communication.plan_id},
    )
    return {
        "communication": communication,
        "plan": communication.plan,
        "owner": communication.owner,
        "channel": communication.get_channel_display(),
        "url": f"{settings.SITE_URL}{path}#communications",
    }


@transaction.atomic
def communication_reminders_send(
    *, organisation: Organisation, today: date | None = None
) -> RemindersSent:
    """Queue the due-tomorrow and overdue reminders of the organisation in scope."""
    today = today or organisation_today()
    due = 0
    for communication in communications_due_tomorrow(today=today).select_for_update(
        skip_locked=True, of=("self",)
    ):
        assert communication.owner is not None  # the selector requires an owner
        outbox_enqueue(
            to=communication.owner.email,
            subject=_("Due tomorrow: %(channel)s for “%(plan)s”")
            % {"channel": communication.get_channel_display(), "plan": communication.plan.title},
            template=TEMPLATE_DUE,
            context=_context(communication, organisation),
            idempotency_key=f"comm-{communication.pk}-due-{communication.planned_date}",
        )
        communication.due_reminded_for = communication.planned_date
        communication.save(update_fields=["due_reminded_for"])
        due += 1
    overdue = 0
    for communication in communications_overdue(today=today).select_for_update(
        skip_locked=True, of=("self",)
    ):
        assert communication.owner is not None
        outbox_enqueue(
            to=communication.owner.email,
            subject=_("Overdue: %(channel)s for “%(plan)s”")
            % {"channel": communication.get_channel_display(), "plan": communication.plan.title},
            template=TEMPLATE_OVERDUE,
            context=_context(communication, organisation),
            # The planned date is part of the key: a rescheduled communication can be overdue
            # again, and its owner should hear about it again.
            idempotency_key=f"comm-{communication.pk}-overdue-{communication.planned_date}",
        )
        communication.overdue_reminded_for = communication.planned_date
        communication.save(update_fields=["overdue_reminded_for"])
        overdue += 1
    return RemindersSent(due=due, overdue=overdue)
