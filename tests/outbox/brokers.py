"""Point this process's Celery app at a real broker instead of running tasks inline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from kombu import pools

from rpo_portal.celery import app


def _reset_pools() -> None:
    pools.reset()  # closes and forgets kombu's global connection and producer pools
    app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@contextmanager
def published_to(broker_url: str) -> Iterator[None]:
    """Tasks enqueued in the block go to `broker_url` (test settings run them inline)."""
    previous = (app.conf.task_always_eager, app.conf.broker_url)
    _reset_pools()
    app.conf.task_always_eager = False
    app.conf.broker_url = broker_url
    try:
        yield
    finally:
        _reset_pools()
        app.conf.task_always_eager, app.conf.broker_url = previous
