"""Exports of a list built in the background (large lists never stream inside a request)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned


class ExportKind(models.TextChoices):
    REQUISITIONS = "requisitions", _("Requisitions")
    HIRING_MANAGERS = "hiring_managers", _("Hiring managers")
    CANDIDATES = "candidates", _("Candidates")
    APPLICATIONS = "applications", _("Applications")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def export_file_path(instance: ExportJob, filename: str) -> str:
    return f"orgs/{instance.organisation_id}/exports/{uuid.uuid4().hex}/{filename}"


class ExportJob(TenantOwned):
    kind = models.CharField(max_length=20, choices=ExportKind.choices)
    file_format = models.CharField(max_length=4, choices=ExportFormat.choices)
    # The list's query string when the export was asked for: the same filters apply.
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    file = models.FileField(upload_to=export_file_path, max_length=300, blank=True)
    row_count = models.PositiveIntegerField(default=0)
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
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-id"], name="req_export_org_id")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ExportKind.values), name="requisitions_export_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(file_format__in=ExportFormat.values),
                name="requisitions_export_format_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} export ({self.file_format})"
