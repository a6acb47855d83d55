"""The client's targets are the talent lead's: a recruiter (the RPO side) cannot move them, in
the services, the API or the pages; the RPO side still changes everything else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes import services
from programmes.models import AgreedMetric, Programme
from tests.factories import ProgrammeFactory
from tests.programmes.factories import AgreedMetricFactory

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def programme(tenant_a):
    with tenant_a.scope():
        return ProgrammeFactory(go_live_target=dt.date(2027, 1, 30))


@pytest.fixture
def metric(tenant_a, programme):
    with tenant_a.scope():
        return AgreedMetricFactory(programme=programme, target=Decimal("35"))


def test_a_recruiter_cannot_move_the_go_live_target_but_can_rename(tenant_a, programme):
    with tenant_a.scope():
        with pytest.raises(PermissionDenied, match="Only the client's talent lead"):
            services.programme_update(
                programme=programme, by=tenant_a.recruiter, go_live_target=dt.date(2027, 6, 1)
            )
        services.programme_update(programme=programme, by=tenant_a.recruiter, name="Renamed")
        services.programme_update(
            programme=programme, by=tenant_a.lead, go_live_target=dt.date(2027, 3, 1)
        )
        programme.refresh_from_db()
    assert (programme.name, programme.go_live_target) == ("Renamed", dt.date(2027, 3, 1))


def test_a_recruiter_cannot_move_a_metric_target_but_can_change_its_owner(tenant_a, metric):
    with tenant_a.scope():
        with pytest.raises(PermissionDenied):
            services.agreed_metric_change(metric=metric, by=tenant_a.recruiter, target=Decimal(20))
        with pytest.raises(PermissionDenied):
            services.agreed_metric_remove(metric=metric, by=tenant_a.recruiter)
        services.agreed_metric_change(metric=metric, by=tenant_a.recruiter, owner=tenant_a.lead)
        metric.refresh_from_db()
    assert (metric.target, metric.owner) == (Decimal("35"), tenant_a.lead)


def test_the_api_refuses_a_recruiters_target_with_403_and_changes_nothing(
    tenant_a, programme, metric
):
    base = f"/api/v1/orgs/{tenant_a.slug}/programmes/{programme.pk}/"
    response = api(tenant_a.recruiter).patch(base, {"go_live_target": "2027-06-01"}, format="json")
    assert response.status_code == 403, response.json()
    assert "talent lead" in response.json()["detail"]
    response = api(tenant_a.recruiter).patch(
        f"{base}metrics/{metric.pk}/", {"target": "10"}, format="json"
    )
    assert response.status_code == 403
    response = api(tenant_a.lead).patch(base, {"go_live_target": "2027-06-01"}, format="json")
    assert response.status_code == 200
    with tenant_a.scope():
        assert Programme.objects.get(pk=programme.pk).go_live_target == dt.date(2027, 6, 1)
        assert AgreedMetric.objects.get(pk=metric.pk).target == Decimal("35")


def test_pages_never_offer_a_recruiter_the_clients_targets(client, tenant_a, programme, metric):
    client.force_login(tenant_a.recruiter)
    ui = f"/orgs/{tenant_a.slug}/programmes/{programme.pk}"
    # the metric change page is refused before any typing, saying why
    response = client.get(f"{ui}/metrics/{metric.pk}/")
    assert response.status_code == 403
    assert "Only the client&#x27;s talent lead" in response.content.decode()
    # the metrics page offers no agreeing, changing or removing
    page = client.get(f"{ui}/metrics/").content.decode()
    assert "Agree a metric" not in page and f"metrics/{metric.pk}/" not in page
    assert "sets their targets" in page
    # the edit form shows the go-live target disabled, and a forged value is ignored
    page = client.get(f"{ui}/edit/").content.decode()
    assert 'name="go_live_target"' in page and "Set by the client" in page
    form = {
        "name": "Renamed by the RPO",
        "provider_name": programme.provider_name,
        "scope": programme.scope,
        "category_name": programme.category_name,
        "delivery_model": programme.delivery_model,
        "go_live_target": "2027-06-01",
    }
    assert client.post(f"{ui}/edit/", form).status_code == 302
    with tenant_a.scope():
        programme.refresh_from_db()
    assert (programme.name, programme.go_live_target) == (
        "Renamed by the RPO",
        dt.date(2027, 1, 30),
    )


def test_the_talent_lead_is_offered_the_targets(client, tenant_a, programme, metric):
    client.force_login(tenant_a.lead)
    ui = f"/orgs/{tenant_a.slug}/programmes/{programme.pk}"
    assert client.get(f"{ui}/metrics/{metric.pk}/").status_code == 200
    assert "Agree a metric" in client.get(f"{ui}/metrics/").content.decode()
    assert "Set by the client" not in client.get(f"{ui}/edit/").content.decode()


def test_a_recruiter_cannot_set_the_go_live_target_when_creating_a_programme(client, tenant_a):
    with tenant_a.scope():
        with pytest.raises(PermissionDenied):
            services.programme_create(
                name="New", by=tenant_a.recruiter, go_live_target=dt.date(2027, 6, 1)
            )
        created = services.programme_create(name="New", by=tenant_a.recruiter)
    assert created.go_live_target is None
    client.force_login(tenant_a.recruiter)
    page = client.get(f"/orgs/{tenant_a.slug}/programmes/new/").content.decode()
    assert "Set by the client" in page


def test_an_objective_target_refused_leaves_the_object_as_it_was(tenant_a, programme):
    with tenant_a.scope():
        objective = services.objective_create(
            programme=programme, title="Cut time to fill", by=tenant_a.lead, target="35 days"
        )
        with pytest.raises(PermissionDenied):
            services.objective_update(objective=objective, by=tenant_a.recruiter, target="50 days")
        assert objective.target == "35 days"
        services.objective_update(objective=objective, by=tenant_a.recruiter, title="Faster")
        objective.refresh_from_db()
    assert (objective.title, objective.target) == ("Faster", "35 days")
