from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programmes import services
from programmes.models import AgreedMetric, ChecklistItem, Improvement, Programme

pytestmark = pytest.mark.django_db


def url(tenant, path=""):
    return f"/orgs/{tenant.slug}/programmes/{path}"


def test_create_programme_in_the_browser_form_lands_on_its_overview(client, tenant_a):
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, "new/"),
        {
            "name": "Graduates 2027",
            "scope": "early_careers",
            "delivery_model": "project",
            "countries": ["GB"],
            "go_live_target": "2027-01-15",
        },
    )
    assert response.status_code == 302
    with tenant_a.scope():
        programme = Programme.objects.get(name="Graduates 2027")
        assert ChecklistItem.objects.filter(programme=programme).exists()
    page = client.get(response.url)
    assert b"Go-live readiness" in page.content and b"Graduates 2027" in page.content


def test_bad_form_input_is_shown_next_to_the_field_and_kept(client, tenant_a):
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, "new/"),
        {
            "name": "Tech hiring",
            "scope": "category",
            "delivery_model": "category",
            "countries": ["ZZ"],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Name the category" in body
    assert "ZZ is not one of the available choices" in body or "Select a valid choice" in body
    assert 'value="Tech hiring"' in body  # nothing typed is lost


def test_inline_status_change_with_htmx_returns_the_row_and_readiness(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        item = ChecklistItem.objects.filter(programme=programme, derived_from="").first()
    client.force_login(tenant_a.recruiter)
    response = client.post(
        url(tenant_a, f"{programme.pk}/checklist/{item.pk}/status/"),
        {"status": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="item-{item.pk}"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body
    with tenant_a.scope():
        item.refresh_from_db()
        assert item.status == "done" and item.completed_by == tenant_a.recruiter


def test_viewer_cannot_change_status_or_sign(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        item = ChecklistItem.objects.filter(programme=programme).first()
    client.force_login(tenant_a.viewer)
    assert client.get(url(tenant_a, f"{programme.pk}/checklist/")).status_code == 200
    assert (
        client.post(
            url(tenant_a, f"{programme.pk}/checklist/{item.pk}/status/"), {"status": "done"}
        ).status_code
        == 403
    )
    assert client.post(url(tenant_a, f"{programme.pk}/go-live/sign/")).status_code == 403
    assert (
        client.post(
            url(tenant_a, f"{programme.pk}/metrics/"),
            {"metric_key": "hires", "tier": "early", "target": "1"},
        ).status_code
        == 403
    )


def test_checklist_filters_narrow_the_list(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P", delivery_model="multi_country")
    client.force_login(tenant_a.lead)
    response = client.get(
        url(tenant_a, f"{programme.pk}/checklist/"), {"section": "timeline"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Country roll-out sequence agreed" in body and "Recruitment process mapped" not in body
    assert "<html" not in body


def test_sign_refused_in_the_ui_says_what_is_missing(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
    client.force_login(tenant_a.lead)
    response = client.post(url(tenant_a, f"{programme.pk}/go-live/sign/"), follow=True)
    assert "Three early metrics must be agreed" in response.content.decode()


def test_fourth_early_metric_in_the_ui_is_refused_with_the_message(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        for key in ["hires", "time_to_fill", "candidate_nps"]:
            services.agreed_metric_create(programme=programme, metric_key=key, target=Decimal("1"))
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, f"{programme.pk}/metrics/"),
        {"metric_key": "time_to_hire", "tier": "early", "target": "20"},
    )
    assert response.status_code == 400
    assert "exactly three early metrics" in response.content.decode()
    with tenant_a.scope():
        assert AgreedMetric.objects.filter(programme=programme).count() == 3


def _count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "page", ["", "{pid}/", "{pid}/checklist/", "{pid}/metrics/", "{pid}/go-live/"]
)
def test_pages_do_a_constant_number_of_queries(client, tenant_a, django_assert_num_queries, page):
    with tenant_a.scope():
        first = services.programme_create(name="First", delivery_model="project")
        services.agreed_metric_create(programme=first, metric_key="hires", target=Decimal("1"))
        services.objective_create(programme=first, title="o")
    client.force_login(tenant_a.lead)
    path = url(tenant_a, page.format(pid=first.pk))
    client.get(path)
    one = _count(client, path)
    with tenant_a.scope():
        for i in range(8):
            services.programme_create(name=f"P{i}", delivery_model="multi_country")
            services.objective_create(programme=first, title=f"o{i}")
            services.checklist_item_create(
                programme=first,
                section="process",
                title=f"x{i}",
                owner=tenant_a.recruiter,
                status="done",
                by=tenant_a.lead,
            )
        for key in ["time_to_fill", "candidate_nps", "time_to_hire"]:
            services.agreed_metric_create(
                programme=first,
                metric_key=key,
                target=Decimal("1"),
                tier="nice_to_have",
                owner=tenant_a.lead,
            )
    with django_assert_num_queries(one):
        assert client.get(path).status_code == 200


def test_risk_log_page_logs_a_risk_and_shows_it_on_the_heat_map(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
    client.force_login(tenant_a.recruiter)
    response = client.post(
        url(tenant_a, f"{programme.pk}/risks/"),
        {
            "title": "Hiring freeze",
            "likelihood": "5",
            "impact": "4",
            "process_area": "before_anything",
            "status": "open",
        },
    )
    assert response.status_code == 302
    page = client.get(url(tenant_a, f"{programme.pk}/risks/")).content.decode()
    assert "Hiring freeze" in page and "20 · High" in page
    assert 'title="Likelihood 5 x impact 4 = 20 (high)"' in page


def test_bad_risk_in_the_form_keeps_the_input_and_says_what_is_wrong(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
    client.force_login(tenant_a.recruiter)
    response = client.post(
        url(tenant_a, f"{programme.pk}/risks/"),
        {
            "title": "Agency reliance",
            "likelihood": "7",
            "impact": "4",
            "process_area": "",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Agency reliance"' in body
    assert "less than or equal to 5" in body and "This field is required" in body


def test_risk_becomes_an_improvement_from_its_page_and_status_changes_inline(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        risk = services.risk_create(
            programme=programme,
            title="Slow feedback",
            likelihood=4,
            impact=4,
            process_area="selection",
        )
    client.force_login(tenant_a.lead)
    response = client.post(
        url(tenant_a, f"{programme.pk}/risks/{risk.pk}/improvement/"), follow=True
    )
    assert "is now on the improvement backlog" in response.content.decode()
    with tenant_a.scope():
        improvement = Improvement.objects.get(origin_risk=risk)
    row = client.post(
        url(tenant_a, f"{programme.pk}/improvements/{improvement.pk}/status/"),
        {"status": "done"},
        HTTP_HX_REQUEST="true",
    )
    assert row.status_code == 200 and f'id="improvement-{improvement.pk}"' in row.content.decode()
    assert "<html" not in row.content.decode()
    with tenant_a.scope():
        improvement.refresh_from_db()
        assert improvement.status == "done" and improvement.done_at is not None


@pytest.mark.parametrize("page", ["{pid}/risks/", "{pid}/improvements/"])
def test_backlog_pages_do_a_constant_number_of_queries(
    client, tenant_a, django_assert_num_queries, page
):
    with tenant_a.scope():
        programme = services.programme_create(name="First")
        risk = services.risk_create(
            programme=programme,
            title="r",
            likelihood=2,
            impact=2,
            process_area="selection",
            owner=tenant_a.lead,
        )
        services.improvement_from_risk(risk=risk)
    client.force_login(tenant_a.lead)
    path = url(tenant_a, page.format(pid=programme.pk))
    client.get(path)
    one = _count(client, path)
    with tenant_a.scope():
        for i in range(10):
            r = services.risk_create(
                programme=programme,
                title=f"r{i}",
                likelihood=1 + i % 5,
                impact=1 + (i * 2) % 5,
                process_area="selection",
                owner=tenant_a.recruiter,
            )
            services.improvement_from_risk(risk=r)
    with django_assert_num_queries(one):
        assert client.get(path).status_code == 200


def test_risk_log_and_backlog_export_as_csv_and_xlsx_under_the_filters(client, tenant_a):
    import csv
    import io

    from openpyxl import load_workbook

    with tenant_a.scope():
        programme = services.programme_create(name="P")
        services.risk_create(
            programme=programme,
            title="=HYPERLINK(evil)",
            likelihood=5,
            impact=5,
            process_area="selection",
        )
        services.risk_create(
            programme=programme,
            title="Closed one",
            likelihood=1,
            impact=1,
            process_area="selection",
            status="closed",
        )
        risk = services.risk_create(
            programme=programme,
            title="Freeze",
            likelihood=3,
            impact=5,
            process_area="before_anything",
        )
        services.improvement_from_risk(risk=risk)
    client.force_login(tenant_a.viewer)
    response = client.get(url(tenant_a, f"{programme.pk}/risks/export/"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Title", "Likelihood", "Impact", "Score"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(evil)", "Freeze", "Closed one"]  # defused
    filtered = client.get(
        url(tenant_a, f"{programme.pk}/risks/export/"), {"process_area": "before_anything"}
    )
    assert [
        r[0] for r in list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))[1:]
    ] == ["Freeze"]
    xlsx = client.get(url(tenant_a, f"{programme.pk}/improvements/export/"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Title" and values[1][0] == "Freeze" and values[1][7] == "Freeze"
    assert (
        client.get(url(tenant_a, f"{programme.pk}/risks/export/"), {"format": "pdf"}).status_code
        == 404
    )


def test_a_viewer_sees_a_risk_read_only(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        risk = services.risk_create(
            programme=programme, title="Freeze", likelihood=3, impact=3, process_area="selection"
        )
    client.force_login(tenant_a.viewer)
    body = client.get(url(tenant_a, f"{programme.pk}/risks/{risk.pk}/")).content.decode()
    assert 'name="title"' in body and "disabled" in body.split('name="title"')[1].split(">")[0]
    assert "Save risk" not in body
    client.force_login(tenant_a.lead)
    body = client.get(url(tenant_a, f"{programme.pk}/risks/{risk.pk}/")).content.decode()
    assert "disabled" not in body.split('name="title"')[1].split(">")[0] and "Save risk" in body
