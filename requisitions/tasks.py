"""Periodic work for requisitions: the daily digest fans out one task per organisation."""

from __future__ import annotations

from celery import shared_task

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.tasks import fan_out, tenant_task


@tenant_task(name="requisitions.digest_organisation")
def digest_organisation_task(organisation: Organisation) -> int:
    """Queue the day's digests for one organisation's recruiters (idempotent per day)."""
    from .digest import digest_send

    return digest_send()


@shared_task(name="requisitions.daily_digest", acks_late=True, reject_on_worker_lost=True)
def daily_digest_task() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): one digest task per organisation."""
    return fan_out(digest_organisation_task)


# The import and export tasks live beside their code; importing them registers them with workers.
from .exports import tasks as _export_tasks  # noqa: E402, F401
from .imports import tasks as _import_tasks  # noqa: E402, F401
