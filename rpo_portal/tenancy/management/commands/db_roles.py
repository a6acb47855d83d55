"""Create the PostgreSQL roles and grants the isolation design needs, idempotently.

Run with a superuser (or CREATEROLE) DATABASE_URL. `--print-url owner|runtime|reporting`
prints the connection URL for that role instead, for scripts.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from psycopg import sql


class Command(BaseCommand):
    help = "Create the owner, runtime and reporting PostgreSQL roles (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--print-url", choices=["owner", "runtime", "reporting"])
        parser.add_argument(
            "--createdb",
            action="store_true",
            help="Let the owner role create databases (needed to run the test suite).",
        )

    def roles(self) -> dict[str, tuple[str, str]]:
        return {
            "owner": (settings.DB_OWNER_ROLE, settings.DB_OWNER_PASSWORD),
            "runtime": (settings.DB_RUNTIME_ROLE, settings.DB_RUNTIME_PASSWORD),
            "reporting": (settings.DB_REPORTING_ROLE, settings.DB_REPORTING_PASSWORD),
        }

    def handle(self, *args: Any, **options: Any) -> None:
        db = settings.DATABASES["default"]
        if not db["ENGINE"].endswith("postgresql"):
            raise CommandError("db_roles needs DATABASE_URL to point at PostgreSQL.")
        if options["print_url"]:
            role, password = self.roles()[options["print_url"]]
            auth = quote(role) + (":" + quote(password, safe="") if password else "")
            self.stdout.write(
                f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
            )
            return
        try:
            self.create(db, createdb=options["createdb"])
        except psycopg.Error as exc:
            raise CommandError(f"Could not set up the database roles: {exc}") from exc

    def connect(self, db: dict[str, Any], dbname: str) -> psycopg.Connection:
        return psycopg.connect(
            dbname=dbname,
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            autocommit=True,
        )

    def create(self, db: dict[str, Any], *, createdb: bool) -> None:
        roles = self.roles()
        with self.connect(db, "postgres") as conn:
            for kind, (role, password) in roles.items():
                exists = conn.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]
                ).fetchone()
                verb = "ALTER" if exists else "CREATE"
                options = ["LOGIN", "NOSUPERUSER", "NOBYPASSRLS", "NOCREATEROLE"]
                options.append("CREATEDB" if kind == "owner" and createdb else "NOCREATEDB")
                statement = sql.SQL(verb + " ROLE {} " + " ".join(options)).format(
                    sql.Identifier(role)
                )
                if password:
                    statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
                conn.execute(statement)
                self.stdout.write(f"{'updated' if exists else 'created'} role {role} ({kind})")
            owner = sql.Identifier(roles["owner"][0])
            if not conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone():
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(db["NAME"]), owner)
                )
                self.stdout.write(f"created database {db['NAME']}")
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(db["NAME"]), owner)
            )
            for kind in ("runtime", "reporting"):
                conn.execute(
                    sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                        sql.Identifier(db["NAME"]), sql.Identifier(roles[kind][0])
                    )
                )
        with self.connect(db, db["NAME"]) as conn:
            conn.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(owner))
            # Tables made before the owner role existed (an older install) move to it.
            (me,) = conn.execute("SELECT current_user").fetchone() or ("",)
            if me != roles["owner"][0]:
                tables = conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s",
                    [roles["owner"][0]],
                ).fetchall()
                for (table,) in tables:
                    conn.execute(
                        sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(table), owner)
                    )
        self.stdout.write(self.style.SUCCESS("Database roles are in place."))
