"""GET /api/v1/orgs/<slug>/members/: who an API client may assign work to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.requisitions.factories import HiringManagerFactory

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _members(tenant):
    return f"/api/v1/orgs/{tenant.slug}/members/"


def test_a_viewer_lists_the_members_with_id_name_email_and_role(tenant_a, tenant_b):
    response = _api(tenant_a.viewer).get(_members(tenant_a))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sorted((r["id"], r["email"], r["role"]) for r in rows) == sorted(
        [
            (tenant_a.lead.pk, tenant_a.lead.email, "talent_lead"),
            (tenant_a.recruiter.pk, tenant_a.recruiter.email, "recruiter"),
            (tenant_a.viewer.pk, tenant_a.viewer.email, "viewer"),
        ]
    )
    assert {r["name"] for r in rows} == {
        tenant_a.lead.display_name,
        tenant_a.recruiter.display_name,
        tenant_a.viewer.display_name,
    }
    assert set(rows[0]) == {"id", "name", "email", "role"}
    assert tenant_b.lead.email not in response.content.decode()


def test_a_recruiter_id_from_the_list_creates_a_requisition(tenant_a):
    # given: an API client that knows nothing but the organisation's slug and its own refs
    with tenant_a.scope():
        programme, manager = ProgrammeFactory(), HiringManagerFactory()
    client = _api(tenant_a.lead)
    listed = client.get(_members(tenant_a), {"role": "recruiter"}).json()["results"]
    assert [r["id"] for r in listed] == [tenant_a.recruiter.pk]
    # when
    response = client.post(
        f"/api/v1/orgs/{tenant_a.slug}/requisitions/",
        {
            "programme": programme.pk,
            "title": "Store manager",
            "location": "Leeds",
            "country": "GB",
            "openings": 1,
            "hiring_manager": manager.pk,
            "recruiter": listed[0]["id"],
            "target_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
        format="json",
    )
    # then
    assert response.status_code == 201, response.json()
    assert response.json()["recruiter"] == tenant_a.recruiter.pk


def test_an_unknown_role_is_a_400_and_the_list_is_read_only(tenant_a):
    client = _api(tenant_a.lead)
    response = client.get(_members(tenant_a), {"role": "owner"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "role"
    assert client.post(_members(tenant_a), {"email": "x@example.test"}).status_code == 405


def test_non_members_and_anonymous_callers_see_no_members(tenant_a, tenant_b):
    assert _api(tenant_b.lead).get(_members(tenant_a)).status_code == 404
    assert APIClient().get(_members(tenant_a)).status_code == 401


def test_the_members_list_costs_the_same_queries_for_one_or_many(
    tenant_a, django_assert_num_queries
):
    client = _api(tenant_a.viewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_members(tenant_a)).status_code == 200
    with tenant_a.scope():
        for n in range(20):
            MembershipFactory(user=UserFactory(email=f"member{n}@acme.test"), role="viewer")
    with django_assert_num_queries(len(queries)):
        response = client.get(_members(tenant_a))
    assert len(response.json()["results"]) == 23
