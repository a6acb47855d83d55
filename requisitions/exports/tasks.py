from __future__ import annotations

from rpo_portal.tenancy.models import Organisation
from rpo_portal.tenancy.tasks import tenant_task


@tenant_task(name="requisitions.export_build")
def export_build_task(organisation: Organisation, job_id: int) -> None:
    """Build one export file (the body runs inside the organisation's tenant context)."""
    from .services import export_build

    export_build(job_id=job_id)
