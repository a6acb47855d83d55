"""Enqueue a task once the current transaction commits.

TenantTask derives from celery.Task rather than Celery's DjangoTask, so it has no
`delay_on_commit`; this is the same thing (`transaction.on_commit` + `delay`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any) -> None:
    transaction.on_commit(partial(task.delay, *args))
