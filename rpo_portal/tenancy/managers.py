"""Layer 1 of tenant isolation: managers that fail closed.

The tenant filter is an expression evaluated when the SQL is compiled, not when the queryset
is built, so every path that reaches the database (iteration, `exists()`, `count()`,
`update()`, related managers, `async for`) filters on the organisation in scope, and raises
when there is none. A filter on "no tenant" never falls back to all rows.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.expressions import Expression

from .context import TenantScopeError, current_organisation_id


class CurrentTenant(Expression):
    """`<table>.organisation_id = <current tenant>`, bound at SQL compile time."""

    conditional = True

    def __init__(self, column: str = "organisation_id", col: Any = None) -> None:
        super().__init__(output_field=models.BooleanField())
        self.column = column
        self.col = col

    def __repr__(self) -> str:
        return f"CurrentTenant({self.column!r})"

    def get_source_expressions(self) -> list[Any]:
        return [self.col] if self.col is not None else []

    def set_source_expressions(self, exprs: Any) -> None:
        if exprs:
            (self.col,) = exprs

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):  # type: ignore[no-untyped-def]
        if self.col is not None:
            # Already bound to its own table: a queryset used as a subquery is resolved again
            # against the outer query, whose table is not this one.
            return super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        clone = self.copy()
        clone.col = query.resolve_ref(self.column)
        return clone

    def as_sql(self, compiler, connection):  # type: ignore[no-untyped-def]
        organisation_id = current_organisation_id()
        if organisation_id is None:
            raise TenantScopeError(
                "Tenant-owned rows were queried with no organisation in scope: "
                "wrap the code in tenant_context(organisation)."
            )
        sql, params = compiler.compile(self.col)
        return f"{sql} = %s", (*params, organisation_id)


class TenantQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[no-untyped-def]
        objs = list(objs)
        for obj in objs:
            obj.claim_organisation()
        return super().bulk_create(objs, *args, **kwargs)


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Default and base manager of every tenant-owned model."""

    use_in_migrations = False

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(CurrentTenant())


class AllTenantsManager(models.Manager):
    """Escape hatch for provider reporting and migrations. Row-level security still applies."""

    use_in_migrations = False


__all__ = ["AllTenantsManager", "CurrentTenant", "TenantManager", "TenantScopeError"]
