"""The email outbox: every email the product sends is a row here first.

The row is written in the same transaction as the change that caused it, so a rolled-back
change sends nothing, and the database (not the broker) is the source of truth for what is
still to be sent.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rpo_portal.tenancy.models import TenantOwned


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(TenantOwned):
    """One email to one recipient (one address per row: delivery, retries and failures are
    per recipient, and the Message-ID is unique per delivered copy)."""

    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    text_body = models.TextField(_("text body"))
    html_body = models.TextField(_("HTML body"))
    # [{"filename", "content_type", "content_base64"}]: e.g. .ics calendar invitations.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="outbox_message_idempotency"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in OutboxStatus]),
                name="outbox_message_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=OutboxStatus.SENDING)
                | models.Q(lease_expires_at__isnull=False),
                name="outbox_message_sending_has_lease",
            ),
        ]
        indexes = [
            # The dispatcher's claim and the sweeper's "pending and due" probe.
            models.Index(
                fields=["organisation", "status", "next_attempt_at"],
                name="outbox_org_status_due",
            ),
            # The sweeper's "lease expired" probe.
            models.Index(
                fields=["organisation", "status", "lease_expires_at"],
                name="outbox_org_status_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_status_display()})"
