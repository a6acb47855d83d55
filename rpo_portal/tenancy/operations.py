"""Migration operations for isolation layer 2 (PostgreSQL row-level security).

`EnableTenantRLS` turns on RLS with the organisation policy for one model's table and adds the
`(organisation_id, id)` key that composite foreign keys reference. `TenantForeignKey` adds the
composite twin of a foreign key between two tenant tables, so a row can never point at another
tenant's parent (plain foreign-key checks ignore RLS). `TenantPrimaryKey` then makes
`(organisation_id, id)` the table's primary key. A new tenant table takes all three, in that
order. All are no-ops on SQLite.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations

TENANT_EXPR = "(SELECT nullif(current_setting('app.tenant_id', true), '')::bigint)"


def _pg(schema_editor: Any) -> bool:
    return schema_editor.connection.vendor == "postgresql"


class _TableOperation(migrations.operations.base.Operation):
    """An operation on one model's table that leaves Django's model state alone."""

    reversible = True

    def __init__(self, model_name: str) -> None:
        self.model_name = model_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass


class EnableTenantRLS(_TableOperation):
    reduces_to_sql = True

    def describe(self) -> str:
        return f"Enable tenant row-level security on {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"rls_{self.model_name.lower()}"

    def _table(self, app_label: str, state: Any) -> str:
        return state.apps.get_model(app_label, self.model_name)._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if not _pg(schema_editor):
            return
        table = self._table(app_label, to_state)
        q = schema_editor.quote_name
        reporting = q(settings.DB_REPORTING_ROLE)
        schema_editor.execute(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_org_id_key')} "
            f"UNIQUE (organisation_id, id)"
        )
        schema_editor.execute(f"ALTER TABLE {q(table)} ENABLE ROW LEVEL SECURITY")
        schema_editor.execute(
            f"CREATE POLICY tenant_isolation ON {q(table)} "
            f"USING (organisation_id = {TENANT_EXPR}) WITH CHECK (organisation_id = {TENANT_EXPR})"
        )
        schema_editor.execute(
            f"CREATE POLICY reporting_read ON {q(table)} FOR SELECT TO {reporting} USING (true)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if not _pg(schema_editor):
            return
        table = self._table(app_label, from_state)
        q = schema_editor.quote_name
        schema_editor.execute(f"DROP POLICY IF EXISTS reporting_read ON {q(table)}")
        schema_editor.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {q(table)}")
        schema_editor.execute(f"ALTER TABLE {q(table)} DISABLE ROW LEVEL SECURITY")
        schema_editor.execute(
            f"ALTER TABLE {q(table)} DROP CONSTRAINT IF EXISTS {q(table + '_org_id_key')}"
        )


class TenantForeignKey(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, model_name: str, field_name: str) -> None:
        self.model_name = model_name
        self.field_name = field_name

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [self.model_name, self.field_name], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def describe(self) -> str:
        return f"Same-tenant foreign key for {self.model_name}.{self.field_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"tenant_fk_{self.model_name.lower()}_{self.field_name}"

    @staticmethod
    def constraint_name(table: str, column: str) -> str:
        name = f"{table}_{column}_same_tenant"
        return name[:63]

    def _parts(self, app_label: str, state: Any) -> tuple[str, str, str]:
        model = state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.field_name)
        return model._meta.db_table, field.column, field.related_model._meta.db_table

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if not _pg(schema_editor):
            return
        table, column, parent = self._parts(app_label, to_state)
        q = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(self.constraint_name(table, column))} "
            f"FOREIGN KEY (organisation_id, {q(column)}) "
            f"REFERENCES {q(parent)} (organisation_id, id) DEFERRABLE INITIALLY DEFERRED"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if not _pg(schema_editor):
            return
        table, column, _parent = self._parts(app_label, from_state)
        q = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {q(table)} DROP CONSTRAINT IF EXISTS "
            f"{q(self.constraint_name(table, column))}"
        )


class RunSQLOnPostgres(migrations.RunSQL):
    """Raw SQL that only PostgreSQL gets (SQLite has no roles, policies or functions)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if _pg(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if _pg(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TenantPrimaryKey(_TableOperation):
    """Make a tenant table's primary key `(organisation_id, id)` instead of `(id)`.

    Django keeps `id` as the model's pk (ids stay unique: one identity sequence per table); the
    database key leads with the organisation, as Citus requires of a distributed table and as a
    tenant's pages need (its rows sit together in the key). The unique `(organisation_id, id)`
    that `EnableTenantRLS` added becomes the key, and the same-tenant foreign keys that referenced
    it are re-pointed at the key: dropped and re-added `NOT VALID`, then validated. (Validating
    alone lets the child's reads and writes go on, but a migration is one transaction, so the key
    change's lock lasts until it commits: README's upgrade notes give the durations.) Single-column foreign keys
    to the table must be gone first (`db_constraint=False` on the model's field); one left over is
    an error, not dropped silently.
    """

    reduces_to_sql = False

    def describe(self) -> str:
        return f"Primary key (organisation_id, id) on {self.model_name}"

    @property
    def migration_name_fragment(self) -> str:
        return f"tenant_pk_{self.model_name.lower()}"

    def _rekey(self, schema_editor: Any, table: str, columns: str, old_unique: str | None) -> None:
        q = schema_editor.quote_name
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid), "
                "array_length(conkey, 1) FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid = %s::regclass ORDER BY conname",
                [table],
            )
            referencing = cursor.fetchall()
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE contype = 'p' AND conrelid = %s::regclass",
                [table],
            )
            (primary,) = cursor.fetchone()
        single = [f"{child}.{name}" for name, child, _d, n in referencing if n == 1]
        if single and columns != "id":
            raise RuntimeError(
                f"{table}: single-column foreign keys still reference it: {', '.join(single)}; "
                "give their fields db_constraint=False first"
            )
        for name, child, _definition, _n in referencing:
            schema_editor.execute(f"ALTER TABLE {q(child)} DROP CONSTRAINT {q(name)}")
        drops = [f"DROP CONSTRAINT {q(primary)}"]
        if old_unique:
            drops.append(f"DROP CONSTRAINT IF EXISTS {q(old_unique)}")
        schema_editor.execute(
            f"ALTER TABLE {q(table)} {', '.join(drops)}, "
            f"ADD CONSTRAINT {q(table + '_pkey')} PRIMARY KEY ({columns})"
        )
        if columns == "id":  # backwards: the unique that composite keys reference comes back
            schema_editor.execute(
                f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(table + '_org_id_key')} "
                f"UNIQUE (organisation_id, id)"
            )
        for name, child, definition, _n in referencing:
            schema_editor.execute(
                f"ALTER TABLE {q(child)} ADD CONSTRAINT {q(name)} {definition} NOT VALID"
            )
            schema_editor.execute(f"ALTER TABLE {q(child)} VALIDATE CONSTRAINT {q(name)}")

    def database_forwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if not _pg(schema_editor):
            return
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        self._rekey(schema_editor, table, "organisation_id, id", table + "_org_id_key")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        if not _pg(schema_editor):
            return
        table = from_state.apps.get_model(app_label, self.model_name)._meta.db_table
        self._rekey(schema_editor, table, "id", None)
