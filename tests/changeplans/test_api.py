import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from changeplans import selectors
from changeplans.models import Assessment, ChangePlan, Communication
from tests.changeplans.factories import (
    AssessmentFactory,
    ChangePlanFactory,
    CommunicationFactory,
    StakeholderGroupFactory,
)
from tests.factories import ProgrammeFactory


def api(tenant, suffix=""):
    return f"/api/v1/orgs/{tenant.slug}/change-plans/{suffix}"


@pytest.fixture
def lead_client(tenant_a):
    client = APIClient()
    client.force_login(tenant_a.lead)
    return client


def errors_of(response):
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_create_plan_ignores_organisation_and_defaults_to_adkar(lead_client, tenant_a, tenant_b):
    with tenant_a.scope():
        programme = ProgrammeFactory()
    response = lead_client.post(
        api(tenant_a),
        {"programme": programme.pk, "title": "Rollout", "organisation": tenant_b.organisation.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["framework"] == "adkar"
    assert body["elements"] == ["awareness", "desire", "knowledge", "ability", "reinforcement"]
    with tenant_a.scope():
        assert ChangePlan.objects.get().organisation_id == tenant_a.organisation.pk


def test_foreign_programme_is_400(lead_client, tenant_a, tenant_b):
    with tenant_b.scope():
        foreign = ProgrammeFactory()
    response = lead_client.post(api(tenant_a), {"programme": foreign.pk, "title": "X"})
    assert response.status_code == 400
    assert "programme" in errors_of(response)


def test_foreign_owner_is_400(lead_client, tenant_a, tenant_b):
    with tenant_a.scope():
        programme = ProgrammeFactory()
    response = lead_client.post(
        api(tenant_a), {"programme": programme.pk, "title": "X", "owner": tenant_b.lead.pk}
    )
    assert response.status_code == 400
    assert "owner" in errors_of(response)


def test_list_filters(lead_client, tenant_a):
    with tenant_a.scope():
        one, two = ProgrammeFactory(), ProgrammeFactory()
        ChangePlanFactory(programme=one, title="A", status="active")
        ChangePlanFactory(programme=two, title="B", framework="lewin")

    def titles(params):
        response = lead_client.get(api(tenant_a), params)
        return sorted(p["title"] for p in response.json()["results"])

    assert titles({"programme": one.pk}) == ["A"]
    assert titles({"status": "active"}) == ["A"]
    assert titles({"framework": "lewin"}) == ["B"]
    assert lead_client.get(api(tenant_a), {"framework": "nope"}).status_code == 400


def test_viewer_reads_but_cannot_write(tenant_a):
    with tenant_a.scope():
        plan = ChangePlanFactory()
        group = StakeholderGroupFactory(plan=plan)
    client = APIClient()
    client.force_login(tenant_a.viewer)
    assert client.get(api(tenant_a, f"{plan.pk}/")).status_code == 200
    assert client.patch(api(tenant_a, f"{plan.pk}/"), {"title": "x"}).status_code == 403
    response = client.post(
        api(tenant_a, f"{plan.pk}/assessments/"),
        {"group": group.pk, "element": "awareness", "score": 3},
    )
    assert response.status_code == 403
    assert client.post(api(tenant_a, f"{plan.pk}/groups/"), {"name": "x"}).status_code == 403
    assert client.delete(api(tenant_a, f"{plan.pk}/")).status_code == 403
    with tenant_a.scope():
        assert not Assessment.objects.exists()


def test_other_tenants_plan_is_404(lead_client, tenant_a, tenant_b):
    with tenant_b.scope():
        foreign = ChangePlanFactory()
    for suffix in ("", "groups/", "assessments/", "communications/"):
        assert lead_client.get(api(tenant_a, f"{foreign.pk}/{suffix}")).status_code == 404


# --- Assessments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "message"),
    [(0, "greater than or equal to 1"), (6, "less than or equal to 5"), ("high", "valid integer")],
)
def test_bad_score_is_400(lead_client, tenant_a, score, message):
    with tenant_a.scope():
        group = StakeholderGroupFactory()
    response = lead_client.post(
        api(tenant_a, f"{group.plan_id}/assessments/"),
        {"group": group.pk, "element": "awareness", "score": score},
    )
    assert response.status_code == 400
    assert message in errors_of(response)["score"]


def test_bad_element_is_400_naming_the_allowed_elements(lead_client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory(plan=ChangePlanFactory(framework="mckinsey_7s"))
    response = lead_client.post(
        api(tenant_a, f"{group.plan_id}/assessments/"),
        {"group": group.pk, "element": "awareness", "score": 3},
    )
    assert response.status_code == 400
    message = errors_of(response)["element"]
    assert "McKinsey 7-S" in message
    assert "structure, strategy, systems, shared_values, skills, style, staff" in message


def test_foreign_group_id_is_400(lead_client, tenant_a, tenant_b):
    with tenant_a.scope():
        plan = ChangePlanFactory()
        other_plans_group = StakeholderGroupFactory()
    with tenant_b.scope():
        foreign_group = StakeholderGroupFactory()
    for group_id in (foreign_group.pk, other_plans_group.pk):
        response = lead_client.post(
            api(tenant_a, f"{plan.pk}/assessments/"),
            {"group": group_id, "element": "awareness", "score": 3},
        )
        assert response.status_code == 400
        assert "group" in errors_of(response)
    with tenant_b.scope():
        assert not Assessment.objects.exists()


def test_record_and_list_assessments(lead_client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory()
    response = lead_client.post(
        api(tenant_a, f"{group.plan_id}/assessments/"),
        {"group": group.pk, "element": "desire", "score": 4, "assessed_on": "2026-11-02"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["assessed_by"] == tenant_a.lead.pk
    listed = lead_client.get(api(tenant_a, f"{group.plan_id}/assessments/"), {"element": "desire"})
    assert [a["score"] for a in listed.json()["results"]] == [4]


# --- Groups and communications ------------------------------------------------------------------


def test_group_crud(lead_client, tenant_a):
    with tenant_a.scope():
        plan = ChangePlanFactory()
    base = api(tenant_a, f"{plan.pk}/groups/")
    response = lead_client.post(base, {"name": "Executives", "kind": "executives", "size": 8})
    assert response.status_code == 201
    group_id = response.json()["id"]
    assert lead_client.post(base, {"name": "Executives"}).status_code == 400
    assert lead_client.post(base, {"name": "Negative", "size": -1}).status_code == 400
    response = lead_client.patch(f"{base}{group_id}/", {"influence": "high"}, format="json")
    assert response.json()["influence"] == "high"
    assert lead_client.delete(f"{base}{group_id}/").status_code == 204


def test_communication_create_and_status(lead_client, tenant_a, tenant_b):
    with tenant_a.scope():
        group = StakeholderGroupFactory()
    with tenant_b.scope():
        foreign_group = StakeholderGroupFactory()
    base = api(tenant_a, f"{group.plan_id}/communications/")
    data = {
        "audience": [group.pk],
        "channel": "newsletter",
        "message": "Welcome",
        "planned_date": "2026-12-01",
        "owner": tenant_a.recruiter.pk,
    }
    response = lead_client.post(base, data, format="json")
    assert response.status_code == 201, response.json()
    communication_id = response.json()["id"]
    bad = lead_client.post(base, data | {"audience": [foreign_group.pk]}, format="json")
    assert bad.status_code == 400 and "audience" in errors_of(bad)
    bad = lead_client.post(base, data | {"channel": "pigeon"}, format="json")
    assert bad.status_code == 400 and "channel" in errors_of(bad)
    response = lead_client.patch(f"{base}{communication_id}/", {"status": "sent"}, format="json")
    assert response.status_code == 200
    assert response.json()["sent_at"] is not None
    with tenant_a.scope():
        assert Communication.objects.get().status == "sent"


# --- Query counts -------------------------------------------------------------------------------


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


def _grow(plan, owner):
    group = StakeholderGroupFactory(plan=plan)
    AssessmentFactory(group=group, assessed_by=owner)
    communication = CommunicationFactory(plan=plan, owner=owner)
    communication.audience.set([group])
    ChangePlanFactory(programme=plan.programme, owner=owner)


@pytest.mark.parametrize(
    "suffix", ["", "{plan}/groups/", "{plan}/assessments/", "{plan}/communications/"]
)
def test_list_endpoint_query_count_does_not_grow(tenant_a, django_assert_num_queries, suffix):
    client = APIClient()
    client.force_login(tenant_a.lead)
    with tenant_a.scope():
        plan = ChangePlanFactory(owner=tenant_a.lead)
        _grow(plan, tenant_a.lead)
    path = api(tenant_a, suffix.format(plan=plan.pk))
    with_one, response = _count(client, path)
    assert len(response.json()["results"]) >= 1
    with tenant_a.scope():
        for _ in range(10):
            _grow(plan, tenant_a.lead)
    with django_assert_num_queries(with_one):
        response = client.get(path)
    assert len(response.json()["results"]) >= 11


# --- ADKAR barrier points -----------------------------------------------------------------------


def _score(group, scores, on=None):
    for element, score in zip(
        ["awareness", "desire", "knowledge", "ability", "reinforcement"], scores, strict=False
    ):
        AssessmentFactory(
            group=group, element=element, score=score, **({"assessed_on": on} if on else {})
        )


def test_groups_carry_the_barrier_point_the_plan_page_shows(lead_client, tenant_a):
    with tenant_a.scope():
        plan = ChangePlanFactory()
        stalled = StakeholderGroupFactory(plan=plan, name="Stalled")
        _score(stalled, [5, 2, 1, 1, 1], on=datetime.date(2026, 10, 1))
        _score(stalled, [5, 4, 2], on=datetime.date(2026, 11, 1))  # latest: knowledge is low
        clear = StakeholderGroupFactory(plan=plan, name="Clear")
        _score(clear, [5, 4, 4, 5, 4])
        unknown = StakeholderGroupFactory(plan=plan, name="Unknown")
        _score(unknown, [4, 4])  # knowledge not yet assessed
        page_grid = {row.group.pk: row.barrier for row in selectors.plan_grid(plan=plan).rows}
    response = lead_client.get(api(tenant_a, f"{plan.pk}/groups/"))
    assert response.status_code == 200
    points = {g["name"]: g["barrier_point"] for g in response.json()["results"]}
    assert points == {
        "Stalled": {"state": "barrier", "element": "knowledge"},
        "Clear": {"state": "clear", "element": None},
        "Unknown": {"state": "unknown", "element": "knowledge"},
    }
    for group in (stalled, clear, unknown):
        barrier = page_grid[group.pk]
        assert points[group.name] == {"state": barrier.state, "element": barrier.element}
    detail = lead_client.get(api(tenant_a, f"{plan.pk}/groups/{stalled.pk}/"))
    assert detail.json()["barrier_point"] == {"state": "barrier", "element": "knowledge"}


def test_barrier_point_follows_a_new_assessment_and_is_null_outside_adkar(lead_client, tenant_a):
    with tenant_a.scope():
        plan = ChangePlanFactory()
        group = StakeholderGroupFactory(plan=plan)
        _score(group, [5, 5, 5, 5, 5])
        lewin = ChangePlanFactory(framework="lewin")
        lewin_group = StakeholderGroupFactory(plan=lewin)
    lead_client.post(
        api(tenant_a, f"{plan.pk}/assessments/"),
        {"group": group.pk, "element": "ability", "score": 2, "assessed_on": "2026-11-20"},
    )
    response = lead_client.get(api(tenant_a, f"{plan.pk}/groups/{group.pk}/"))
    assert response.json()["barrier_point"] == {"state": "barrier", "element": "ability"}
    response = lead_client.get(api(tenant_a, f"{lewin.pk}/groups/{lewin_group.pk}/"))
    assert response.json()["barrier_point"] is None
