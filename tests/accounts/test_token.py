"""POST /api/v1/auth/token/ exchanges email and password for a token used as `Token <t>`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_token_for_email_and_password_authenticates_the_api(api, tenant_a):
    # given
    lead = tenant_a.lead
    # when
    response = api.post(TOKEN_URL, {"email": lead.email, "password": TEST_PASSWORD}, format="json")
    # then
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    orgs = api.get("/api/v1/orgs/")
    assert orgs.status_code == 200
    assert [o["slug"] for o in orgs.json()] == ["acme"]
    detail = api.get("/api/v1/orgs/acme/")
    assert detail.status_code == 200
    assert detail.json()["role"] == "talent_lead"


def test_token_is_stable_across_requests(api):
    user = UserFactory(email="ada@example.test")
    first = api.post(TOKEN_URL, {"email": user.email, "password": TEST_PASSWORD}, format="json")
    second = api.post(TOKEN_URL, {"email": user.email, "password": TEST_PASSWORD}, format="json")
    assert first.json()["token"] == second.json()["token"]


def test_token_email_is_case_insensitive(api):
    UserFactory(email="ada@example.test")
    response = api.post(
        TOKEN_URL, {"email": "Ada@Example.TEST", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 200


def test_token_with_wrong_password_is_a_400_with_a_clear_message(api):
    UserFactory(email="ada@example.test")
    response = api.post(
        TOKEN_URL, {"email": "ada@example.test", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert "That email and password do not match an active account." in body["detail"]
    assert body["errors"] == [
        {"field": "", "message": "That email and password do not match an active account."}
    ]
    assert "token" not in body


def test_token_for_an_inactive_user_is_refused(api):
    UserFactory(email="ada@example.test", is_active=False)
    response = api.post(
        TOKEN_URL, {"email": "ada@example.test", "password": TEST_PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"password": TEST_PASSWORD}, "email"),
        ({"email": "ada@example.test"}, "password"),
        ({"email": "not-an-email", "password": TEST_PASSWORD}, "email"),
    ],
)
def test_token_with_missing_or_bad_fields_names_the_field(api, payload, field):
    response = api.post(TOKEN_URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"].startswith(f"Invalid input. {field}: ")


def test_a_bad_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/orgs/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_the_token_endpoint_answers_429_past_its_rate_and_issues_nothing_more(
    api, tenant_a, monkeypatch
):
    # given: the rate as a deployment might set it (the test settings allow 1,000 a minute)
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "token", "3/minute")
    body = {"email": tenant_a.lead.email, "password": TEST_PASSWORD}
    # when: a fourth request comes within the minute (the real Redis cache counts them)
    statuses = [api.post(TOKEN_URL, body, format="json").status_code for _ in range(4)]
    # then: the fourth is refused with 429 and says when to try again
    assert statuses == [200, 200, 200, 429]
    refused = api.post(TOKEN_URL, body, format="json")
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert "token" not in refused.json()
