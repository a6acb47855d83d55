"""Exports: small lists are written in the request; longer ones by a Celery task into a file
stored under the organisation's id, offered for download when ready."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from rpo_portal.accounts.models import User
from rpo_portal.audit.services import audited

from . import writers
from .models import ExportJob, ExportKind, ExportStatus


def export_filename(kind: str, file_format: str) -> str:
    return f"{writers.FILENAMES[kind]}-{timezone.localdate().isoformat()}.{file_format}"


def export_inline(*, kind: str, file_format: str, filters: dict[str, str]) -> bytes | None:
    """The file's bytes when the list is small enough to build in the request, else None."""
    queryset = writers.queryset_for(kind, filters)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    if len(queryset.order_by().values("pk")[: limit + 1]) > limit:
        return None
    out = io.BytesIO()
    writers.WRITERS[file_format](kind, queryset, out)
    return out.getvalue()


@audited("export.queue")
def export_queue(
    *, kind: str, file_format: str, filters: dict[str, str], by: User | None
) -> ExportJob:
    """An export job for a long list; the file is built after the request commits."""
    assert kind in ExportKind.values and file_format in writers.WRITERS
    job = ExportJob(kind=kind, file_format=file_format, filters=filters, created_by=by)
    job.claim_organisation()
    job.full_clean(exclude=["file"])
    job.save()
    from .tasks import export_build_task

    export_build_task.delay_on_commit(job.organisation_id, job.pk)
    return job


@audited("export.build")
def export_build(*, job_id: int) -> ExportJob | None:
    """Write the job's file (idempotent: a finished job is left as it is)."""
    job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.QUEUED:
        return job
    out = io.BytesIO()
    job.row_count = writers.WRITERS[job.file_format](
        job.kind, writers.queryset_for(job.kind, job.filters), out
    )
    job.file.save(
        export_filename(job.kind, job.file_format), ContentFile(out.getvalue()), save=False
    )
    job.status = ExportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    return job


@audited("export.fail")
def export_fail(*, job_id: int, error: str) -> None:
    """Mark a queued export failed, so its page stops waiting and says so."""
    job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.QUEUED:
        return
    job.status = ExportStatus.FAILED
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
