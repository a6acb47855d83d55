"""GET /healthz reports the database and the broker; 503 when one of them is down."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port that refuses connections: bound (so nobody else takes it), not listening."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    try:
        yield sock.getsockname()[1]
    finally:
        sock.close()


def test_healthz_is_ok_with_the_database_and_the_broker_up(client):
    # given: the test settings point the broker at the machine's Redis
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz")["Content-Type"] == "application/json"


def test_healthz_is_503_when_the_broker_is_unreachable(client, closed_port):
    # given
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port}/0"):
        # when
        response = client.get("/healthz")
    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "error: ConnectionError"


def test_healthz_without_a_broker_reports_inline_tasks(client):
    with override_settings(CELERY_BROKER_URL="memory://"):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "not configured (tasks run inline)"


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_refuses_the_connection(client):
    # given: the serving connection now logs in as a role PostgreSQL does not know
    from tests.conftest import connected_as

    with connected_as("rpo_no_such_role"):
        # when
        response = client.get("/healthz")
    # then
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "error: OperationalError", "broker": "ok"},
    }
