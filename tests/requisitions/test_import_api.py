"""Imports API (upload, status, report) and the imports pages: inputs, tenancy, query counts."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requisitions.imports.models import ImportJob
from requisitions.models import HiringManager
from tests.requisitions.import_factories import make_import_job

pytestmark = pytest.mark.django_db

HMS = b"Employee ID,Full Name,Email Address\nE1,Ana Ruiz,ana@client.test\nE2,Tom,not-an-email\n"


def api(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def url(tenant, path: str = "") -> str:
    return f"/api/v1/orgs/{tenant.slug}/imports/{path}"


def test_upload_imports_in_the_background_then_status_and_report(
    tenant_a, django_capture_on_commit_callbacks
):
    client = api(tenant_a.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(tenant_a),
            {"file": SimpleUploadedFile("hms.csv", HMS), "kind": "hiring_managers"},
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    job_id = response.json()["id"]
    assert response.json()["mapping"]["email"] == "Email Address"

    status = client.get(url(tenant_a, f"{job_id}/")).json()
    assert (status["status"], status["progress"], status["finished"]) == ("done", 100, True)
    assert (status["imported_count"], status["rejected_count"], status["total_rows"]) == (1, 1, 2)

    report = client.get(url(tenant_a, f"{job_id}/report/")).json()
    assert [(r["row_number"], r["outcome"]) for r in report["results"]] == [
        (2, "imported"),
        (3, "rejected"),
    ]
    assert report["results"][1]["column"] == "Email Address"
    rejected = client.get(url(tenant_a, f"{job_id}/report/?outcome=rejected")).json()["results"]
    assert [r["row_number"] for r in rejected] == [3]
    with tenant_a.scope():
        assert HiringManager.objects.get().external_id == "E1"


def test_upload_with_an_explicit_mapping(tenant_a, django_capture_on_commit_callbacks):
    body = b"Who,Mail\nAna Ruiz,ana@client.test\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = api(tenant_a.lead).post(
            url(tenant_a),
            {
                "file": SimpleUploadedFile("x.csv", body),
                "kind": "hiring_managers",
                "mapping": json.dumps({"name": "Who", "email": "Mail"}),
            },
            format="multipart",
        )
    assert response.status_code == 201
    with tenant_a.scope():
        assert HiringManager.objects.get().name == "Ana Ruiz"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"kind": "hiring_managers", "file": ("x.csv", b"")}, "file", "empty"),
        ({"kind": "hiring_managers", "file": ("x.pdf", b"%PDF")}, "file", "not a CSV or XLSX"),
        ({"kind": "pets", "file": ("x.csv", HMS)}, "kind", "not a valid choice"),
        ({"kind": "hiring_managers"}, "file", "No file"),
        (
            {"kind": "hiring_managers", "file": ("x.csv", b"Boss,Mail\nA,a@b.test\n")},
            "name",
            "Required",
        ),
        (
            {"kind": "hiring_managers", "file": ("x.csv", HMS), "mapping": "{not json"},
            "mapping",
            "Not valid JSON",
        ),
        (
            {"kind": "hiring_managers", "file": ("x.csv", HMS), "mapping": '{"name": "Nope"}'},
            "mapping",
            "not in the file",
        ),
        (
            {"kind": "requisitions", "file": ("x.csv", b"Job ID,Job Title\nR1,Chef\n")},
            "location",
            "Required",
        ),
        (
            {
                "kind": "hiring_managers",
                "file": ("x.csv", b"Name,Email\nA," + b"x" * 200_000 + b"\n"),
            },
            "file",
            "Row 2 of the file cannot be read as CSV",
        ),
    ],
)
def test_bad_uploads_are_400s_that_name_the_field(tenant_a, data, field, words):
    payload = dict(data)
    if "file" in payload:
        name, body = payload["file"]
        payload["file"] = SimpleUploadedFile(name, body)
    response = api(tenant_a.recruiter).post(url(tenant_a), payload, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    with tenant_a.scope():
        assert not ImportJob.objects.exists()


def test_viewers_cannot_upload_and_other_tenants_see_nothing(tenant_a, tenant_b):
    response = api(tenant_a.viewer).post(
        url(tenant_a),
        {"file": SimpleUploadedFile("x.csv", HMS), "kind": "hiring_managers"},
        format="multipart",
    )
    assert response.status_code == 403
    with tenant_a.scope():
        job = make_import_job()
    outsider = api(tenant_b.lead)
    assert outsider.get(url(tenant_b, f"{job.pk}/")).status_code == 404
    assert outsider.get(url(tenant_b, f"{job.pk}/report/")).status_code == 404
    assert outsider.get(url(tenant_a, f"{job.pk}/")).status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_imports_list_endpoint_queries_do_not_grow(tenant_a, django_assert_num_queries, count):
    with tenant_a.scope():
        for _ in range(count):
            make_import_job(rows=3)
    client = api(tenant_a.recruiter)
    client.get(url(tenant_a))  # warm the token and content-type caches
    with django_assert_num_queries(8):
        response = client.get(url(tenant_a))
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 12])
def test_report_endpoint_queries_do_not_grow(tenant_a, django_assert_num_queries, count):
    with tenant_a.scope():
        job = make_import_job(rows=count)
    client = api(tenant_a.recruiter)
    client.get(url(tenant_a, f"{job.pk}/report/"))
    with django_assert_num_queries(9):
        response = client.get(url(tenant_a, f"{job.pk}/report/"))
    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 12])
def test_imports_page_queries_do_not_grow(client, tenant_a, django_assert_num_queries, count):
    with tenant_a.scope():
        for _ in range(count):
            make_import_job(rows=2)
    client.force_login(tenant_a.recruiter)
    page = f"/orgs/{tenant_a.slug}/requisitions/imports/"
    client.get(page)
    with django_assert_num_queries(12):
        response = client.get(page)
    assert response.content.count(b"export.csv") == count


@pytest.mark.parametrize("count", [1, 12])
def test_report_page_queries_do_not_grow(client, tenant_a, django_assert_num_queries, count):
    with tenant_a.scope():
        job = make_import_job(rows=count, message="Bad email")
    client.force_login(tenant_a.recruiter)
    page = f"/orgs/{tenant_a.slug}/requisitions/imports/{job.pk}/"
    client.get(page)
    with django_assert_num_queries(13):
        response = client.get(page)
    assert response.content.count(b"Bad email") == count
