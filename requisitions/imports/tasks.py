"""The import runs as a chain of batch tasks: each commits its rows, the report and the progress
together, then queues the next, so the page sees progress and a lost worker redoes one batch."""

from __future__ import annotations

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.tasks import tenant_task

from .queueing import enqueue_on_commit


@tenant_task(name="requisitions.import_batch", max_retries=3)
def import_batch_task(organisation: Organisation, job_id: int, start: int) -> int | None:
    from .services import import_run_batch

    next_start = import_run_batch(job_id=job_id, start=start)
    if next_start is not None:
        enqueue_on_commit(import_batch_task, organisation.pk, job_id, next_start)
    return next_start
