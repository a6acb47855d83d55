import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from changeplans.models import Assessment, Communication, StakeholderGroup
from tests.changeplans.factories import (
    AssessmentFactory,
    ChangePlanFactory,
    CommunicationFactory,
    StakeholderGroupFactory,
)
from tests.factories import ProgrammeFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(tenant, suffix=""):
    return f"/orgs/{tenant.slug}/change-plans/{suffix}"


def test_empty_list_teaches(client, tenant_a):
    client.force_login(tenant_a.lead)
    response = client.get(url(tenant_a))
    assert response.status_code == 200
    assert b"No change plans yet" in response.content
    assert b"New change plan" in response.content


def test_list_filters_by_programme(client, tenant_a):
    with tenant_a.scope():
        one, two = ProgrammeFactory(name="Graduates"), ProgrammeFactory(name="Stores")
        ChangePlanFactory(programme=one, title="Graduate plan")
        ChangePlanFactory(programme=two, title="Stores plan")
    client.force_login(tenant_a.viewer)
    response = client.get(url(tenant_a), {"programme": one.pk}, **HTMX)
    assert response.status_code == 200
    assert b"Graduate plan" in response.content and b"Stores plan" not in response.content
    assert b"<html" not in response.content  # the table partial only


def _plans(programme, n, owner):
    for _ in range(n):
        plan = ChangePlanFactory(programme=programme, owner=owner)
        StakeholderGroupFactory(plan=plan)
        CommunicationFactory(plan=plan)


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_list_page_query_count_does_not_grow(client, tenant_a, django_assert_num_queries):
    # Given a list page measured with one plan
    with tenant_a.scope():
        programme = ProgrammeFactory()
        _plans(programme, 1, tenant_a.recruiter)
    client.force_login(tenant_a.lead)
    path = url(tenant_a)
    client.get(path)  # warm the session
    with_one = _count_queries(client, path)
    # When fifteen more plans exist, then the same number of queries serves the page
    with tenant_a.scope():
        _plans(programme, 15, tenant_a.recruiter)
    with django_assert_num_queries(with_one):
        response = client.get(path)
    assert response.content.count(b'href="/orgs/acme/change-plans/') >= 16


def _add_rows(plan, n, owner):
    for i in range(n):
        group = StakeholderGroupFactory(plan=plan)
        for element in ("awareness", "desire"):
            AssessmentFactory(group=group, element=element, score=2 + i % 3)
            AssessmentFactory(
                group=group, element=element, score=4, assessed_on=datetime.date(2026, 11, 20)
            )
        communication = CommunicationFactory(plan=plan, owner=owner)
        communication.audience.set([group])


def test_plan_page_query_count_does_not_grow(client, tenant_a, django_assert_num_queries):
    with tenant_a.scope():
        plan = ChangePlanFactory()
        _add_rows(plan, 1, tenant_a.lead)
    client.force_login(tenant_a.lead)
    path = url(tenant_a, f"{plan.pk}/")
    client.get(path)
    with_one = _count_queries(client, path)
    with tenant_a.scope():
        _add_rows(plan, 12, tenant_a.lead)
    with django_assert_num_queries(with_one):
        response = client.get(path)
    assert response.content.count(b'class="cp-group"') == 13


