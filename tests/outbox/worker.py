"""A real Celery worker (with embedded beat) and a private Redis, as subprocesses.

`RedisServer` runs redis-server on a free loopback port with no persistence, so a restart loses
every queued message, as a crashed broker would. `CeleryWorker` runs `celery worker -B` against it
with tests/outbox/worker_settings.py; `kill()` sends SIGKILL to the whole process group (the
main process, its pool children and beat), as a machine losing power would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import redis

from .smtp import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


class RedisServer:
    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port)
        wait_until(lambda: self._ping(client), timeout=10, message="redis-server to start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> None:
        """Kill and start again on the same port: every queued and unacked message is gone."""
        self.stop()
        self.start()

    @staticmethod
    def _ping(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False


class CeleryWorker:
    def __init__(self, *, workdir: Path, env: dict[str, str], concurrency: int = 2) -> None:
        self.workdir = workdir
        self.env = env
        self.concurrency = concurrency
        self.process: subprocess.Popen[bytes] | None = None
        self.log: Path | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.log = self.workdir / f"worker-{self.starts}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "celery", "-A", "rpo_portal", "worker",
                    "-B", "--scheduler", "celery.beat:PersistentScheduler",
                    "-s", str(self.workdir / f"beat-{self.starts}"),
                    "--pool", "prefork", "--concurrency", str(self.concurrency),
                    "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "-n", f"outbox-test-{uuid.uuid4().hex[:8]}@%h",
                    "--loglevel", "INFO",
                ],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so kill() reaches every child
            )  # fmt: skip
        wait_until(self._ready, timeout=60, message=f"the Celery worker to start ({self.log})")

    def _ready(self) -> bool:
        assert self.process is not None and self.log is not None
        if self.process.poll() is not None:
            raise AssertionError(f"Celery worker exited:\n{self.log.read_text()[-4000:]}")
        return " ready." in self.log.read_text()

    def kill(self) -> None:
        """SIGKILL the worker, its pool and beat at once: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None

    def output(self) -> str:
        return "\n".join(p.read_text()[-3000:] for p in sorted(self.workdir.glob("worker-*.log")))
