from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.tasks import tenant_task

logger = logging.getLogger(__name__)


@tenant_task(name="requisitions.export_build")
def export_build_task(organisation: Organisation, job_id: int) -> None:
    """Build one export file (the body runs inside the organisation's tenant context)."""
    from .services import export_build, export_fail

    try:
        with transaction.atomic():  # a failed build rolls back alone; the job can still be marked
            export_build(job_id=job_id)
    except Exception:
        logger.exception("export %s failed", job_id)
        export_fail(job_id=job_id, error=_("The file could not be built. Try the export again."))
