"""The outbox with a real Celery worker (prefork pool, embedded beat), a private redis-server and
a loopback SMTP server: a worker killed with SIGKILL, and a broker that loses every queued
message, lose no email.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from rpo_portal.outbox.models import OutboxMessage, OutboxStatus
from rpo_portal.outbox.services import outbox_enqueue
from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Organisation

from .brokers import published_to
from .smtp import RecordingHandler, smtp_server, wait_until
from .worker import CeleryWorker, RedisServer

pytestmark = pytest.mark.worker

LEASE_SECONDS = 6


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sink() -> Iterator[tuple[RecordingHandler, int]]:
    with smtp_server() as (handler, port):
        yield handler, port


@pytest.fixture
def worker(org, redis_server, sink, tmp_path) -> Iterator[CeleryWorker]:
    """A worker that is not started yet; stopped (and the test's data flushed) afterwards."""
    _handler, port = sink
    process = CeleryWorker(
        workdir=tmp_path,
        env={
            "DJANGO_SETTINGS_MODULE": "tests.outbox.worker_settings",
            "WORKER_DATABASE_NAME": connection.settings_dict["NAME"],
            "WORKER_EMAIL_PORT": str(port),
            "TEST_REDIS_URL": redis_server.url,
            "OUTBOX_BATCH_SIZE": "20",
            "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "OUTBOX_RETRY_BASE_SECONDS": "1",
            "OUTBOX_SWEEP_SECONDS": "1",
            "EMAIL_TIMEOUT": "3",
        },
    )
    yield process
    process.stop()


def enqueue_many(organisation: Organisation, broker_url: str, count: int) -> None:
    with published_to(broker_url), tenant_context(organisation):
        for i in range(count):
            outbox_enqueue(
                to=f"candidate{i}@example.test",
                subject=f"Interview {i}",
                template="outbox/notice",
                context={"heading": "Your interview", "paragraphs": [f"Slot {i}."]},
                idempotency_key=f"interview-{i}",
            )


def statuses(organisation: Organisation) -> dict[str, int]:
    with tenant_context(organisation):
        counts: dict[str, int] = {}
        for status in OutboxMessage.objects.values_list("status", flat=True):
            counts[status] = counts.get(status, 0) + 1
        return counts


def message_ids(organisation: Organisation) -> set[str]:
    with tenant_context(organisation):
        return set(OutboxMessage.objects.values_list("message_id", flat=True))


def all_sent(organisation: Organisation, count: int) -> bool:
    return statuses(organisation) == {OutboxStatus.SENT: count}


def test_worker_killed_mid_batch_loses_nothing_and_duplicates_at_most_one_batch(
    org, redis_server, sink, worker
):
    smtp, _port = sink
    smtp.hold_after(30)  # the reply to the 31st message waits: its worker is mid-batch
    worker.start()
    enqueue_many(org, redis_server.url, 100)

    wait_until(smtp.gate_reached.is_set, timeout=60, message="the worker to reach the gate")
    assert statuses(org).get(OutboxStatus.SENDING, 0) > 0  # a batch is in flight
    worker.kill()
    smtp.release()
    delivered_before_restart = smtp.count
    assert delivered_before_restart < 100

    worker.start()  # its beat sweeps every second; the dead worker's leases expire
    wait_until(lambda: all_sent(org, 100), timeout=120, message="every message to be sent")

    assert set(smtp.deliveries) == message_ids(org)  # nothing lost, nothing foreign
    duplicates = sum(n - 1 for n in smtp.deliveries.values())
    assert duplicates <= 20  # at most one batch (in practice: the message in flight)
    print(f"killed after {delivered_before_restart} deliveries; duplicates: {duplicates}")
    with tenant_context(org):
        retried = OutboxMessage.objects.filter(attempts__gt=1).count()
    assert retried > 0  # the killed batch really went through the sweeper


def test_worker_kill_and_redis_restarts_during_1000_message_dispatch_deliver_everything(
    org, redis_server, sink, worker
):
    smtp, _port = sink
    smtp.hold_after(300)
    worker.start()
    enqueue_many(org, redis_server.url, 1000)

    # 1. Kill the worker mid-batch, and restart Redis while it is down: every queued dispatch
    #    task is gone, so only the sweeper can bring the rest back from the database.
    # Deadlines are failure guards, generous for a loaded 2-core machine; nothing waits them out.
    wait_until(smtp.gate_reached.is_set, timeout=300, message="300 deliveries")
    worker.kill()
    redis_server.restart()
    smtp.release()
    smtp.hold_after(600)
    worker.start()

    # 2. Restart Redis again under the running worker, mid-dispatch.
    wait_until(smtp.gate_reached.is_set, timeout=300, message="600 deliveries")
    assert not all_sent(org, 1000)
    redis_server.restart()
    smtp.release()

    wait_until(lambda: all_sent(org, 1000), timeout=480, message="all 1,000 messages sent")
    assert set(smtp.deliveries) == message_ids(org)
    assert len(smtp.deliveries) == 1000
    duplicates = sum(n - 1 for n in smtp.deliveries.values())
    assert duplicates <= 20, duplicates
    print(f"1,000 messages: {len(smtp.deliveries)} delivered, duplicates: {duplicates}")
