"""PostgreSQL roles: the owner runs migrations, the runtime role serves, the reporting role reads.

The runtime role does not own the tables, is not a superuser, has no BYPASSRLS and no TRUNCATE,
so row-level security always applies to it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections

# Non-tenant tables the reporting role must not read (credentials, sessions).
REPORTING_HIDDEN_TABLES = ("accounts_user", "authtoken_token", "django_session")
# Tables the runtime role may read but never write.
RUNTIME_READ_ONLY_TABLES = ("django_migrations",)
# Tables the runtime role may read and append to, never alter or empty (the audit trail).
RUNTIME_APPEND_ONLY_TABLES = ("audit_auditevent",)


def role_exists(cursor: Any, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def quote_ident(connection: Any, name: str) -> str:
    return connection.ops.quote_name(name)


def grant_runtime_privileges(using: str = "default", **kwargs: Any) -> None:
    """After every migrate: DML for the runtime role, SELECT for the reporting role.

    Idempotent. Runs as the migrating (owner) connection; does nothing on SQLite.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    runtime, reporting = settings.DB_RUNTIME_ROLE, settings.DB_REPORTING_ROLE
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (me,) = cursor.fetchone()
        if me == runtime:
            return  # serving connection, not a migration: nothing to grant
        for role in (runtime, reporting):
            if not role_exists(cursor, role):
                raise RuntimeError(
                    f"PostgreSQL role {role!r} does not exist: run `manage.py db_roles` "
                    "with a superuser DATABASE_URL first (see README)."
                )
        q_runtime, q_reporting = (
            quote_ident(connection, runtime),
            quote_ident(connection, reporting),
        )
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q_runtime}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {q_runtime}")
        for table in RUNTIME_READ_ONLY_TABLES:
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {q_runtime}")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
            [list(RUNTIME_APPEND_ONLY_TABLES)],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {q_runtime}")
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {q_reporting}")
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
            [list(REPORTING_HIDDEN_TABLES)],
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"REVOKE ALL ON {table} FROM {q_reporting}")