def test_plan_page_shows_grid_and_barrier(client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory(name="Store managers")
        for element, score in [("awareness", 4), ("desire", 2)]:
            AssessmentFactory(group=group, element=element, score=score)
    client.force_login(tenant_a.viewer)
    response = client.get(url(tenant_a, f"{group.plan_id}/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Barrier: Desire" in body
    assert "cp-score-danger" in body and "cp-score-success" in body
    assert "Record an assessment" not in body  # viewers read only


def test_record_assessment_inline(client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory(name="Executives")
    client.force_login(tenant_a.recruiter)
    response = client.post(
        url(tenant_a, f"{group.plan_id}/assessments/"),
        {"group": group.pk, "element": "awareness", "score": "2", "assessed_on": "2026-11-02"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="assessment-panel"')
    assert "Recorded Executives: Awareness 2." in body
    assert "Barrier: Awareness" in body
    with tenant_a.scope():
        assessment = Assessment.objects.get()
        assert (assessment.score, assessment.assessed_by_id) == (2, tenant_a.recruiter.pk)


def test_record_assessment_without_js_redirects(client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory()
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, f"{group.plan_id}/assessments/"),
        {"group": group.pk, "element": "desire", "score": "5"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/change-plans/{group.plan_id}/#grid")


def test_bad_assessment_shows_errors_and_saves_nothing(client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory(plan=ChangePlanFactory(framework="lewin"))
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, f"{group.plan_id}/assessments/"),
        {"group": group.pk, "element": "awareness", "score": "9"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body
    with tenant_a.scope():
        assert not Assessment.objects.exists()


def test_viewer_cannot_post(client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory()
        communication = CommunicationFactory(plan=group.plan)
    client.force_login(tenant_a.viewer)
    plan = group.plan_id
    posts = [
        (f"{plan}/assessments/", {"group": group.pk, "element": "desire", "score": "3"}),
        (f"{plan}/groups/", {"name": "New", "kind": "other", "size": "1", "influence": "low"}),
        (f"{plan}/communications/{communication.pk}/status/", {"status": "sent"}),
        (f"{plan}/edit/", {"title": "Changed"}),
        ("new/", {"title": "New"}),
    ]
    for suffix, data in posts:
        assert client.post(url(tenant_a, suffix), data).status_code == 403, suffix


def test_add_group_and_communication(client, tenant_a):
    with tenant_a.scope():
        plan = ChangePlanFactory()
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, f"{plan.pk}/groups/"),
        {"name": "ERG: Women in Retail", "kind": "ergs", "size": "40", "influence": "medium"},
    )
    assert response.status_code == 302
    with tenant_a.scope():
        group = StakeholderGroup.objects.get()
    response = client.post(
        url(tenant_a, f"{plan.pk}/communications/"),
        {
            "planned_date": "2026-12-03",
            "channel": "town_hall",
            "audience": [group.pk],
            "message": "Why we are changing",
            "owner": tenant_a.recruiter.pk,
        },
    )
    assert response.status_code == 302
    with tenant_a.scope():
        communication = Communication.objects.get()
        assert list(communication.audience.all()) == [group]
        assert communication.owner == tenant_a.recruiter


def test_duplicate_group_name_is_an_error_next_to_the_field(client, tenant_a):
    with tenant_a.scope():
        group = StakeholderGroupFactory(name="Executives")
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, f"{group.plan_id}/groups/"),
        {"name": "Executives", "kind": "executives", "size": "3", "influence": "high"},
    )
    assert response.status_code == 400
    assert "already has a group with that name" in response.content.decode()


def test_status_change_inline(client, tenant_a):
    with tenant_a.scope():
        communication = CommunicationFactory(message="Launch email")
    client.force_login(tenant_a.recruiter)
    response = client.post(
        url(tenant_a, f"{communication.plan_id}/communications/{communication.pk}/status/"),
        {"status": "sent"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="communication-{communication.pk}"')
    assert "Launch email" in body and "Saved" in body
    with tenant_a.scope():
        communication.refresh_from_db()
        assert communication.status == "sent" and communication.sent_at is not None


def test_create_and_edit_plan(client, tenant_a):
    with tenant_a.scope():
        programme = ProgrammeFactory()
    client.force_login(tenant_a.lead)
    form = {
        "programme": programme.pk,
        "title": "New assessment centre",
        "kind": "new_assessment",
        "framework": "adkar",
        "status": "draft",
        "owner": tenant_a.lead.pk,
    }
    response = client.post(url(tenant_a, "new/"), form)
    assert response.status_code == 302
    plan_id = int(response["Location"].rstrip("/").split("/")[-1])
    response = client.post(
        url(tenant_a, f"{plan_id}/edit/"),
        form | {"status": "active", "start_date": "2026-12-01", "end_date": "2026-11-01"},
    )
    assert response.status_code == 400  # invalid input, shown beside the field
    assert "The end date cannot be before the start date." in response.content.decode()
    response = client.post(url(tenant_a, f"{plan_id}/edit/"), form | {"status": "active"})
    assert response.status_code == 302


def test_other_tenants_plan_is_404(client, tenant_a, tenant_b):
    with tenant_a.scope():
        plan = ChangePlanFactory()
    client.force_login(tenant_b.lead)
    assert client.get(url(tenant_b, f"{plan.pk}/")).status_code == 404
    assert client.get(url(tenant_a, f"{plan.pk}/")).status_code == 404
