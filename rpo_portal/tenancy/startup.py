"""Refuse to serve (web or worker) when the database cannot enforce tenant isolation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from .checks import runtime_role_problems


def refuse_unsafe_database() -> None:
    if not settings.TENANCY_REQUIRE_RLS:
        return
    if connections["default"].vendor == "sqlite":
        raise ImproperlyConfigured(
            "Refusing to serve tenant data on SQLite outside DEBUG: it has no row-level security."
        )
    problems = runtime_role_problems()
    connections["default"].close()
    if problems:
        raise ImproperlyConfigured(
            "Refusing to serve: the database role can bypass row-level security ("
            + "; ".join(problems)
            + "). Serve with the runtime role from `manage.py db_roles`."
        )
