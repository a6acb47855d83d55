"""The current tenant: a context variable, entered only through `tenant_context`.

Entering the context also opens a transaction and sets `app.tenant_id` with `SET LOCAL`, which
PostgreSQL's row-level security policies read. `SET LOCAL` dies at commit, so a pooled
connection never carries one tenant into the next piece of work.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Organisation

_current: ContextVar[Organisation | None] = ContextVar("rpo_current_organisation", default=None)


class TenantScopeError(RuntimeError):
    """Tenant data was touched without an organisation in scope, or with the wrong one."""


def current_organisation() -> Organisation | None:
    return _current.get()


def current_organisation_id() -> int | None:
    organisation = _current.get()
    return organisation.pk if organisation is not None else None


def require_organisation() -> Organisation:
    organisation = _current.get()
    if organisation is None:
        raise TenantScopeError(
            "No organisation in scope: wrap this code in tenant_context(organisation)."
        )
    return organisation


def set_database_tenant(organisation_id: int | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """`SET LOCAL app.tenant_id` on the connection's open transaction (PostgreSQL only)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    value = "" if organisation_id is None else str(int(organisation_id))
    with connection.cursor() as cursor:
        # The statement form (not set_config) is what Citus propagates to worker nodes.
        cursor.execute(f"SET LOCAL app.tenant_id = '{value}'")


@contextmanager
def tenant_context(organisation: Organisation) -> Iterator[Organisation]:
    """Run the block as `organisation`, inside a transaction (a savepoint when nested), with
    the organisation's time zone active."""
    if organisation is None or organisation.pk is None:
        raise TenantScopeError("tenant_context needs a saved organisation.")
    previous = _current.get()
    # Times are read and shown in the organisation's zone (forms, templates, exports, .ics).
    zone = zoneinfo.ZoneInfo(organisation.timezone)
    with transaction.atomic(using=DEFAULT_DB_ALIAS), timezone.override(zone):
        token = _current.set(organisation)
        set_database_tenant(organisation.pk)
        try:
            yield organisation
        finally:
            _current.reset(token)
        # Reached only without an exception. Nested in an outer transaction, restore the outer
        # tenant (or none) now; an outermost transaction's commit clears it by itself, and a
        # savepoint marked for rollback restores it by itself when it rolls back.
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.savepoint_ids and not connection.needs_rollback:
            set_database_tenant(previous.pk if previous is not None else None)
