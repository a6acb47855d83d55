"""Writes for the email outbox: enqueue in the caller's transaction, dispatch in short ones.

Guarantees:
- `outbox_enqueue` writes one row per idempotency key per organisation (the unique constraint
  decides, not a prior read) in the caller's transaction, and schedules the dispatch only if
  that transaction commits.
- `outbox_dispatch` holds no database transaction while it talks SMTP. A row is `sending` only
  under a lease; it is marked `sent` in its own transaction right after the server accepted it,
  so a crash re-sends at most the message that was in flight.
- `outbox_requeue_expired` returns rows whose lease ran out to `pending`: the database, not the
  broker, knows what is still to be sent.
"""

from __future__ import annotations

import base64
import contextlib
import random
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from rpo_portal.tenancy.context import require_organisation, tenant_context
from rpo_portal.tenancy.models import Organisation

from .models import OutboxMessage, OutboxStatus
from .selectors import outbox_due_exists
from .tasks import outbox_dispatch_task

SUBJECT_MAX = OutboxMessage._meta.get_field("subject").max_length or 255

IDEMPOTENCY_CONSTRAINT = "outbox_message_idempotency"
MAX_RETRY_DELAY_SECONDS = 6 * 3600


# --- Enqueue --------------------------------------------------------------------------------


def outbox_enqueue(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage:
    """Queue one email to `to`, rendered from `<template>.txt` and `<template>.html`.

    Call inside `tenant_context`; the row is written in the caller's transaction and the
    dispatch is enqueued on commit, so a rolled-back transaction sends nothing. A key used
    before in this organisation returns the existing row and queues nothing new.
    `attachments` are `(filename, content, content_type)`.
    """
    organisation = require_organisation()
    full_context = {
        **context,
        "organisation": organisation,
        "brand_colour": organisation.brand_colour,
        "subject": subject,
    }
    message = OutboxMessage(
        idempotency_key=idempotency_key,
        to=to.strip(),
        # Header values are one line; collapse any whitespace a caller let through. A subject
        # built from long titles is shortened to the column, not refused.
        subject=Truncator(" ".join(subject.split())).chars(SUBJECT_MAX, truncate="…"),
        text_body=_render_text(f"{template}.txt", full_context),
        html_body=render_to_string(f"{template}.html", full_context),
        attachments=[
            {
                "filename": filename,
                "content_type": content_type,
                "content_base64": base64.b64encode(content).decode("ascii"),
            }
            for filename, content, content_type in attachments or []
        ],
    )
    message.claim_organisation()
    # Uniqueness is decided by the INSERT below, not by a read before it.
    message.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            message.message_id = message_id_for(message)
            message.save(update_fields=["message_id"])
    except IntegrityError as exc:
        if _constraint_name(exc) != IDEMPOTENCY_CONSTRAINT:
            raise
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    _dispatch_on_commit(organisation.pk)
    return message


def _dispatch_on_commit(organisation_id: int) -> None:
    """Queue one dispatch for the organisation when the transaction commits: a transaction that
    writes a thousand messages queues one task, not a thousand (the task sends in batches and
    re-queues itself while messages remain)."""
    pending = (func for _sids, func, _robust in transaction.get_connection().run_on_commit)
    if any(getattr(func, "outbox_organisation_id", None) == organisation_id for func in pending):
        return

    def dispatch() -> None:
        outbox_dispatch_task.delay(organisation_id)

    dispatch.outbox_organisation_id = organisation_id  # type: ignore[attr-defined]
    transaction.on_commit(dispatch)


def message_id_for(message: OutboxMessage) -> str:
    """`<outbox-{organisation id}-{row id}@{domain of DEFAULT_FROM_EMAIL}>`."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    domain = address.rpartition("@")[2] or "localhost"
    return f"<outbox-{message.organisation_id}-{message.pk}@{domain}>"


def _render_text(name: str, context: dict[str, Any]) -> str:
    # Plain-text bodies are not HTML: no autoescaping ("R&D", not "R&amp;D").
    template = Engine.get_default().get_template(name)
    return template.render(Context(context, autoescape=False))


def _constraint_name(exc: IntegrityError) -> str | None:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


# --- Dispatch -------------------------------------------------------------------------------


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    released: int = 0
    more: bool = False


def outbox_dispatch(*, organisation: Organisation) -> DispatchResult:
    """Claim one batch of due messages, send it over one SMTP connection, record each outcome.

    Call outside tenant_context: each step opens its own short tenant transaction, and none is
    open while SMTP is talked. `more` says whether due messages remain.
    """
    result = DispatchResult()
    batch = outbox_claim_batch(organisation=organisation)
    result.claimed = len(batch)
    if batch:
        _send_batch(organisation, batch, result)
    with tenant_context(organisation):
        result.more = outbox_due_exists()
    return result


def outbox_claim_batch(*, organisation: Organisation) -> list[OutboxMessage]:
    """Lease up to OUTBOX_BATCH_SIZE due messages (pk order, skipping rows others hold)."""
    with tenant_context(organisation):
        now = timezone.now()
        lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .order_by("pk")[: settings.OUTBOX_BATCH_SIZE]
        )
        if batch:
            OutboxMessage.objects.filter(pk__in=[m.pk for m in batch]).update(
                status=OutboxStatus.SENDING, lease_expires_at=lease, attempts=F("attempts") + 1
            )
        for message in batch:
            message.status = OutboxStatus.SENDING
            message.lease_expires_at = lease
            message.attempts += 1
    return batch


def _send_batch(
    organisation: Organisation, batch: list[OutboxMessage], result: DispatchResult
) -> None:
    # Stop early enough that a slow server cannot carry a send past the lease (after which the
    # sweeper may hand the row to another dispatcher).
    margin = min(settings.EMAIL_TIMEOUT, settings.OUTBOX_LEASE_SECONDS // 2)
    deadline = min(m.lease_expires_at for m in batch if m.lease_expires_at) - timedelta(
        seconds=margin
    )
    smtp = mail.get_connection(fail_silently=False)
    try:
        smtp.open()
    except OSError as exc:  # smtplib.SMTPException is an OSError too
        for message in batch:
            _record_failure(organisation, message, exc, result)
        return
    index = 0
    try:
        for index, message in enumerate(batch):
            if timezone.now() >= deadline:
                _release(organisation, batch[index:], result, delay=timedelta(0))
                return
            try:
                smtp.send_messages([build_email(message)])
            except OSError as exc:
                _record_failure(organisation, message, exc, result)
                if not _connection_still_usable(exc):
                    rest = batch[index + 1 :]
                    _release(organisation, rest, result, delay=retry_delay(1))
                    return
            else:
                _mark_sent(organisation, message, result)
    except BaseException:
        # A time limit or shutdown: hand back what was never tried. The message in flight stays
        # `sending` until its lease expires, because it may have been delivered.
        with contextlib.suppress(Exception):
            _release(organisation, batch[index + 1 :], result, delay=timedelta(0))
        raise
    finally:
        with contextlib.suppress(OSError):
            smtp.close()


def build_email(message: OutboxMessage) -> mail.EmailMultiAlternatives:
    """The MIME message for a row: text and HTML alternatives, attachments, its Message-ID."""
    email = mail.EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id, "Auto-Submitted": "auto-generated"},
    )
    email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments:
        email.attach(
            attachment["filename"],
            base64.b64decode(attachment["content_base64"]),
            attachment["content_type"],
        )
    return email


def smtp_reply_code(exc: BaseException) -> int | None:
    """The SMTP reply code behind an exception, if the server gave one."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return max(codes) if codes else None
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code
    return None


def _is_permanent(exc: BaseException) -> bool:
    code = smtp_reply_code(exc)
    return code is not None and 500 <= code < 600


def _connection_still_usable(exc: BaseException) -> bool:
    # A reply to this message (4xx/5xx) leaves the session usable; 421, a disconnection or a
    # socket error does not.
    code = smtp_reply_code(exc)
    return code is not None and code != 421


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}"


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff from OUTBOX_RETRY_BASE_SECONDS, with jitter in its upper half."""
    ceiling = min(
        settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY_SECONDS
    )
    return timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))


def _relax_commit() -> None:
    """Don't wait for the WAL flush at this transaction's commit (PostgreSQL).

    Only for recording an outcome: if a database crash loses the commit, the row is still
    `sending`, its lease expires and it is sent again, the one duplicate the design allows
    anyway. Waiting for a disk flush per message would otherwise bound the dispatch rate.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _mark_sent(organisation: Organisation, message: OutboxMessage, result: DispatchResult) -> None:
    with tenant_context(organisation):
        _relax_commit()
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.SENT, sent_at=timezone.now(), lease_expires_at=None, last_error=""
        )
    result.sent += 1


