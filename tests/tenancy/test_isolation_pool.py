"""Group 6: a request's tenant dies with its transaction, so a reused connection carries none.

The requests really commit (transactional_db) and run on one connection (the test client keeps
it open between requests, as CONN_MAX_AGE or a pool would); the probes report the connection's
backend pid, its app.tenant_id and what raw SQL sees.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import Tenant
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.urls("tests.tenancy.pool_urls")


@pytest.fixture
def acme(transactional_db) -> Tenant:  # type: ignore[no-untyped-def]
    tenant = Tenant("acme")
    with tenant.scope():
        ProgrammeFactory.create_batch(3)
    return tenant


def _connection_state() -> tuple:
    assert connection.get_autocommit() and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nullif(current_setting('app.tenant_id', true), ''), pg_backend_pid(), "
            "(SELECT count(*) FROM programmes_programme)"
        )
        return cursor.fetchone()


def test_a_request_in_a_leaves_no_tenant_on_the_connection(acme):
    client = Client()
    client.force_login(acme.lead)
    inside = client.get(f"/orgs/{acme.slug}/probe/").json()
    # The probe can see a tenant: inside A's request it does.
    assert inside["setting"] == str(acme.organisation.pk)
    assert inside["organisation_id"] == acme.organisation.pk
    assert inside["programmes"] == 3
    assert client.get(f"/orgs/{acme.slug}/programmes/").status_code == 200

    after = client.get("/probe/").json()
    assert after["pid"] == inside["pid"], "the second request must reuse the connection"
    assert after["setting"] is None
    assert after["organisation_id"] is None
    assert after["programmes"] == 0

    setting, pid, programmes = _connection_state()
    assert (setting, pid, programmes) == (None, inside["pid"], 0)


def test_a_failed_request_in_a_leaves_no_tenant_either(acme):
    client = Client(raise_request_exception=False)
    client.force_login(acme.lead)
    pid = client.get("/probe/").json()["pid"]
    assert client.get(f"/orgs/{acme.slug}/boom/").status_code == 500
    after = client.get("/probe/").json()
    assert (after["pid"], after["setting"], after["programmes"]) == (pid, None, 0)
    assert _connection_state() == (None, pid, 0)
