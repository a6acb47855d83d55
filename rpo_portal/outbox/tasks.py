"""Outbox tasks: dispatch per organisation, and the periodic sweeper that fans out.

The dispatcher is not a TenantTask: TenantTask wraps the whole body in one transaction, and the
dispatcher needs several short ones with none open while it talks SMTP. It keeps the same rule:
the organisation id comes first, and a call without one raises.
"""

from __future__ import annotations

from celery import shared_task

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.tasks import fan_out, task_organisation, tenant_task


@shared_task(name="outbox.dispatch", acks_late=True, reject_on_worker_lost=True)
def outbox_dispatch_task(organisation_id: int | None = None) -> int:
    """Send one batch of the organisation's due email; re-enqueue while more is due."""
    from .services import outbox_dispatch

    organisation = task_organisation("outbox.dispatch", organisation_id)
    result = outbox_dispatch(organisation=organisation)
    if result.more:
        outbox_dispatch_task.delay(organisation.pk)
    return result.sent


@tenant_task(name="outbox.sweep_organisation")
def outbox_sweep_organisation_task(organisation: Organisation) -> bool:
    """Re-queue expired leases; enqueue a dispatch when due email is waiting."""
    from .services import outbox_requeue_expired

    due = outbox_requeue_expired()
    if due:
        outbox_dispatch_task.delay_on_commit(organisation.pk)
    return due


@shared_task(name="outbox.sweep", acks_late=True, reject_on_worker_lost=True)
def outbox_sweep_task() -> int:
    """Periodic: one sweep per organisation, so a lost broker message loses no email."""
    return fan_out(outbox_sweep_organisation_task)
