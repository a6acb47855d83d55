"""The outbox against PostgreSQL (runtime role) and a real SMTP server on loopback.

Tasks run inline here (test settings); tests/outbox/test_worker.py runs a real worker.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from rpo_portal.outbox.models import OutboxMessage, OutboxStatus
from rpo_portal.outbox.services import (
    outbox_claim_batch,
    outbox_dispatch,
    outbox_enqueue,
    retry_delay,
)
from rpo_portal.outbox.tasks import (
    outbox_dispatch_task,
    outbox_sweep_organisation_task,
    outbox_sweep_task,
)
from rpo_portal.tenancy.context import TenantScopeError, tenant_context
from rpo_portal.tenancy.models import Organisation

from .brokers import published_to

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


class Boom(Exception):
    pass


def enqueue(key: str, to: str = "candidate@example.test", **extra) -> OutboxMessage:  # type: ignore[no-untyped-def]
    return outbox_enqueue(
        to=to,
        subject=extra.pop("subject", f"Interview {key}"),
        template="outbox/notice",
        context={
            "heading": "Your interview",
            "paragraphs": ["Tuesday at 10:00, R&D building."],
            "action_url": "https://example.test/i/1",
            "action_label": "See the details",
        },
        idempotency_key=key,
        **extra,
    )


def rows(organisation: Organisation) -> list[OutboxMessage]:
    with tenant_context(organisation):
        return list(OutboxMessage.objects.order_by("pk"))


# --- Enqueue --------------------------------------------------------------------------------


def test_enqueue_renders_branded_bodies_and_message_id_from_the_row(org):
    with (
        override_settings(DEFAULT_FROM_EMAIL="RPO Portal <no-reply@mail.rpo.example>"),
        published_to("memory://"),
        tenant_context(org),
    ):
        message = enqueue("k1", subject="Interview\r\nBcc: x@evil.test")

    assert message.message_id == f"<outbox-{org.pk}-{message.pk}@mail.rpo.example>"
    assert message.status == OutboxStatus.PENDING
    assert message.subject == "Interview Bcc: x@evil.test"  # one header line
    assert "Acme R&amp;D Ltd" in message.html_body
    assert "background:#c0392b" in message.html_body
    assert "R&amp;D building" in message.html_body
    # The text part is not HTML: nothing escaped.
    assert message.text_body.startswith("Acme R&D Ltd\n")
    assert "Tuesday at 10:00, R&D building." in message.text_body
    assert "See the details: https://example.test/i/1" in message.text_body


def test_a_subject_longer_than_the_column_is_shortened_not_refused(org):
    # given: a subject built from a 200-character requisition title and a 200-character location
    long = "Kick-off: " + "Regional omnichannel store manager " * 12
    with published_to("memory://"), tenant_context(org):
        # when
        message = enqueue("k-long", subject=long)
    # then: it is queued, cut with an ellipsis to fit the column
    limit = OutboxMessage._meta.get_field("subject").max_length
    assert len(message.subject) <= limit
    assert message.subject.endswith("…")
    assert long.startswith(message.subject[:-1].rstrip())


def test_enqueue_outside_a_tenant_raises(org):
    with pytest.raises(TenantScopeError):
        enqueue("k1")


def test_rolled_back_transaction_sends_nothing(org, smtp):
    with pytest.raises(Boom), tenant_context(org):
        enqueue("rolled-back")
        raise Boom
    outbox_dispatch_task.delay(org.pk)  # even an explicit dispatch finds nothing

    assert rows(org) == []
    assert smtp.count == 0

    with tenant_context(org):
        enqueue("committed")
    assert smtp.count == 1


def test_same_idempotency_key_twice_is_one_row_and_one_email(org, other_org, smtp):
    with tenant_context(org):
        first = enqueue("invite-42")
    with tenant_context(org):
        second = enqueue("invite-42", subject="A different subject")
    with tenant_context(other_org):
        enqueue("invite-42")  # keys are per organisation

    assert second.pk == first.pk
    assert second.subject == first.subject
    assert [m.idempotency_key for m in rows(org)] == ["invite-42"]
    assert len(rows(other_org)) == 1
    assert smtp.count == 2
    assert sorted(smtp.deliveries.values()) == [1, 1]


def test_same_key_inside_one_transaction_returns_the_row_and_keeps_the_transaction(org, smtp):
    with tenant_context(org):
        first = enqueue("once")
        again = enqueue("once")
        enqueue("twice")  # the transaction is still usable after the conflict
    assert again.pk == first.pk
    assert smtp.count == 2


# --- Delivery to a real SMTP server ---------------------------------------------------------


def test_smtp_server_receives_exactly_the_outbox_messages(org, smtp):
    with tenant_context(org):
        enqueue("a", to="ann@example.test")
        enqueue("b", to="bob@example.test", attachments=[("invite.ics", ICS, "text/calendar")])
        enqueue("c", to="cat@example.test")

    sent = rows(org)
    assert [m.status for m in sent] == [OutboxStatus.SENT] * 3
    assert all(m.sent_at is not None and m.lease_expires_at is None for m in sent)
    assert sorted(smtp.deliveries) == sorted(m.message_id for m in sent)
    assert set(smtp.deliveries.values()) == {1}

    by_id = {str(m["Message-ID"]): m for m in smtp.messages}
    for row in sent:
        received = by_id[row.message_id]
        assert received["To"] == row.to
        assert received["Subject"] == row.subject
        assert received.get_content_type() in ("multipart/alternative", "multipart/mixed")
        text = received.get_body(preferencelist=("plain",))
        html = received.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        assert "Acme R&D Ltd" in text.get_content()
        assert "Acme R&amp;D Ltd" in html.get_content()
        assert "#c0392b" in html.get_content()
    attachments = list(by_id[sent[1].message_id].iter_attachments())
    assert [(a.get_filename(), a.get_content_type()) for a in attachments] == [
        ("invite.ics", "text/calendar")
    ]
    payload = attachments[0].get_payload(decode=True)
    assert payload.replace(b"\r\n", b"\n") == ICS.replace(b"\r\n", b"\n")


def test_one_smtp_connection_per_batch(org, smtp):
    with override_settings(OUTBOX_BATCH_SIZE=2), published_to("memory://"), tenant_context(org):
        for i in range(5):
            enqueue(f"m{i}")
    assert smtp.count == 0  # nothing consumed the memory broker

    with override_settings(OUTBOX_BATCH_SIZE=2):
        outbox_dispatch_task.delay(org.pk)  # re-enqueues itself while due email remains

    assert smtp.count == 5
    assert smtp.sessions == 3  # batches of 2, 2, 1


def test_temporary_failure_is_retried_with_backoff_then_delivered(org, smtp):
    smtp.data_replies = ["451 4.7.1 Greylisted, try again later"]
    with override_settings(OUTBOX_RETRY_BASE_SECONDS=30):
        with tenant_context(org):
            enqueue("grey")
        before = timezone.now()

    [row] = rows(org)
    assert smtp.count == 0
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.last_error == "451 4.7.1 Greylisted, try again later"
    assert before + timedelta(seconds=14) <= row.next_attempt_at <= before + timedelta(seconds=31)

    outbox_dispatch_task.delay(org.pk)
    assert smtp.count == 0  # not due yet

    with tenant_context(org):  # the backoff has passed
        OutboxMessage.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    outbox_dispatch_task.delay(org.pk)

    [row] = rows(org)
    assert smtp.count == 1
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 2
    assert list(smtp.deliveries) == [row.message_id]


def test_permanent_failure_is_marked_failed_with_the_reason(org, smtp):
    smtp.refused["nobody@example.test"] = "550 5.1.1 No such mailbox"
    with tenant_context(org):
        enqueue("a", to="ann@example.test")
        enqueue("b", to="nobody@example.test")
        enqueue("c", to="cat@example.test")

    ann, nobody, cat = rows(org)
    assert nobody.status == OutboxStatus.FAILED
    assert nobody.last_error == "550 5.1.1 No such mailbox"
    assert nobody.attempts == 1
    # The same connection carried on with the rest of the batch.
    assert (ann.status, cat.status) == (OutboxStatus.SENT, OutboxStatus.SENT)
    assert smtp.count == 2
    assert smtp.sessions == 1


def test_temporary_failures_stop_at_the_maximum_attempts(org, smtp):
    smtp.data_replies = ["451 4.3.0 Try later"] * 3
    with (
        override_settings(OUTBOX_MAX_ATTEMPTS=3, OUTBOX_RETRY_BASE_SECONDS=0),
        tenant_context(org),
    ):
        enqueue("never")  # zero backoff: the dispatcher retries at once

    [row] = rows(org)
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == 3
    assert row.last_error == "451 4.3.0 Try later"
    assert smtp.count == 0


def test_unreachable_server_is_a_temporary_failure(org):
    with published_to("memory://"), tenant_context(org):
        enqueue("a")
        enqueue("b")
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
    ):
        result = outbox_dispatch(organisation=org)

    assert (result.claimed, result.retried, result.sent) == (2, 2, 0)
    for row in rows(org):
        assert row.status == OutboxStatus.PENDING
        assert row.attempts == 1
        assert "ConnectionRefusedError" in row.last_error
        assert row.next_attempt_at > timezone.now()


def _closed_port() -> int:
    from .smtp import free_port

    return free_port()  # bound and released: nothing listens there


@pytest.mark.parametrize("attempts", [1, 2, 3, 6, 20])
def test_backoff_is_exponential_with_jitter(attempts, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    ceiling = min(30 * 2 ** (attempts - 1), 6 * 3600)
    delays = {retry_delay(attempts).total_seconds() for _ in range(50)}
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(delays) > 1  # jittered


# --- Concurrency ----------------------------------------------------------------------------


def test_two_concurrent_dispatchers_send_each_message_once(org, smtp):
    with published_to("memory://"), tenant_context(org):
        for i in range(60):
            enqueue(f"m{i}", to=f"c{i}@example.test")

    start = threading.Barrier(2)
    claimed: dict[str, int] = {}
    errors: list[BaseException] = []

    def dispatcher(name: str) -> None:
        try:
            start.wait(timeout=10)
            total = 0
            while batch := outbox_dispatch(organisation=org).claimed:
                total += batch
            claimed[name] = total
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    with override_settings(OUTBOX_BATCH_SIZE=4):
        threads = [threading.Thread(target=dispatcher, args=(n,)) for n in ("one", "two")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert claimed["one"] + claimed["two"] == 60
    assert len(smtp.deliveries) == 60
    assert set(smtp.deliveries.values()) == {1}
    assert {m.status for m in rows(org)} == {OutboxStatus.SENT}


def test_claims_skip_rows_another_dispatcher_holds(org):
    with published_to("memory://"), tenant_context(org):
        for i in range(5):
            enqueue(f"m{i}")
    with override_settings(OUTBOX_BATCH_SIZE=3):
        first = outbox_claim_batch(organisation=org)
        second = outbox_claim_batch(organisation=org)
        third = outbox_claim_batch(organisation=org)
    assert [m.idempotency_key for m in first] == ["m0", "m1", "m2"]
    assert [m.idempotency_key for m in second] == ["m3", "m4"]
    assert third == []


# --- Sweeper and task arguments -------------------------------------------------------------


def test_sweeper_requeues_expired_leases_and_due_pending_rows(org, other_org, smtp):
    with override_settings(OUTBOX_BATCH_SIZE=1, OUTBOX_MAX_ATTEMPTS=3), published_to("memory://"):
        with tenant_context(org):
            for key in ("stuck", "held", "exhausted", "due"):
                enqueue(key)
        with tenant_context(other_org):
            enqueue("other")
        stuck = outbox_claim_batch(organisation=org)  # a worker that then died
        held = outbox_claim_batch(organisation=org)  # a worker still sending
        exhausted = outbox_claim_batch(organisation=org)
    with tenant_context(org):
        past = timezone.now() - timedelta(seconds=1)
        OutboxMessage.objects.filter(pk=stuck[0].pk).update(lease_expires_at=past)
        OutboxMessage.objects.filter(pk=exhausted[0].pk).update(lease_expires_at=past, attempts=3)
    assert smtp.count == 0

    with override_settings(OUTBOX_MAX_ATTEMPTS=3):
        outbox_sweep_task.delay()  # fans out to both organisations

    status = {m.idempotency_key: m for m in rows(org)}
    assert status["stuck"].status == OutboxStatus.SENT
    assert status["due"].status == OutboxStatus.SENT
    assert status["held"].status == OutboxStatus.SENDING  # its lease still runs
    assert status["held"].pk == held[0].pk
    assert status["exhausted"].status == OutboxStatus.FAILED
    assert "Lease expired" in status["exhausted"].last_error
    assert [m.status for m in rows(other_org)] == [OutboxStatus.SENT]
    assert smtp.count == 3


@pytest.mark.parametrize("argument", [None, "1", True, 1.0])
def test_dispatch_without_an_organisation_raises(argument, org, smtp):
    with published_to("memory://"), tenant_context(org):
        enqueue("a")
    with pytest.raises(TenantScopeError):
        outbox_dispatch_task.delay() if argument is None else outbox_dispatch_task.delay(argument)
    assert smtp.count == 0
    outbox_dispatch_task.delay(org.pk)
    assert smtp.count == 1


def test_sweep_without_an_organisation_raises(org):
    with pytest.raises(TypeError):  # Celery's argument check, before the body
        outbox_sweep_organisation_task.delay()
    for argument in ("1", True, None):
        with pytest.raises(TenantScopeError):
            outbox_sweep_organisation_task.delay(argument)


def test_a_transaction_writing_many_messages_queues_one_dispatch(org, smtp):
    # given one transaction that writes five messages, one of them in a savepoint that rolls back
    with tenant_context(org):
        try:
            with transaction.atomic():
                enqueue("in-a-savepoint")
                raise Boom
        except Boom:
            pass
        for n in range(4):
            enqueue(f"many-{n}")
        # then a single dispatch waits for the commit, not one per message
        pending = transaction.get_connection().run_on_commit
        assert len(pending) == 1
    # and at the commit it sends the four committed messages
    assert smtp.count == 4
    assert len(rows(org)) == 4
