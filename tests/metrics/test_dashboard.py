from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes import services
from programmes.models import Programme

pytestmark = pytest.mark.django_db


def make_live(tenant, name):
    programme = services.programme_create(name=name)
    for key, target in [("time_to_fill", "35"), ("hires", "120"), ("kickoff_within_5_days", "90")]:
        services.agreed_metric_create(
            programme=programme, metric_key=key, target=Decimal(target), owner=tenant.recruiter
        )
    Programme.objects.filter(pk=programme.pk).update(status="live", went_live_on="2026-10-01")
    return programme


def test_dashboard_answers_first_with_each_live_programmes_three_early_metrics(client, tenant_a):
    with tenant_a.scope():
        make_live(tenant_a, "UK stores")
        services.programme_create(name="Graduates")
        services.risk_create(
            programme=Programme.objects.get(name="UK stores"),
            title="Freeze",
            likelihood=5,
            impact=4,
            process_area="before_anything",
        )
    client.force_login(tenant_a.viewer)
    body = client.get(f"/orgs/{tenant_a.slug}/").content.decode()
    assert body.index("The three early metrics") < body.index("In build")
    for name in ["Time to fill", "Hires", "Kick-off within 5 working days"]:
        assert name in body
    assert "No measurement yet" in body  # no value from nothing
    assert "1 high" in body and "Graduates" in body and ">0</a> / 3" in body


def test_dashboard_of_an_empty_organisation_teaches_what_to_do(client, tenant_a):
    client.force_login(tenant_a.lead)
    body = client.get(f"/orgs/{tenant_a.slug}/").content.decode()
    assert "Start with a programme" in body


def test_dashboard_query_count_does_not_grow(client, tenant_a, django_assert_num_queries):
    with tenant_a.scope():
        make_live(tenant_a, "P0")
    client.force_login(tenant_a.lead)
    url = f"/orgs/{tenant_a.slug}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    with tenant_a.scope():
        for i in range(1, 8):
            p = make_live(tenant_a, f"P{i}")
            services.risk_create(
                programme=p, title="r", likelihood=i % 5 + 1, impact=3, process_area="selection"
            )
            services.improvement_create(
                programme=p, title="i", process_area="selection", status="in_progress"
            )
            services.programme_create(name=f"B{i}")
    with django_assert_num_queries(len(ctx)):
        assert client.get(url).status_code == 200
