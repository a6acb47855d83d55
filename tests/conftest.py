"""Test harness: PostgreSQL as the runtime role, so row-level security applies to every test.

pytest-django creates and migrates the test database as the owner role; the session then
switches the `default` connection to the runtime role. Transactional tests are cleaned up by
the owner (the runtime role has no TRUNCATE, by design).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.conf import settings
from django.db import connections
from django.test import testcases

from rpo_portal.tenancy.context import tenant_context

from .factories import MembershipFactory, OrganisationFactory, UserFactory


def _db_settings() -> dict:
    return connections["default"].settings_dict


def owner_connect() -> psycopg.Connection:
    """A direct connection to the test database as the owner role (RLS does not bind it)."""
    db = _db_settings()
    return psycopg.connect(
        dbname=db["NAME"],
        user=settings.DB_OWNER_ROLE,
        password=settings.DB_OWNER_PASSWORD or None,
        host=db["HOST"],
        port=db["PORT"],
        autocommit=True,
    )


@contextmanager
def connected_as(role: str, password: str = "") -> Iterator[None]:
    """Reconnect Django's default connection as `role` for the block."""
    connection = connections["default"]
    previous = (connection.settings_dict["USER"], connection.settings_dict["PASSWORD"])
    connection.close()
    connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = role, password
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["USER"], connection.settings_dict["PASSWORD"] = previous


def _owner_flush(self: testcases.TransactionTestCase) -> None:
    with owner_connect() as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'django_migrations'"
            )
        ]
        if tables:
            conn.execute(
                "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
            )


testcases.TransactionTestCase._fixture_teardown = _owner_flush  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    connection = connections["default"]
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict["USER"] = settings.DB_RUNTIME_ROLE
        connection.settings_dict["PASSWORD"] = settings.DB_RUNTIME_PASSWORD
        # Owner-created settings objects are irrelevant here; the connection now obeys RLS.
    yield
    with django_db_blocker.unblock():
        connection.close()
        connection.settings_dict["USER"] = settings.DB_OWNER_ROLE
        connection.settings_dict["PASSWORD"] = settings.DB_OWNER_PASSWORD


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    yield
    cache.clear()


class Tenant:
    """An organisation with a talent lead, a recruiter and a viewer."""

    def __init__(self, slug: str) -> None:
        self.organisation = OrganisationFactory(slug=slug, name=f"{slug.title()} Ltd")
        self.lead = UserFactory(email=f"lead@{slug}.test")
        self.recruiter = UserFactory(email=f"recruiter@{slug}.test")
        self.viewer = UserFactory(email=f"viewer@{slug}.test")
        with tenant_context(self.organisation):
            MembershipFactory(user=self.lead, role="talent_lead")
            MembershipFactory(user=self.recruiter, role="recruiter")
            MembershipFactory(user=self.viewer, role="viewer")

    @property
    def slug(self) -> str:
        return self.organisation.slug

    def scope(self):  # type: ignore[no-untyped-def]
        return tenant_context(self.organisation)


@pytest.fixture
def tenant_a(db) -> Tenant:
    return Tenant("acme")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return Tenant("globex")


@pytest.fixture
def in_a(tenant_a: Tenant) -> Iterator[Tenant]:
    with tenant_a.scope():
        yield tenant_a
