"""A real SMTP server on loopback (aiosmtpd) that records what it accepts.

Deliveries are counted per Message-ID, so tests can tell "every message once" from "some twice".
Behaviours a test can switch on: scripted replies to DATA (e.g. one 451, then success),
recipients refused with a reply (e.g. 550), and a gate that holds the reply to the Nth
message until the test opens it (to stop a sender deterministically in the middle of a batch).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], Any], *, timeout: float, message: str) -> Any:
    """Poll `predicate` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout}s: {message}")
        time.sleep(0.02)


class RecordingHandler:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []
        self.deliveries: Counter[str] = Counter()
        self.sessions = 0
        self.data_replies: list[str] = []
        self.refused: dict[str, str] = {}
        self.gate_after: int | None = None
        self.gate_reached = threading.Event()
        self.gate_open = threading.Event()

    # aiosmtpd hooks ------------------------------------------------------------------------

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        # One EHLO per SMTP connection: counts the connections a sender opened.
        session.host_name = hostname
        with self.lock:
            self.sessions += 1
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        reply = self.refused.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.lock:
            if self.data_replies:
                return self.data_replies.pop(0)
            hold = self.gate_after is not None and len(self.messages) >= self.gate_after
            reached, opened = self.gate_reached, self.gate_open
            if hold:
                self.gate_after = None  # exactly one message is held
        if hold:
            reached.set()
            await asyncio.get_running_loop().run_in_executor(None, opened.wait)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)  # type: ignore[arg-type]
            self.deliveries[str(message["Message-ID"])] += 1
        return "250 Message accepted for delivery"

    # For tests ------------------------------------------------------------------------------

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.messages)

    def hold_after(self, delivered: int) -> None:
        """Hold the reply to the message after the first `delivered` ones, until `release()`.

        Each hold has its own events, so a new hold never reopens or re-closes an earlier one.
        """
        with self.lock:
            self.gate_reached = threading.Event()
            self.gate_open = threading.Event()
            self.gate_after = delivered

    def release(self) -> None:
        with self.lock:
            self.gate_open.set()


@contextmanager
def smtp_server() -> Iterator[tuple[RecordingHandler, int]]:
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.release()
        controller.stop()
