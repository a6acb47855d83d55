"""Reads for the email outbox, scoped to the organisation in scope."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import OutboxMessage, OutboxStatus


def outbox_due_exists(*, now: datetime | None = None) -> bool:
    """Whether pending messages are due now (what the dispatcher would claim)."""
    return OutboxMessage.objects.filter(
        status=OutboxStatus.PENDING, next_attempt_at__lte=now or timezone.now()
    ).exists()


def outbox_message_list(*, status: str | None = None) -> QuerySet[OutboxMessage]:
    """Messages, newest first, optionally of one status."""
    messages = OutboxMessage.objects.order_by("-created_at", "-id")
    return messages.filter(status=status) if status else messages
