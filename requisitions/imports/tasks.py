"""The import runs as a chain of batch tasks: each commits its rows, the report and the progress
together, then queues the next, so the page sees progress and a lost worker redoes one batch."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.tasks import tenant_task

logger = logging.getLogger(__name__)


@tenant_task(name="requisitions.import_batch", max_retries=3)
def import_batch_task(organisation: Organisation, job_id: int, start: int) -> int | None:
    from .services import import_fail, import_run_batch

    try:
        with transaction.atomic():  # a failed batch rolls back alone; the job can still be marked
            next_start = import_run_batch(job_id=job_id, start=start)
    except Exception:
        logger.exception("import %s stopped at row %s", job_id, start)
        import_fail(
            job_id=job_id,
            error=_(
                "The import stopped unexpectedly after row %(row)d. Rows before it are imported; "
                "upload the file again to import the rest (nothing is imported twice)."
            )
            % {"row": max(start, 1)},
        )
        return None
    if next_start is not None:
        import_batch_task.delay_on_commit(organisation.pk, job_id, next_start)
    return next_start
