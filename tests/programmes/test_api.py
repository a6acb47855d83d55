from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes import services
from programmes.models import AgreedMetric, ChecklistItem, Programme

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def base(tenant):
    return f"/api/v1/orgs/{tenant.slug}/programmes/"


def create_programme(tenant, **extra):
    payload = {
        "name": "DACH engineering",
        "delivery_model": "multi_country",
        "countries": ["DE", "AT"],
    }
    payload.update(extra)
    return api(tenant.lead).post(base(tenant), payload, format="json")


def test_create_programme_generates_its_checklist(tenant_a):
    response = create_programme(tenant_a)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "build" and sorted(body["countries"]) == ["AT", "DE"]
    items = api(tenant_a.lead).get(f"{base(tenant_a)}{body['id']}/checklist/").json()
    assert any(i["title"].startswith("Deploy: applicant tracking system") for i in items)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"countries": ["ZZ"]}, "countries"),
        ({"delivery_model": "franchise"}, "delivery_model"),
        ({"scope": "category"}, "category_name"),
        ({"name": ""}, "name"),
        ({"go_live_target": "31/02/2026"}, "go_live_target"),
    ],
)
def test_bad_programme_input_is_a_400_naming_the_field(tenant_a, payload, field):
    response = create_programme(tenant_a, **payload)
    assert response.status_code == 400
    assert field in {e["field"].split("[")[0] for e in response.json()["errors"]}
    with tenant_a.scope():
        assert not Programme.objects.exists()


def test_organisation_in_the_body_is_ignored(tenant_a, tenant_b):
    response = create_programme(tenant_a, organisation=tenant_b.organisation.pk)
    assert response.status_code == 201
    with tenant_b.scope():
        assert not Programme.objects.exists()
    with tenant_a.scope():
        assert Programme.objects.count() == 1


def test_viewer_reads_but_cannot_write(tenant_a):
    programme_id = create_programme(tenant_a).json()["id"]
    viewer = api(tenant_a.viewer)
    assert viewer.get(f"{base(tenant_a)}{programme_id}/").status_code == 200
    assert (
        viewer.patch(f"{base(tenant_a)}{programme_id}/", {"name": "x"}, format="json").status_code
        == 403
    )
    assert viewer.post(f"{base(tenant_a)}{programme_id}/go-live/sign/").status_code == 403


