"""Exports: every list as CSV and XLSX under its filters; long lists through a Celery task."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from requisitions import services as requisition_services
from requisitions.exports.models import ExportJob
from tests.factories import ProgrammeFactory
from tests.requisitions.factories import (
    CandidateFactory,
    HiringManagerFactory,
    make_application,
    make_requisition,
)
from tests.requisitions.import_factories import make_export_job

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _xlsx(response) -> list[list[object]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _url(tenant, list_slug: str, query: str = "") -> str:
    return f"/orgs/{tenant.slug}/requisitions/export/{list_slug}/?{query}"


@pytest.fixture
def data(tenant_a):
    with tenant_a.scope():
        hm = HiringManagerFactory(name="Ana Ruiz", email="ana@client.test", external_id="E1")
        leeds = make_requisition(
            title="Chef", location="Leeds", hiring_manager=hm, external_id="R1"
        )
        make_requisition(
            title="Baker", location="Paris", country="FR", hiring_manager=hm, external_id="R2"
        )
        draft = make_requisition(
            title="Draft role", hiring_manager=hm, open_now=False, external_id="R3"
        )
        candidate = CandidateFactory(
            name="=cmd|' /C calc'!A0", email="c1@example.test", external_id="C1"
        )
        make_application(requisition=leeds, candidate=candidate, external_id="A1")
    return {"draft": draft}


def test_requisitions_export_as_csv_honours_the_list_filters(client, tenant_a, data):
    client.force_login(tenant_a.recruiter)
    response = client.get(_url(tenant_a, "requisitions", "format=csv&country=FR"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][:3] == ["External id", "Title", "Department"]
    assert [r[1] for r in rows[1:]] == ["Baker"]
    # The list's default (open and on hold) leaves the draft out; "all" brings it in.
    default = [r[1] for r in _csv(client.get(_url(tenant_a, "requisitions", "format=csv")))[1:]]
    assert "Draft role" not in default and {"Chef", "Baker"} <= set(default)
    everything = _csv(client.get(_url(tenant_a, "requisitions", "format=csv&status=all")))
    assert "Draft role" in [r[1] for r in everything[1:]]


def test_requisitions_export_follows_the_programme_filter(client, tenant_a, tenant_b, data):
    with tenant_a.scope():
        programme = ProgrammeFactory(name="Stores")
        make_requisition(title="Store role", programme=programme)
    with tenant_b.scope():
        foreign = ProgrammeFactory()
    client.force_login(tenant_a.recruiter)
    rows = _csv(client.get(_url(tenant_a, "requisitions", f"format=csv&programme={programme.pk}")))
    assert [r[1] for r in rows[1:]] == ["Store role"]
    # Another organisation's programme exports nothing, never the unfiltered list.
    rows = _csv(client.get(_url(tenant_a, "requisitions", f"format=csv&programme={foreign.pk}")))
    assert rows[1:] == []


def test_every_list_exports_as_xlsx_with_real_cells(client, tenant_a, data):
    client.force_login(tenant_a.viewer)
    sheets = {
        slug: _xlsx(client.get(_url(tenant_a, slug, "format=xlsx")))
        for slug in ("requisitions", "hiring-managers", "candidates", "applications")
    }
    requisitions = sheets["requisitions"]
    header = requisitions[0]
    chef = next(r for r in requisitions[1:] if r[1] == "Chef")
    assert chef[header.index("Country")] == "GB"
    assert chef[header.index("Openings")] == 1
    assert chef[header.index("Hiring manager email")] == "ana@client.test"
    assert hasattr(chef[header.index("Target fill date")], "year")  # a date cell, not text
    assert sheets["hiring-managers"][1][:3] == ["E1", "Ana Ruiz", "ana@client.test"]
    # A cell a spreadsheet would run as a formula is defused.
    assert sheets["candidates"][1][1] == "'=cmd|' /C calc'!A0"
    application = sheets["applications"][1]
    assert application[:4] == ["A1", "C1", "'=cmd|' /C calc'!A0", "R1"]


def test_an_export_imports_again_unchanged(
    client, tenant_a, data, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from requisitions.imports import services

    client.force_login(tenant_a.recruiter)
    body = client.get(_url(tenant_a, "hiring-managers", "format=csv")).content
    with tenant_a.scope():
        job = services.import_upload(
            kind="hiring_managers", file=SimpleUploadedFile("hm.csv", body), by=None
        )
        assert {"external_id", "name", "email", "department", "seniority"} <= set(job.mapping)
        with django_capture_on_commit_callbacks(execute=True):
            services.import_start(job=job, mapping=job.mapping, by=None)
        job.refresh_from_db()
        assert (job.updated_count, job.imported_count, job.rejected_count) == (1, 0, 0)


@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_a_long_list_is_built_by_a_task_and_offered_for_download(
    client, tenant_a, data, django_capture_on_commit_callbacks
):
    client.force_login(tenant_a.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url(tenant_a, "requisitions", "format=xlsx&status=all"))
    assert response.status_code == 302
    with tenant_a.scope():
        job = ExportJob.objects.get()
        assert (job.status, job.row_count, job.filters) == ("done", 3, {"status": "all"})
        assert job.file.name.startswith(f"orgs/{tenant_a.organisation.pk}/exports/")
    page = client.get(response["Location"])
    assert b"Download" in page.content
    download = client.get(f"/orgs/{tenant_a.slug}/requisitions/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert len(_xlsx(download)) == 4


def test_another_organisation_cannot_fetch_an_export(client, tenant_a, tenant_b):
    with tenant_a.scope():
        job = make_export_job(content=b"secret of A\n")
    client.force_login(tenant_b.lead)
    response = client.get(f"/orgs/{tenant_b.slug}/requisitions/exports/{job.pk}/download/")
    assert response.status_code == 404


def test_an_unknown_format_is_a_404(client, tenant_a):
    client.force_login(tenant_a.recruiter)
    assert client.get(_url(tenant_a, "candidates", "format=pdf")).status_code == 404


def test_cancelled_requisitions_export_with_their_status(client, tenant_a, data):
    with tenant_a.scope():
        requisition_services.requisition_cancel(requisition=data["draft"], reason="Budget cut")
    client.force_login(tenant_a.recruiter)
    rows = _csv(client.get(_url(tenant_a, "requisitions", "format=csv&status=cancelled")))
    assert [(r[1], r[rows[0].index("Status")]) for r in rows[1:]] == [("Draft role", "Cancelled")]