def _record_failure(
    organisation: Organisation, message: OutboxMessage, exc: BaseException, result: DispatchResult
) -> None:
    """Permanent failures and exhausted retries end `failed`; the rest wait for a retry."""
    reason = _describe(exc)[:2000]
    with tenant_context(organisation):
        _relax_commit()
        rows = OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING)
        if _is_permanent(exc) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            rows.update(status=OutboxStatus.FAILED, lease_expires_at=None, last_error=reason)
            result.failed += 1
        else:
            rows.update(
                status=OutboxStatus.PENDING,
                lease_expires_at=None,
                next_attempt_at=timezone.now() + retry_delay(message.attempts),
                last_error=reason,
            )
            result.retried += 1


def _release(
    organisation: Organisation,
    messages: list[OutboxMessage],
    result: DispatchResult,
    *,
    delay: timedelta,
) -> None:
    """Return leased messages that were never tried to `pending`, without counting an attempt."""
    if not messages:
        return
    with tenant_context(organisation):
        OutboxMessage.objects.filter(
            pk__in=[m.pk for m in messages], status=OutboxStatus.SENDING
        ).update(
            status=OutboxStatus.PENDING,
            lease_expires_at=None,
            next_attempt_at=timezone.now() + delay,
            attempts=F("attempts") - 1,
        )
    result.released += len(messages)


# --- Sweeper --------------------------------------------------------------------------------


def outbox_requeue_expired() -> bool:
    """Return `sending` rows whose lease expired to `pending` (or `failed` once they used every
    attempt); say whether due messages are waiting. Call inside tenant_context."""
    now = timezone.now()
    expired = OutboxMessage.objects.filter(status=OutboxStatus.SENDING, lease_expires_at__lt=now)
    reason = "Lease expired: the sending worker stopped before recording the outcome."
    expired.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS).update(
        status=OutboxStatus.FAILED, lease_expires_at=None, last_error=reason
    )
    expired.update(
        status=OutboxStatus.PENDING, lease_expires_at=None, next_attempt_at=now, last_error=reason
    )
    return outbox_due_exists(now=now)
