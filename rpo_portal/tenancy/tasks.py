"""Tenant-aware Celery tasks.

`TenantTask` takes the organisation id as the first argument and runs the body inside
`tenant_context`; called without one, it raises. Periodic jobs are global tasks that fan out one
tenant task per organisation (`fan_out`).
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.contrib.django.task import DjangoTask

from .context import TenantScopeError, tenant_context
from .models import Organisation


def task_organisation(task_name: str, organisation_id: object) -> Organisation:
    """The organisation a tenant task runs for; a missing or malformed id raises."""
    if not isinstance(organisation_id, int) or isinstance(organisation_id, bool):
        raise TenantScopeError(
            f"Task {task_name} needs the organisation id as its first argument, "
            f"got {organisation_id!r}."
        )
    return Organisation.objects.get(pk=organisation_id)


class TenantTask(DjangoTask):
    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        organisation_id = args[0] if args else kwargs.pop("organisation_id", None)
        if args:
            args = args[1:]
        organisation = task_organisation(self.name, organisation_id)
        with tenant_context(organisation):
            return self.run(organisation, *args, **kwargs)


def tenant_task(*args: Any, **kwargs: Any) -> Any:
    """`@tenant_task(...)`: a shared task whose body receives the Organisation first."""
    kwargs.setdefault("base", TenantTask)
    return shared_task(*args, **kwargs)


def fan_out(task: Any, *args: Any) -> int:
    """Enqueue `task(organisation_id, *args)` once per organisation; returns how many."""
    ids = list(Organisation.objects.values_list("pk", flat=True).order_by("pk"))
    for organisation_id in ids:
        task.delay(organisation_id, *args)
    return len(ids)
