"""Tasks the test worker imports (`--include`): they report what they saw to Redis."""

from __future__ import annotations

import json
from typing import Any

import redis
from celery import shared_task
from celery.signals import task_failure
from django.conf import settings
from django.db import connection

from programmes.models import Programme
from rpo_portal.tenancy.context import current_organisation_id
from rpo_portal.tenancy.tasks import tenant_task

PREFIX = "tests:worker:"


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def record(key: str, value: dict[str, Any]) -> None:
    _redis().set(PREFIX + key, json.dumps(value), ex=600)


def read(key: str) -> dict[str, Any] | None:
    raw = _redis().get(PREFIX + key)
    return json.loads(raw) if raw else None


def connection_state() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nullif(current_setting('app.tenant_id', true), ''), pg_backend_pid(), "
            "current_user, (SELECT count(*) FROM programmes_programme)"
        )
        setting, pid, user, raw_count = cursor.fetchone()
    return {
        "setting": setting,
        "pid": pid,
        "user": user,
        "raw_count": raw_count,
        "context_organisation_id": current_organisation_id(),
    }


@tenant_task(name="tests.tenancy.probe_tenant")
def probe_tenant(organisation: Any, key: str, fail: bool = False) -> None:
    state = connection_state()
    state.update(
        organisation_id=organisation.pk,
        orm_names=sorted(Programme.objects.values_list("name", flat=True)),
    )
    record(key, state)
    if fail:
        raise RuntimeError("the task failed after reading in its tenant")


@shared_task(name="tests.tenancy.probe_connection")
def probe_connection(key: str) -> None:
    """A global task: what the worker's connection carries between tenant tasks."""
    record(key, connection_state())


@task_failure.connect
def _record_failure(
    sender: Any = None, task_id: str = "", exception: Any = None, **kw: Any
) -> None:
    record(f"failure:{task_id}", {"type": type(exception).__name__, "message": str(exception)})
