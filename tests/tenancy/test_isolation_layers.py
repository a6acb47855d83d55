"""Group 2: each isolation layer alone holds the whole sweep.

- RLS off: the application connects as the owner role, which row-level security does not bind,
  so only the ORM layer (fail-closed managers, `save()` checks) stands between the tenants.
- ORM layer off: the managers return unfiltered querysets and `save()` only fills a missing
  organisation, so only PostgreSQL's policies stand between them.

The data is committed (transactional_db), so the owner connection sees what the runtime role
wrote and the requests really commit.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection, models

from programmes.models import Programme
from rpo_portal.tenancy.context import current_organisation_id, tenant_context
from rpo_portal.tenancy.managers import TenantManager
from rpo_portal.tenancy.models import TenantOwned
from tests.conftest import Tenant, connected_as
from tests.factories import ProgrammeFactory
from tests.tenancy import sweep


@pytest.fixture
def tenants(transactional_db):  # type: ignore[no-untyped-def]
    return Tenant("acme"), Tenant("globex")


def _raw_count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (a model's table name)
        return int(cursor.fetchone()[0])


def test_sweep_holds_with_rls_bypassed(tenants):
    tenant_a, tenant_b = tenants
    with tenant_a.scope():
        ProgrammeFactory(name="row of A")
    with connected_as(settings.DB_OWNER_ROLE, settings.DB_OWNER_PASSWORD):
        # The layer really is off: with no tenant set, raw SQL sees every tenant's rows.
        assert _raw_count(Programme._meta.db_table) >= 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == settings.DB_OWNER_ROLE
        sweep.run_sweep(tenant_a, tenant_b)


def _unfiltered_get_queryset(self: TenantManager) -> models.QuerySet:
    # The same queryset class (bulk_create still fills the organisation), without the filter.
    return self._queryset_class(model=self.model, using=self._db, hints=self._hints)


def _fill_only(self: TenantOwned) -> None:
    if self.organisation_id is None:
        self.organisation_id = current_organisation_id()


def test_sweep_holds_with_the_orm_layer_patched_out(tenants, monkeypatch):
    tenant_a, tenant_b = tenants
    monkeypatch.setattr(TenantManager, "get_queryset", _unfiltered_get_queryset)
    monkeypatch.setattr(TenantOwned, "claim_organisation", _fill_only)
    # The layer really is off: no tenant raises nothing (RLS just returns no rows) ...
    assert list(Programme.objects.all()) == []
    with tenant_a.scope():
        ProgrammeFactory(name="row of A")
        # ... and a mismatched organisation is not refused by save().
        stray = Programme(name="stray", organisation_id=tenant_b.organisation.pk)
        stray.claim_organisation()
        assert stray.organisation_id == tenant_b.organisation.pk
    with tenant_context(tenant_a.organisation):
        assert "CurrentTenant" not in str(Programme.objects.all().query.where)
    sweep.run_sweep(tenant_a, tenant_b)
