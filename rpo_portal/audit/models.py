"""The audit trail: one append-only row per change, per organisation.

The runtime database role may only INSERT and SELECT this table (see `tenancy.roles`), so a row,
once written, is never altered or removed by the application. Personal-data fields are recorded
as changed, never with their values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned


class AuditEvent(TenantOwned):
    """Who did what to which object, when, and what changed (old and new values)."""

    # No database constraint and no cascade: the trail outlives the user, and the runtime role
    # could not null the column anyway (no UPDATE on this table).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # indexed behind the organisation (audit_actor)
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # The actor as it was named at the time: a user's name, or the task for the system.
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    # Where the object lives, so a programme's or a requisition's activity is one index scan.
    programme_id = models.BigIntegerField(_("programme id"), null=True, blank=True)
    requisition_id = models.BigIntegerField(_("requisition id"), null=True, blank=True)
    # {field: [old, new]}; a personal-data field is {field: {"changed": true}}.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["organisation", "-id"], name="audit_org_recent"),
            models.Index(
                fields=["organisation", "object_type", "object_id", "-id"], name="audit_object"
            ),
            models.Index(fields=["organisation", "programme_id", "-id"], name="audit_programme"),
            models.Index(
                fields=["organisation", "requisition_id", "-id"], name="audit_requisition"
            ),
            models.Index(fields=["organisation", "actor", "-id"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"
