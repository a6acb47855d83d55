"""A real Celery worker for tests: `celery -A rpo_portal worker` as a subprocess.

It runs with the test settings (TEST_WORKER=1: the test database as the runtime role, tasks
not eager), pool solo, the test Redis as broker, and imports the extra task modules given in
`include`. The tests' own process sends to it for as long as it runs (eager mode is off then).
Tests that use it need committed data (`transactional_db`).

    def test_x(celery_worker):               # function-scoped fixture, started and ready
        my_task.delay(org.pk)
        wait_for(lambda: ..., timeout=20)

    worker = CeleryWorker(include=["tests.outbox.tasks"]); worker.start()
    worker.kill()      # SIGKILL, as a crash would
    worker.start()     # again, same log file
    worker.stop()      # SIGTERM (warm shutdown), SIGKILL after a deadline
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from rpo_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INCLUDE = ("tests.tenancy.worker_tasks",)


def wait_for(predicate: Callable[[], Any], *, timeout: float = 30, interval: float = 0.1) -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {predicate!r}")
        time.sleep(interval)


class CeleryWorker:
    def __init__(
        self,
        *,
        include: Iterable[str] = DEFAULT_INCLUDE,
        env: dict[str, str] | None = None,
        extra_args: Iterable[str] = (),
    ) -> None:
        self.include = list(include)
        self.extra_env = dict(env or {})
        self.extra_args = list(extra_args)
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        handle, path = tempfile.mkstemp(prefix="celery-worker-", suffix=".log")
        os.close(handle)
        self.log_path = Path(path)
        self.process: subprocess.Popen[bytes] | None = None
        self._log_offset = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="rpo_portal.settings.test",
            TEST_WORKER="1",
            # The database the test session really uses (xdist suffixes the name).
            TEST_DATABASE_TEST_NAME=connections["default"].settings_dict["NAME"],
            TEST_REDIS_URL=settings.REDIS_URL,
            PYTHONPATH=str(ROOT),
        )
        env.update(self.extra_env)
        return env

    def command(self) -> list[str]:
        cmd = [
            sys.executable, "-m", "celery", "-A", "rpo_portal", "worker",
            "--pool", "solo", "--concurrency", "1", "--loglevel", "INFO",
            "--without-heartbeat", "--without-gossip", "--without-mingle",
            "-n", self.name,
        ]  # fmt: skip
        if self.include:
            cmd += ["--include", ",".join(self.include)]
        return cmd + self.extra_args

    def start(self, *, timeout: float = 60) -> CeleryWorker:
        assert self.process is None or self.process.poll() is not None, "already running"
        self._log_offset = self.log_path.stat().st_size
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), cwd=ROOT, env=self.environment(), stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for(self._ready, timeout=timeout, interval=0.2)
        return self

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"the worker exited ({self.process.returncode}):\n{self.log()}")
        return " ready." in self.log(since_start=True)

    def log(self, *, since_start: bool = False) -> str:
        text = self.log_path.read_bytes().decode(errors="replace")
        return text[self._log_offset :] if since_start else text

    def wait_for_log(self, text: str, *, timeout: float = 30) -> str:
        return wait_for(lambda: text in self.log() and self.log(), timeout=timeout)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a crash or an OOM kill."""
        if self.alive():
            assert self.process is not None
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self, *, timeout: float = 20) -> None:
        """SIGTERM (Celery's warm shutdown), then SIGKILL if it is still running."""
        if not self.alive():
            return
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


def _purge_broker() -> None:
    with celery_app.connection_for_write() as conn:
        celery_app.amqp.queues  # noqa: B018  (declares the default queue)
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[CeleryWorker]:
    """A started worker; this process sends tasks to it (not eagerly) until the test ends."""
    worker = CeleryWorker()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    with contextlib.suppress(Exception):  # no queue yet: nothing to purge
        _purge_broker()
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        celery_app.conf.task_always_eager = previous