def test_fourth_early_metric_is_a_400_with_a_clear_message(tenant_a):
    programme_id = create_programme(tenant_a).json()["id"]
    url = f"{base(tenant_a)}{programme_id}/metrics/"
    client = api(tenant_a.lead)
    for key in ["time_to_fill", "hires", "candidate_nps"]:
        assert (
            client.post(url, {"metric_key": key, "target": "10"}, format="json").status_code == 201
        )
    response = client.post(url, {"metric_key": "hm_satisfaction", "target": "4"}, format="json")
    assert response.status_code == 400
    assert "exactly three early metrics" in response.json()["detail"]
    bad = client.post(url, {"metric_key": "vibes", "target": "1"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "metric_key"
    missing_target = client.post(
        url, {"metric_key": "time_to_hire", "tier": "nice_to_have"}, format="json"
    )
    assert (
        missing_target.status_code == 400
        and missing_target.json()["errors"][0]["field"] == "target"
    )


def test_sign_off_is_409_with_the_blockers_then_both_sides_make_it_live(tenant_a):
    programme_id = create_programme(tenant_a, delivery_model="project", countries=[]).json()["id"]
    sign = f"{base(tenant_a)}{programme_id}/go-live/sign/"
    refused = api(tenant_a.lead).post(sign)
    assert refused.status_code == 409
    assert any("Three early metrics" in r for r in refused.json()["reasons"])
    with tenant_a.scope():
        programme = Programme.objects.get(pk=programme_id)
        for item in ChecklistItem.objects.filter(
            programme=programme, blocks_go_live=True, derived_from=""
        ):
            services.checklist_item_update(item=item, status="done")
        for key in ["time_to_fill", "hires", "candidate_nps"]:
            services.agreed_metric_create(programme=programme, metric_key=key, target=Decimal("1"))
    first = api(tenant_a.lead).post(sign)
    assert first.status_code == 201 and first.json()["status"] == "build"
    again = api(tenant_a.lead).post(sign)
    assert again.status_code == 409
    second = api(tenant_a.recruiter).post(sign)
    assert second.status_code == 201
    state = api(tenant_a.viewer).get(f"{base(tenant_a)}{programme_id}/go-live/").json()
    assert state["status"] == "live" and {s["side"] for s in state["signatures"]} == {
        "client",
        "rpo",
    }
    assert {s["signed_by"] for s in state["signatures"]} == {
        tenant_a.lead.email,
        tenant_a.recruiter.email,
    }


def test_metric_change_after_go_live_needs_a_reason_and_makes_a_version(tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        metric = services.agreed_metric_create(
            programme=programme, metric_key="hires", target=Decimal("5")
        )
        Programme.objects.filter(pk=programme.pk).update(status="live", went_live_on="2026-01-01")
    url = f"{base(tenant_a)}{programme.pk}/metrics/{metric.pk}/"
    client = api(tenant_a.lead)
    no_reason = client.patch(url, {"target": "7"}, format="json")
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    changed = client.patch(url, {"target": "7", "reason": "Budget cut"}, format="json")
    assert changed.status_code == 200
    assert (changed.json()["version"], changed.json()["target"]) == (2, "7.00")
    assert client.delete(url).status_code == 409
    with tenant_a.scope():
        assert AgreedMetric.objects.filter(programme=programme).count() == 2


def test_checklist_owner_from_another_organisation_is_a_400(tenant_a, tenant_b):
    programme_id = create_programme(tenant_a).json()["id"]
    url = f"{base(tenant_a)}{programme_id}/checklist/"
    response = api(tenant_a.lead).post(
        url, {"section": "process", "title": "Map it", "owner": tenant_b.lead.pk}, format="json"
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "owner"
    ok = api(tenant_a.lead).post(
        url,
        {"section": "process", "title": "Map it", "owner": tenant_a.recruiter.pk},
        format="json",
    )
    assert ok.status_code == 201


def test_checklist_filters(tenant_a):
    programme_id = create_programme(tenant_a).json()["id"]
    url = f"{base(tenant_a)}{programme_id}/checklist/"
    tech = api(tenant_a.lead).get(url, {"section": "technology", "blocks_go_live": "true"}).json()
    assert tech and all(i["section"] == "technology" and i["blocks_go_live"] for i in tech)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _add_rows(tenant, n):
    with tenant.scope():
        programmes = [services.programme_create(name=f"P{i}") for i in range(n)]
        for p in programmes:
            services.objective_create(programme=p, title="o")
            services.agreed_metric_create(programme=p, metric_key="hires", target=Decimal("1"))
            services.agreed_metric_create(
                programme=p, metric_key="time_to_fill", target=Decimal("1")
            )
    return programmes


@pytest.mark.parametrize("path", ["", "{pid}/checklist/", "{pid}/objectives/", "{pid}/metrics/"])
def test_list_endpoints_query_count_does_not_grow(tenant_a, django_assert_num_queries, path):
    client = api(tenant_a.lead)
    (first,) = _add_rows(tenant_a, 1)
    url = base(tenant_a) + path.format(pid=first.pk)
    with tenant_a.scope():
        services.checklist_item_create(
            programme=first, section="process", title="one more", owner=tenant_a.lead
        )
    one = _queries(client, url)
    more = _add_rows(tenant_a, 15)
    with tenant_a.scope():
        for i in range(10):
            services.checklist_item_create(
                programme=first,
                section="timeline",
                title=f"x{i}",
                owner=tenant_a.recruiter,
                status="done",
            )
            services.objective_create(programme=first, title=f"o{i}")
        for key in ["candidate_nps", "time_to_hire", "hm_satisfaction"]:
            services.agreed_metric_create(
                programme=first,
                metric_key=key,
                target=Decimal("1"),
                tier="nice_to_have",
                owner=tenant_a.lead,
            )
    assert len(more) == 15
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def test_another_organisations_user_is_answered_like_an_unknown_user(tenant_a, tenant_b):
    programme_id = create_programme(tenant_a).json()["id"]
    checklist = f"{base(tenant_a)}{programme_id}/checklist/"
    client = api(tenant_a.lead)
    foreign = client.post(
        checklist, {"section": "process", "title": "x", "owner": tenant_b.lead.pk}, format="json"
    )
    unknown = client.post(
        checklist, {"section": "process", "title": "x", "owner": 987654321}, format="json"
    )
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json()["errors"][0]["message"].replace(
        str(tenant_b.lead.pk), "N"
    ) == unknown.json()["errors"][0]["message"].replace("987654321", "N")
    by_foreign = client.get(checklist, {"owner": tenant_b.lead.pk})
    by_unknown = client.get(checklist, {"owner": 987654321})
    assert by_foreign.status_code == by_unknown.status_code == 200
    assert by_foreign.json() == by_unknown.json() == []


def test_deleting_a_programme_with_requisitions_is_a_409_not_a_500(tenant_a):
    from tests.requisitions.factories import make_requisition

    with tenant_a.scope():
        programme = services.programme_create(name="With requisitions")
        make_requisition(programme=programme)
    response = api(tenant_a.lead).delete(f"{base(tenant_a)}{programme.pk}/")
    assert response.status_code == 409
    assert "requisitions" in response.json()["detail"]
    with tenant_a.scope():
        assert Programme.objects.filter(pk=programme.pk).exists()
