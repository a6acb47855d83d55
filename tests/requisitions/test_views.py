"""UI pages: constant query counts, htmx partials, viewer is read-only, moves from the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requisitions import services
from requisitions.models import Application, Requisition
from tests.factories import ProgrammeFactory

from .factories import HiringManagerFactory, make_application, make_requisition

pytestmark = pytest.mark.django_db


def _grow(tenant, n, programme_holder):
    with tenant.scope():
        programme = programme_holder.setdefault("programme", ProgrammeFactory())
        hm = programme_holder.setdefault("hm", HiringManagerFactory())
        requisition = programme_holder.get("requisition")
        for i in range(n):
            r = make_requisition(
                programme=programme,
                hiring_manager=hm,
                target_date=timezone.localdate() - dt.timedelta(days=1 + i % 2),
            )
            requisition = requisition or r
            application = make_application(requisition=requisition)
            services.application_move(application=application, stage="screening", by=None)
        programme_holder["requisition"] = requisition
        return requisition


def _count(client, path, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


@pytest.mark.parametrize(
    "page",
    [
        "requisitions/",
        "requisitions/?status=all&ordering=priority",
        "requisitions/?overdue=on",
        "requisitions/?programme={pid}&status=all",
        "requisitions/applications/",
        "requisitions/applications/?programme={pid}&stage=screening&active=on",
        "requisitions/candidates/",
        "requisitions/hiring-managers/",
        "requisitions/{rid}/",
        "requisitions/{rid}/board/",
    ],
)
def test_pages_cost_the_same_for_1_and_many_rows(client, tenant_a, page):
    client.force_login(tenant_a.recruiter)
    holder: dict = {}
    requisition = _grow(tenant_a, 1, holder)
    path = f"/orgs/{tenant_a.slug}/" + page.format(rid=requisition.pk, pid=requisition.programme_id)
    one = _count(client, path)
    _grow(tenant_a, 12, holder)
    assert _count(client, path) == one


def test_list_answers_first_and_filters_by_htmx(client, tenant_a):
    with tenant_a.scope():
        make_requisition(
            title="Overdue cook", target_date=timezone.localdate() - dt.timedelta(days=5)
        )
        make_requisition(title="Future cook")
    client.force_login(tenant_a.recruiter)
    page = client.get(f"/orgs/{tenant_a.slug}/requisitions/").content.decode()
    assert page.index("Past target date") < page.index("Overdue cook")
    partial = client.get(
        f"/orgs/{tenant_a.slug}/requisitions/?overdue=on",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="requisition-results",
    ).content.decode()
    assert "<html" not in partial and "Overdue cook" in partial and "Future cook" not in partial


def test_viewer_cannot_move_from_the_board(client, tenant_a):
    with tenant_a.scope():
        application = make_application()
    client.force_login(tenant_a.viewer)
    board = client.get(
        f"/orgs/{tenant_a.slug}/requisitions/{application.requisition_id}/board/"
    ).content.decode()
    assert "Move to" not in board
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/applications/{application.pk}/move/",
        {"stage": "screening"},
    )
    assert response.status_code == 403
    with tenant_a.scope():
        assert Application.objects.get().stage == "applied"


def test_board_move_by_htmx_returns_the_board_with_the_error_named(client, tenant_a):
    with tenant_a.scope():
        application = make_application()
    client.force_login(tenant_a.recruiter)
    path = f"/orgs/{tenant_a.slug}/requisitions/applications/{application.pk}/move/"
    response = client.post(path, {"stage": "offer"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="board"' in response.content.decode()
    response = client.post(path, {"stage": "applied"}, HTTP_HX_REQUEST="true")
    assert "needs a reason" in response.content.decode()
    with tenant_a.scope():
        assert Application.objects.get().stage == "offer"


def test_create_form_keeps_input_and_names_the_error(client, tenant_a):
    with tenant_a.scope():
        programme = ProgrammeFactory()
        hm = HiringManagerFactory()
    client.force_login(tenant_a.recruiter)
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/new/",
        {
            "programme": programme.pk,
            "title": "Night manager",
            "location": "Hull",
            "country": "GB",
            "seniority": "manager",
            "openings": 0,
            "hiring_manager": hm.pk,
            "recruiter": tenant_a.recruiter.pk,
            "reason": "new_role",
            "priority": 3,
            "target_date": "2027-01-31",
        },
    )
    assert response.status_code == 400  # invalid input, as on every form of the product
    body = response.content.decode()
    assert "Night manager" in body and "greater than or equal to 1" in body
    with tenant_a.scope():
        assert not Requisition.objects.exists()


def test_list_filters_by_programme(client, tenant_a):
    with tenant_a.scope():
        live, build = ProgrammeFactory(name="Live stores"), ProgrammeFactory(name="Graduates")
        make_requisition(programme=live, title="Store manager Leeds")
        make_requisition(programme=build, title="Graduate buyer")
    client.force_login(tenant_a.viewer)
    response = client.get(f"/orgs/{tenant_a.slug}/requisitions/", {"programme": live.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Store manager Leeds" in page and "Graduate buyer" not in page
    assert f'<option value="{live.pk}" selected>Live stores</option>' in page


def test_another_tenants_programme_shows_nothing_and_says_why(client, tenant_a, tenant_b):
    with tenant_b.scope():
        foreign = make_requisition(title="Globex secret role")
    with tenant_a.scope():
        make_requisition(title="Acme role")
    client.force_login(tenant_a.recruiter)
    response = client.get(
        f"/orgs/{tenant_a.slug}/requisitions/", {"programme": foreign.programme_id}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Globex secret role" not in page and "Acme role" not in page
    assert "Select a valid choice" in page


def test_applications_list_filters_by_programme_stage_and_live_requisitions(client, tenant_a):
    with tenant_a.scope():
        live, other = ProgrammeFactory(), ProgrammeFactory()
        open_one = make_requisition(programme=live, title="Open role")
        cancelled = make_requisition(programme=live, title="Cancelled role")
        elsewhere = make_requisition(programme=other, title="Other role")
        wanted = make_application(requisition=open_one)
        for requisition in (cancelled, elsewhere):
            make_application(requisition=requisition)
        make_application(requisition=open_one)  # stays at applied
        services.application_move(application=wanted, stage="screening", by=None)
        services.requisition_cancel(requisition=cancelled, reason="Budget", by=None)
    client.force_login(tenant_a.viewer)
    base = f"/orgs/{tenant_a.slug}/requisitions/applications/"
    response = client.get(base, {"programme": live.pk, "stage": "screening", "active": "on"})
    assert response.status_code == 200
    assert [a.pk for a in response.context["page"].object_list] == [wanted.pk]
    everything = client.get(base, {"programme": live.pk}).context["page"].paginator.count
    live_only = client.get(base, {"programme": live.pk, "active": "on"})
    assert everything == 3 and live_only.context["page"].paginator.count == 2
    assert "Cancelled role" not in live_only.content.decode()


def test_applications_list_refuses_another_tenants_programme(client, tenant_a, tenant_b):
    with tenant_b.scope():
        foreign = make_application(requisition=make_requisition(title="Globex secret role"))
    with tenant_a.scope():
        make_application(requisition=make_requisition(title="Acme role"))
    client.force_login(tenant_a.recruiter)
    response = client.get(
        f"/orgs/{tenant_a.slug}/requisitions/applications/",
        {"programme": foreign.requisition.programme_id},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Globex secret role" not in page and "Acme role" not in page
