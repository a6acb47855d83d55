"""System checks: refuse to serve without the second isolation layer."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.utils import DatabaseError


@register(Tags.security, deploy=True)
def check_sqlite_outside_debug(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if connections["default"].vendor == "sqlite" and not settings.DEBUG:
        return [
            Error(
                "SQLite has no row-level security: the second isolation layer is missing.",
                hint="Set DATABASE_URL to PostgreSQL, or DEBUG=true for the embedded demo.",
                id="tenancy.E001",
            )
        ]
    return []


def runtime_role_problems(using: str = "default") -> list[str]:
    """Why the serving connection could bypass row-level security (empty when it cannot)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        name, is_super, bypass = cursor.fetchone()
        problems = []
        if is_super:
            problems.append(f"role {name} is a superuser")
        if bypass:
            problems.append(f"role {name} has BYPASSRLS")
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [name],
        )
        (owned,) = cursor.fetchone()
        if owned:
            problems.append(f"role {name} owns {owned} tables (owners bypass RLS)")
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
            "AND has_table_privilege(current_user, schemaname || '.' || tablename, 'TRUNCATE')"
        )
        (truncatable,) = cursor.fetchone()
        if truncatable:
            problems.append(f"role {name} may TRUNCATE {truncatable} tables")
    return problems


@register(Tags.database)
def check_runtime_role(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[Error]:
    if not settings.TENANCY_REQUIRE_RLS or not databases or "default" not in databases:
        return []
    try:
        problems = runtime_role_problems()
    except DatabaseError as exc:
        return [Error(f"Could not inspect the database role: {exc}", id="tenancy.E003")]
    return (
        [
            Error(
                "The application's database role can bypass row-level security: "
                + "; ".join(problems),
                hint="Serve with the runtime role created by `manage.py db_roles` (see README).",
                id="tenancy.E002",
            )
        ]
        if problems
        else []
    )
