"""Periodic reminders to communication owners: a global task fans out one task per organisation."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from rpo_portal.tenancy.tasks import fan_out, tenant_task


@tenant_task(name="changeplans.communication_reminders")
def communication_reminders(organisation: Any) -> dict[str, int]:
    """Send one organisation's due-tomorrow and overdue reminders (idempotent)."""
    from .reminders import communication_reminders_send

    sent = communication_reminders_send(organisation=organisation)
    return {"due": sent.due, "overdue": sent.overdue}


@shared_task(name="changeplans.communication_reminders_all")
def communication_reminders_all() -> int:
    """Beat entry point (hourly is enough: each organisation's day starts at its own midnight)."""
    return fan_out(communication_reminders)
