"""Outbox dispatch throughput against a raw SMTP loop, measured in the same run.

    .venv/bin/python -m bench.outbox_dispatch [--messages 1000] [--rounds 3]

Both sides send the same messages to the same loopback aiosmtpd sink over one connection per
batch (the baseline: one connection for everything, `smtplib.sendmail` of pre-built bytes, no
database). The outbox side is the dispatcher as a worker runs it: claim a batch with SKIP LOCKED,
send, mark each row sent in its own transaction, as the runtime role under RLS. The figure that
matters is the ratio, since these machines are noisy.

Uses the test settings and its own database (BENCH_DATABASE_NAME, default bench_rpo_portal),
created and migrated by the owner role on first use.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import smtplib
import socket
import statistics
import time
import uuid
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rpo_portal.settings.test")
os.environ.setdefault(
    "TEST_DATABASE_TEST_NAME", os.environ.get("BENCH_DATABASE_NAME", "bench_rpo_portal")
)
django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from rpo_portal.celery import app as celery_app  # noqa: E402
from rpo_portal.outbox.models import OutboxMessage  # noqa: E402
from rpo_portal.outbox.services import build_email, outbox_dispatch, outbox_enqueue  # noqa: E402
from rpo_portal.tenancy.context import tenant_context  # noqa: E402
from rpo_portal.tenancy.models import Organisation  # noqa: E402


class CountingHandler:
    def __init__(self, counter: Synchronized) -> None:
        self.counter = counter

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 Message accepted for delivery"


def serve_sink(port: int, counter: Synchronized, ready: Event, stop: Event) -> None:
    """The SMTP sink, in its own process so it does not share a GIL with either sender."""
    controller = Controller(CountingHandler(counter), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def prepare_database() -> None:
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    # Serve as the runtime role, as production does: RLS applies to every statement below.
    connection.close()
    connection.settings_dict["USER"] = settings.DB_RUNTIME_ROLE
    connection.settings_dict["PASSWORD"] = settings.DB_RUNTIME_PASSWORD


def enqueue(organisation: Organisation, count: int) -> float:
    # Dispatch is timed separately: nothing consumes the in-memory broker the enqueue uses.
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "memory://"
    started = time.perf_counter()
    with tenant_context(organisation):
        for i in range(count):
            outbox_enqueue(
                to=f"candidate{i}@example.test",
                subject=f"Interview invitation {i}",
                template="outbox/notice",
                context={
                    "heading": "Your interview",
                    "paragraphs": [f"Slot {i}: Tuesday at 10:00.", "Bring a photo ID."],
                    "action_url": f"https://example.test/i/{i}",
                    "action_label": "See the details",
                },
                idempotency_key=f"bench-{i}",
            )
    return time.perf_counter() - started


def run_outbox(organisation: Organisation) -> tuple[float, int]:
    started = time.perf_counter()
    sent = 0
    while True:
        result = outbox_dispatch(organisation=organisation)
        sent += result.sent
        if not result.claimed:
            break
    return time.perf_counter() - started, sent


def run_raw(port: int, messages: list[tuple[str, bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for to, data in messages:
            smtp.sendmail("no-reply@rpo-portal.example", [to], data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    context = multiprocessing.get_context("fork")
    delivered = context.Value("i", 0)
    ready, stop = context.Event(), context.Event()
    sink = context.Process(target=serve_sink, args=(port, delivered, ready, stop), daemon=True)
    sink.start()  # before any database connection exists, so the child inherits none
    if not ready.wait(timeout=30):
        raise SystemExit("The SMTP sink did not start.")
    prepare_database()
    smtp_settings = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    )
    outbox_times: list[float] = []
    raw_times: list[float] = []
    enqueue_times: list[float] = []
    try:
        with smtp_settings:
            for _round in range(args.rounds):
                organisation = Organisation.objects.create(
                    name="Bench Ltd", slug=f"bench-{uuid.uuid4().hex[:12]}"
                )
                enqueue_times.append(enqueue(organisation, args.messages))
                with tenant_context(organisation):
                    raw = [
                        (m.to, build_email(m).message().as_bytes(linesep="\r\n"))
                        for m in OutboxMessage.objects.order_by("pk")
                    ]

                before = delivered.value
                raw_times.append(run_raw(port, raw))
                assert delivered.value - before == args.messages

                before = delivered.value
                elapsed, sent = run_outbox(organisation)
                assert sent == args.messages and delivered.value - before == args.messages
                outbox_times.append(elapsed)

                with tenant_context(organisation):
                    OutboxMessage.objects.all().delete()
                    organisation.delete()
    finally:
        stop.set()
        sink.join(timeout=10)

    outbox = statistics.median(outbox_times)
    raw_time = statistics.median(raw_times)
    enqueue_time = statistics.median(enqueue_times)
    n = args.messages
    print(
        f"outbox dispatch  {n} messages  {outbox:6.3f} s  {n / outbox:8.0f} msg/s  "
        f"(batch {settings.OUTBOX_BATCH_SIZE}, median of {args.rounds})"
    )
    print(f"raw smtplib loop {n} messages  {raw_time:6.3f} s  {n / raw_time:8.0f} msg/s")
    print(f"ratio outbox/raw: {outbox / raw_time:.2f}x the time of the raw loop")
    print(
        f"enqueue          {n} messages  {enqueue_time:6.3f} s  {n / enqueue_time:8.0f} msg/s  "
        "(one transaction, render + insert)"
    )


if __name__ == "__main__":
    main()
