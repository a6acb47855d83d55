import pytest

from programmes.models import Improvement, Risk
from tests.factories import ProgrammeFactory
from tests.programmes.factories import ImprovementFactory, RiskFactory
from tests.programmes.test_api import _queries, api
from tests.requisitions.factories import make_requisition

pytestmark = pytest.mark.django_db


def test_log_a_risk_with_linked_requisitions_and_read_its_score(tenant_a):
    with tenant_a.scope():
        programme = ProgrammeFactory()
        requisition = make_requisition(programme=programme)
    response = api(tenant_a.recruiter).post(
        f"/api/v1/orgs/{tenant_a.slug}/risks/",
        {
            "programme": programme.pk,
            "title": "Agency reliance in Leeds",
            "likelihood": 4,
            "impact": 4,
            "process_area": "role_live",
            "requisitions": [requisition.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["score"], body["rating"], body["requisitions"]) == (16, "high", [requisition.pk])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"likelihood": 6}, "likelihood"),
        ({"impact": 0}, "impact"),
        ({"process_area": "lunch"}, "process_area"),
        ({"status": "forgotten"}, "status"),
        ({"requisitions": [999999]}, "requisitions"),
    ],
)
def test_bad_risk_input_is_a_400_naming_the_field(tenant_a, payload, field):
    with tenant_a.scope():
        programme = ProgrammeFactory()
    data = {
        "programme": programme.pk,
        "title": "t",
        "likelihood": 2,
        "impact": 2,
        "process_area": "selection",
    }
    data.update(payload)
    response = api(tenant_a.lead).post(f"/api/v1/orgs/{tenant_a.slug}/risks/", data, format="json")
    assert response.status_code == 400
    assert field in {e["field"].split("[")[0] for e in response.json()["errors"]}
    with tenant_a.scope():
        assert not Risk.objects.exists()


def test_programme_of_another_organisation_is_a_400(tenant_a, tenant_b):
    with tenant_b.scope():
        foreign = ProgrammeFactory()
    response = api(tenant_a.lead).post(
        f"/api/v1/orgs/{tenant_a.slug}/improvements/",
        {
            "programme": foreign.pk,
            "title": "t",
            "process_area": "selection",
        },
        format="json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "programme"


def test_risk_becomes_an_improvement_once(tenant_a):
    with tenant_a.scope():
        risk = RiskFactory(likelihood=5, impact=4)
    url = f"/api/v1/orgs/{tenant_a.slug}/risks/{risk.pk}/improvement/"
    first = api(tenant_a.lead).post(url)
    assert first.status_code == 201 and first.json()["origin_risk"] == risk.pk
    second = api(tenant_a.lead).post(url)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert api(tenant_a.viewer).post(url).status_code == 403
    with tenant_a.scope():
        assert Improvement.objects.count() == 1


@pytest.mark.parametrize("path", ["risks/", "improvements/"])
def test_backlog_lists_query_count_does_not_grow(tenant_a, django_assert_num_queries, path):
    client = api(tenant_a.lead)
    url = f"/api/v1/orgs/{tenant_a.slug}/{path}"
    with tenant_a.scope():
        programme = ProgrammeFactory()
        risk = RiskFactory(programme=programme, owner=tenant_a.lead)
        ImprovementFactory(
            programme=programme, owner=tenant_a.lead, origin="risk", origin_risk=risk
        )
    client.get(url)
    one = _queries(client, url)
    with tenant_a.scope():
        requisition = make_requisition(programme=programme)
        for _ in range(12):
            r = RiskFactory(programme=ProgrammeFactory(), owner=tenant_a.recruiter)
            r.requisitions.add(requisition)
            ImprovementFactory(
                programme=r.programme, owner=tenant_a.recruiter, origin="risk", origin_risk=r
            )
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200
