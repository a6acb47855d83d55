"""Writes for imports: upload a file, confirm its mapping and start the import, run a batch."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programmes.models import Programme
from rpo_portal.accounts.models import User
from rpo_portal.audit.services import audited
from rpo_portal.tenancy.models import Membership, Role

from . import fields
from .models import ColumnMapping, ImportJob, ImportKind, ImportRow, ImportStatus, RowOutcome
from .parsing import SNIFF_BYTES, ImportFileError, detect_format, read_rows


def remembered_mapping(kind: str) -> dict[str, str]:
    saved = ColumnMapping.objects.filter(kind=kind).first()
    return dict(saved.mapping) if saved is not None else {}


@audited("import.upload")
def import_upload(*, kind: str, file: UploadedFile, by: User | None) -> ImportJob:
    """Check the file (size, type, not empty, a header row), keep it, and propose a mapping
    (the organisation's last one for this kind where its columns are present, then synonyms).

    Raises ValidationError on `file` or `kind` with what to do instead.
    """
    if kind not in ImportKind.values:
        raise ValidationError(
            {
                "kind": _("Choose what the file holds: %(kinds)s.")
                % {"kinds": ", ".join(ImportKind.values)}
            }
        )
    limit = settings.IMPORT_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            {
                "file": _(
                    "The file is %(size)s MB; the limit is %(limit)s MB. Split it and upload the parts."
                )
                % {"size": round(file.size / 1_000_000, 1), "limit": limit // 1_000_000}
            }
        )
    name = (file.name or "upload").rsplit("/", 1)[-1][:200]
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    try:
        file_format = detect_format(name, head)
        headers, rows = read_rows(file, file_format)
        if next(rows, None) is None:
            raise ImportFileError(
                _("The file has a header row but no rows under it. Export the list with its rows.")
            )
    except ImportFileError as exc:
        raise ValidationError({"file": str(exc)}) from exc
    file.seek(0)
    job = ImportJob(
        kind=kind,
        original_name=name,
        file_format=file_format,
        headers=headers,
        created_by=by,
        status=ImportStatus.MAPPING,
    )
    job.claim_organisation()
    job.mapping = fields.suggest(kind, headers, remembered_mapping(kind))
    job.file.save(name, file, save=False)
    job.save()
    return job


def _check_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    if kind != ImportKind.REQUISITIONS:
        return {}
    checked: dict[str, Any] = {}
    programme_id = options.get("programme")
    if not programme_id or not Programme.objects.filter(pk=programme_id).exists():
        raise ValidationError({"programme": _("Choose the programme the requisitions belong to.")})
    checked["programme"] = int(programme_id)
    recruiter_id = options.get("recruiter")
    if recruiter_id:
        if not Membership.objects.filter(user_id=recruiter_id, role=Role.RECRUITER).exists():
            raise ValidationError(
                {"recruiter": _("Choose a member of this organisation with the recruiter role.")}
            )
        checked["recruiter"] = int(recruiter_id)
    return checked


@audited("import.start", subject="job")
def import_start(
    *,
    job: ImportJob,
    mapping: dict[str, str],
    options: dict[str, Any] | None = None,
    by: User | None,
) -> ImportJob:
    """Confirm the mapping, remember it for the organisation and kind, and queue the import.

    Raises ValidationError naming the required fields left without a column, a header that is
    not in the file, or a missing programme (requisitions). Starting twice is a no-op.
    """
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.MAPPING:
        return job
    mapping = {k: v for k, v in mapping.items() if v}
    unknown_targets = set(mapping) - fields.target_names(job.kind)
    if unknown_targets:
        raise ValidationError(
            {
                "mapping": _("Unknown fields: %(names)s.")
                % {"names": ", ".join(sorted(unknown_targets))}
            }
        )
    not_in_file = [h for h in mapping.values() if h not in job.headers]
    if not_in_file:
        raise ValidationError(
            {
                "mapping": _("These columns are not in the file: %(names)s.")
                % {"names": ", ".join(not_in_file)}
            }
        )
    used: dict[str, str] = {}
    for target, header in mapping.items():
        if header in used:
            raise ValidationError(
                {
                    target: _("The column “%(header)s” is already used for %(other)s.")
                    % {"header": header, "other": used[header]}
                }
            )
        used[header] = target
    missing = fields.missing_required(job.kind, mapping)
    if missing:
        raise ValidationError(
            {
                t.name: _("Required: choose the file's column for “%(label)s”.")
                % {"label": t.label}
                for t in missing
            }
        )
    job.options = _check_options(job.kind, options or {})
    job.mapping = mapping
    job.status = ImportStatus.QUEUED
    job.save(update_fields=["mapping", "options", "status"])
    ColumnMapping.objects.update_or_create(kind=job.kind, defaults={"mapping": mapping})
    from .tasks import import_batch_task

    import_batch_task.delay_on_commit(job.organisation_id, job.pk, 0)
    return job


@audited("import.run_batch")
@transaction.atomic
def import_run_batch(*, job_id: int, start: int) -> int | None:
    """Run the batch that starts at `start` (0: stage the file first). Returns where the next
    batch starts, or None when the import is finished. A batch that is not the job's next one
    (a redelivered task) does nothing."""
    from .importer import process_batch, stage_rows

    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.finished or job.next_row != start or job.status == ImportStatus.MAPPING:
        return None
    if start == 0 and job.status == ImportStatus.QUEUED:
        job.status = ImportStatus.RUNNING
        job.started_at = timezone.now()
        try:
            with transaction.atomic():
                stage_rows(job)
        except ImportFileError as exc:
            job.status = ImportStatus.FAILED
            job.error = str(exc)
            job.finished_at = timezone.now()
            job.save()
            return None
        job.processed_rows = job.rejected_count  # duplicates are settled at staging
        job.save()
    size = settings.IMPORT_BATCH_SIZE
    rows = list(
        ImportRow.objects.filter(job=job, row_number__gt=start).order_by("row_number")[:size]
    )
    if not rows:
        job.status = ImportStatus.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "processed_rows", "next_row"])
        return None
    counts = process_batch(job, rows)
    job.imported_count += counts.get(RowOutcome.IMPORTED, 0)
    job.updated_count += counts.get(RowOutcome.UPDATED, 0)
    job.rejected_count += counts.get(RowOutcome.REJECTED, 0)
    job.processed_rows += sum(counts.values())
    job.next_row = rows[-1].row_number
    job.save(
        update_fields=[
            "imported_count",
            "updated_count",
            "rejected_count",
            "processed_rows",
            "next_row",
        ]
    )
    return job.next_row


@audited("import.fail")
def import_fail(*, job_id: int, error: str) -> None:
    """Mark an unfinished job failed, keeping the rows already imported (each batch committed
    on its own), so its page stops waiting and says what happened."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.finished:
        return
    job.status = ImportStatus.FAILED
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
