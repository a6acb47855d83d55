"""Group 3: raw SQL under row-level security, as the runtime role inside B's tenant_context."""

from __future__ import annotations

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from programmes.models import Programme
from rpo_portal.tenancy.models import Membership
from tests.factories import ProgrammeFactory

PROGRAMMES = Programme._meta.db_table
MEMBERSHIPS = Membership._meta.db_table


@pytest.fixture
def rows(tenant_a, tenant_b):  # type: ignore[no-untyped-def]
    with tenant_a.scope():
        a_ids = [ProgrammeFactory(name=f"A {i}").pk for i in range(3)]
    with tenant_b.scope():
        b_ids = [ProgrammeFactory(name=f"B {i}").pk for i in range(2)]
    return a_ids, b_ids


def _one(sql: str, params: list | None = None):  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()


def test_count_sees_only_b(rows, tenant_a, tenant_b):
    a_ids, b_ids = rows
    with tenant_b.scope():
        assert _one(f"SELECT count(*) FROM {PROGRAMMES}") == (len(b_ids),)  # noqa: S608
        assert _one(f"SELECT count(*) FROM {MEMBERSHIPS}") == (3,)  # noqa: S608
        assert _one(
            f"SELECT count(*) FROM {PROGRAMMES} WHERE id = ANY(%s)",  # noqa: S608
            [a_ids],
        ) == (0,)
        # Naming A's organisation explicitly does not help either.
        assert _one(
            f"SELECT count(*) FROM {PROGRAMMES} WHERE organisation_id = %s",  # noqa: S608
            [tenant_a.organisation.pk],
        ) == (0,)
    with tenant_a.scope():
        assert _one(f"SELECT count(*) FROM {PROGRAMMES}") == (len(a_ids),)  # noqa: S608


def test_update_and_delete_of_a_touch_nothing(rows, tenant_a, tenant_b):
    a_ids, _b_ids = rows
    with tenant_b.scope(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {PROGRAMMES} SET name = 'taken' WHERE id = ANY(%s)",  # noqa: S608
            [a_ids],
        )
        assert cursor.rowcount == 0
        cursor.execute(f"UPDATE {PROGRAMMES} SET name = name || ''")  # noqa: S608
        assert cursor.rowcount == 2  # B's own rows only
        cursor.execute(f"DELETE FROM {PROGRAMMES} WHERE id = ANY(%s)", [a_ids])  # noqa: S608
        assert cursor.rowcount == 0
        cursor.execute(
            f"DELETE FROM {MEMBERSHIPS} WHERE organisation_id = %s",  # noqa: S608
            [tenant_a.organisation.pk],
        )
        assert cursor.rowcount == 0
    with tenant_a.scope():
        assert sorted(Programme.objects.values_list("name", flat=True)) == ["A 0", "A 1", "A 2"]
        assert Membership.objects.count() == 3


def _insert_as_a(tenant_a) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROGRAMMES} (organisation_id, name, created_at, updated_at) "  # noqa: S608
            "VALUES (%s, 'planted', now(), now())",
            [tenant_a.organisation.pk],
        )


def test_insert_with_a_organisation_fails(rows, tenant_a, tenant_b):
    with tenant_b.scope():
        with pytest.raises(DatabaseError) as caught, transaction.atomic():
            _insert_as_a(tenant_a)
        assert isinstance(caught.value.__cause__, psycopg.errors.InsufficientPrivilege)
        assert "row-level security" in str(caught.value)
        # Moving B's row to A is refused the same way (WITH CHECK on UPDATE).
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"UPDATE {PROGRAMMES} SET organisation_id = %s",  # noqa: S608
                [tenant_a.organisation.pk],
            )
    with tenant_a.scope():
        assert not Programme.objects.filter(name="planted").exists()


def test_insert_with_no_tenant_fails(rows, tenant_a):
    with pytest.raises(DatabaseError, match="row-level security"), transaction.atomic():
        _insert_as_a(tenant_a)
