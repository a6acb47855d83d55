"""Group 7: tenant tasks on a real Celery worker (and eagerly, for the pure logic).

The worker (tests/worker.py) serves the test database as the runtime role and keeps its
connection between tasks, so "the connection carries no tenant after the task" is checked on
the very connection the tenant task used (same backend pid).
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings

from rpo_portal.celery import app as celery_app
from rpo_portal.tenancy.context import TenantScopeError, current_organisation
from tests.conftest import Tenant
from tests.factories import ProgrammeFactory
from tests.tenancy import worker_tasks
from tests.worker import celery_worker, wait_for  # noqa: F401  (fixture)


def _key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def two(transactional_db):  # type: ignore[no-untyped-def]
    acme, globex = Tenant("acme"), Tenant("globex")
    with acme.scope():
        ProgrammeFactory(name="Acme one")
        ProgrammeFactory(name="Acme two")
    with globex.scope():
        ProgrammeFactory(name="Globex one")
    return acme, globex


def _result(key: str, timeout: float = 30) -> dict:
    return wait_for(lambda: worker_tasks.read(key), timeout=timeout)


@pytest.mark.worker
@pytest.mark.usefixtures("celery_worker")
def test_worker_task_sees_only_its_organisation_and_leaves_no_tenant(two):
    acme, globex = two
    k1, k2, k3 = _key(), _key(), _key()
    worker_tasks.probe_tenant.delay(acme.organisation.pk, k1)
    worker_tasks.probe_tenant.delay(globex.organisation.pk, k2)
    worker_tasks.probe_connection.delay(k3)
    in_acme, in_globex, after = _result(k1), _result(k2), _result(k3)

    assert in_acme["user"] == settings.DB_RUNTIME_ROLE
    assert in_acme["orm_names"] == ["Acme one", "Acme two"]
    assert in_acme["raw_count"] == 2
    assert in_acme["setting"] == str(acme.organisation.pk)
    assert in_acme["context_organisation_id"] == acme.organisation.pk
    assert in_globex["orm_names"] == ["Globex one"]
    assert in_globex["raw_count"] == 1

    # The global task after them ran on the same connection and sees no tenant.
    assert after["pid"] == in_acme["pid"] == in_globex["pid"]
    assert after["setting"] is None
    assert after["raw_count"] == 0
    assert after["context_organisation_id"] is None


@pytest.mark.worker
@pytest.mark.usefixtures("celery_worker")
def test_worker_task_without_an_organisation_raises(two):
    # send_task skips the client-side signature check, as a message from elsewhere would.
    no_args = celery_app.send_task(worker_tasks.probe_tenant.name, kwargs={"key": _key()})
    a_slug = celery_app.send_task(worker_tasks.probe_tenant.name, args=["acme", _key()])
    for result in (no_args, a_slug):
        failure = _result(f"failure:{result.id}")
        assert failure["type"] == "TenantScopeError"
        assert "organisation id as its first argument" in failure["message"]
    # The worker goes on serving tenant tasks afterwards.
    key = _key()
    worker_tasks.probe_tenant.delay(two[1].organisation.pk, key)
    assert _result(key)["orm_names"] == ["Globex one"]


@pytest.mark.worker
@pytest.mark.usefixtures("celery_worker")
def test_worker_task_that_fails_leaves_no_tenant(two):
    acme, _globex = two
    k1, k2 = _key(), _key()
    failed = worker_tasks.probe_tenant.delay(acme.organisation.pk, k1, fail=True)
    assert _result(f"failure:{failed.id}")["type"] == "RuntimeError"
    worker_tasks.probe_connection.delay(k2)
    inside, after = _result(k1), _result(k2)
    assert inside["raw_count"] == 2
    assert after["pid"] == inside["pid"]
    assert (after["setting"], after["raw_count"]) == (None, 0)


# --- eager: the same task base in this process ------------------------------------------------


def test_eager_task_runs_inside_its_tenant(two):
    acme, _globex = two
    key = _key()
    worker_tasks.probe_tenant.apply(args=[acme.organisation.pk, key], throw=True)
    state = worker_tasks.read(key)
    assert state is not None
    assert state["orm_names"] == ["Acme one", "Acme two"]
    assert state["setting"] == str(acme.organisation.pk)
    assert current_organisation() is None
    assert worker_tasks.connection_state()["setting"] is None


@pytest.mark.parametrize(
    "args, kwargs",
    [((), {"key": "k"}), (("acme", "k"), {}), ((None, "k"), {}), ((True, "k"), {})],
    ids=["missing", "slug", "none", "bool"],
)
def test_eager_task_without_an_organisation_id_raises(db, args, kwargs):
    with pytest.raises(TenantScopeError, match="organisation id as its first argument"):
        worker_tasks.probe_tenant.apply(args=args, kwargs=kwargs, throw=True)
