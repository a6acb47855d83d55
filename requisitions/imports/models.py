"""Imports from applicant tracking systems: the job, its rows (the report) and remembered mappings.

The uploaded file is kept under a path that carries the organisation id. Each row of the file is
staged once as an `ImportRow` (its raw cells by header), then processed in batches; the same row
records the outcome, so the report is the staged rows read back in file order.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned


class ImportKind(models.TextChoices):
    REQUISITIONS = "requisitions", _("Requisitions")
    HIRING_MANAGERS = "hiring_managers", _("Hiring managers")
    CANDIDATES = "candidates", _("Candidates")
    APPLICATIONS = "applications", _("Applications")


class ImportStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def import_file_path(instance: ImportJob, filename: str) -> str:
    # Stored files carry the organisation id (TENANCY.md).
    return f"orgs/{instance.organisation_id}/imports/{uuid.uuid4().hex}/{filename}"


class ImportJob(TenantOwned):
    """One uploaded file being imported as one kind of record."""

    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.MAPPING
    )
    file = models.FileField(upload_to=import_file_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(max_length=4)  # "csv" or "xlsx"
    headers = models.JSONField(default=list, blank=True)
    # {target field: header of the file}
    mapping = models.JSONField(default=dict, blank=True)
    # Kind-specific choices made at mapping time, e.g. {"programme": 3, "recruiter": 7}.
    options = models.JSONField(default=dict, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    # The next row number a batch task should start at: a redelivered batch is a no-op.
    next_row = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        db_index=False,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-id"], name="req_import_org_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="requisitions_import_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values),
                name="requisitions_import_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.original_name}"

    @property
    def progress(self) -> int:
        """Per cent of rows processed (100 once done)."""
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class RowOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    IMPORTED = "imported", _("Imported")
    UPDATED = "updated", _("Updated")
    REJECTED = "rejected", _("Rejected")


class ImportRow(TenantOwned):
    """One row of an imported file: its cells, then what became of it."""

    job = models.ForeignKey(
        ImportJob,
        db_index=False,
        on_delete=models.CASCADE,
        related_name="rows",
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField()  # as a spreadsheet shows it: the header is row 1
    data = models.JSONField(default=dict)
    outcome = models.CharField(
        max_length=10, choices=RowOutcome.choices, default=RowOutcome.PENDING
    )
    column = models.CharField(max_length=200, blank=True)  # the file's header at fault
    message = models.TextField(blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "job", "row_number"], name="requisitions_import_row_once"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=RowOutcome.values),
                name="requisitions_import_row_outcome_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "job", "outcome", "row_number"],
                name="req_import_row_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.outcome}"


class ColumnMapping(TenantOwned):
    """The last mapping an organisation confirmed for one kind: offered first next time."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="requisitions_column_mapping_once"
            )
        ]

    def __str__(self) -> str:
        return f"Column mapping for {self.kind}"
