"""Import and export jobs for tests and the isolation sweep (inside a tenant context)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from requisitions.exports.models import ExportJob, ExportStatus
from requisitions.imports.models import ImportJob, ImportRow, ImportStatus


def make_import_job(*, name: str = "export.csv", rows: int = 1, message: str = "") -> ImportJob:
    """A finished hiring-manager import with `rows` rejected report lines."""
    job = ImportJob(
        kind="hiring_managers",
        status=ImportStatus.DONE,
        original_name=name,
        file_format="csv",
        headers=["Name", "Email"],
        mapping={"name": "Name", "email": "Email"},
        total_rows=rows,
        processed_rows=rows,
        rejected_count=rows,
    )
    job.claim_organisation()
    job.file.save(name, ContentFile(b"Name,Email\nx,y\n"), save=False)
    job.save()
    ImportRow.objects.bulk_create(
        ImportRow(
            job=job,
            organisation_id=job.organisation_id,
            row_number=n + 2,
            outcome="rejected",
            column="Email",
            message=message or f"Row {n} rejected",
        )
        for n in range(rows)
    )
    return job


def make_export_job(*, content: bytes = b"Name\nx\n") -> ExportJob:
    job = ExportJob(kind="hiring_managers", file_format="csv", status=ExportStatus.DONE)
    job.claim_organisation()
    job.file.save("hiring-managers.csv", ContentFile(content), save=False)
    job.save()
    return job
