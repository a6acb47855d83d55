"""Reads for the email outbox, scoped to the organisation in scope."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .models import OutboxMessage, OutboxStatus


def outbox_due_exists(*, now: datetime | None = None) -> bool:
    """Whether pending messages are due now (what the dispatcher would claim)."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.PENDING, next_attempt_at__lte=now or timezone.now()
    ).exists()
