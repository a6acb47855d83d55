"""Group 4: with no organisation in scope, every ORM path raises and raw SQL sees nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.db.models import Count, Max

from programmes.models import Programme
from rpo_portal.tenancy.context import TenantScopeError, current_organisation
from rpo_portal.tenancy.models import Membership
from tests.factories import ProgrammeFactory


@pytest.fixture
def data(tenant_a, tenant_b):  # type: ignore[no-untyped-def]
    with tenant_a.scope():
        programme = ProgrammeFactory(name="A programme")
        membership = Membership.objects.get(user=tenant_a.lead)
    with tenant_b.scope():
        ProgrammeFactory(name="B programme")
    assert current_organisation() is None
    return programme, membership


SYNC_PATHS: dict[str, Callable[[Any, Any], Any]] = {
    "list()": lambda p, m: list(Programme.objects.all()),
    "iteration of a filter": lambda p, m: [x for x in Programme.objects.filter(name__gt="")],
    "exists()": lambda p, m: Programme.objects.exists(),
    "count()": lambda p, m: Programme.objects.count(),
    "get()": lambda p, m: Programme.objects.get(pk=p.pk),
    "first()": lambda p, m: Programme.objects.first(),
    "in_bulk()": lambda p, m: Programme.objects.in_bulk([p.pk]),
    "values()": lambda p, m: list(Programme.objects.values("name")),
    "values_list()": lambda p, m: list(Programme.objects.values_list("pk", flat=True)),
    "aggregate()": lambda p, m: Programme.objects.aggregate(Max("pk")),
    "annotate()": lambda p, m: list(Programme.objects.annotate(n=Count("pk"))),
    "iterator()": lambda p, m: list(Programme.objects.iterator()),
    "update()": lambda p, m: Programme.objects.update(name="x"),
    "delete()": lambda p, m: Programme.objects.filter(pk=p.pk).delete(),
    "instance delete()": lambda p, m: p.delete(),
    "refresh_from_db()": lambda p, m: p.refresh_from_db(),
    "related manager (user.memberships)": lambda p, m: list(m.user.memberships.all()),
    "related manager exists()": lambda p, m: m.user.memberships.exists(),
    "Membership count()": lambda p, m: Membership.objects.count(),
    "subquery": lambda p, m: list(Membership.objects.filter(pk__in=Membership.objects.all())),
    "union": lambda p, m: list(Programme.objects.none().union(Programme.objects.all())),
    "bulk_create()": lambda p, m: Programme.objects.bulk_create([Programme(name="x")]),
    "create()": lambda p, m: Programme.objects.create(name="x"),
    "get_or_create()": lambda p, m: Programme.objects.get_or_create(name="x"),
    "save() of a new row": lambda p, m: Programme(name="x").save(),
    "save() of an existing row": lambda p, m: p.save(),
    "filter(pk=...)": lambda p, m: list(Programme.objects.filter(pk=p.pk)),
}


@pytest.mark.parametrize("path", SYNC_PATHS, ids=list(SYNC_PATHS))
def test_every_sync_path_raises(data, path):
    programme, membership = data
    with pytest.raises(TenantScopeError):
        SYNC_PATHS[path](programme, membership)


def test_save_with_a_mismatched_organisation_raises(data, tenant_b):
    programme, _membership = data
    with tenant_b.scope():
        with pytest.raises(TenantScopeError, match="belongs to organisation"):
            programme.save()
        with pytest.raises(TenantScopeError):
            Programme.objects.bulk_create(
                [Programme(name="x", organisation_id=programme.organisation_id)]
            )
        assert not Programme.objects.filter(pk=programme.pk).exists()


async def _async_for() -> list:
    return [p async for p in Programme.objects.all()]


async def _aexists() -> bool:
    return await Programme.objects.aexists()


async def _acount() -> int:
    return await Programme.objects.acount()


async def _aget(pk: int) -> Programme:
    return await Programme.objects.aget(pk=pk)


async def _afirst() -> Programme | None:
    return await Programme.objects.afirst()


async def _related(user: Any) -> list:
    return [m async for m in user.memberships.all()]


ASYNC_PATHS: dict[str, Callable[[Any, Any], Any]] = {
    "async for": lambda p, m: async_to_sync(_async_for)(),
    "aexists()": lambda p, m: async_to_sync(_aexists)(),
    "acount()": lambda p, m: async_to_sync(_acount)(),
    "aget()": lambda p, m: async_to_sync(_aget)(p.pk),
    "afirst()": lambda p, m: async_to_sync(_afirst)(),
    "async related manager": lambda p, m: async_to_sync(_related)(m.user),
}


@pytest.mark.parametrize("path", ASYNC_PATHS, ids=list(ASYNC_PATHS))
def test_every_async_path_raises(data, path):
    programme, membership = data
    with pytest.raises(TenantScopeError):
        ASYNC_PATHS[path](programme, membership)


def test_async_paths_work_inside_a_tenant(data, tenant_a):
    """The raises above are the missing tenant, not async as such."""
    programme, _membership = data
    with tenant_a.scope():
        assert [p.pk for p in async_to_sync(_async_for)()] == [programme.pk]
        assert async_to_sync(_acount)() == 1
        assert async_to_sync(_aget)(programme.pk) == programme


def test_raw_sql_with_no_tenant_sees_no_rows(data):
    with connection.cursor() as cursor:
        cursor.execute("SELECT nullif(current_setting('app.tenant_id', true), '')")
        assert cursor.fetchone() == (None,)
        for model in (Programme, Membership):
            cursor.execute(f"SELECT count(*) FROM {model._meta.db_table}")  # noqa: S608
            assert cursor.fetchone() == (0,)
    assert Programme.all_tenants.count() == 0  # the escape hatch still obeys RLS
