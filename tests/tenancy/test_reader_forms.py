"""Readers (viewers, provider admins) never see a form they may not submit.

Every UI URL pattern is discovered from the URL configuration and filled with the isolation
sweep's objects (tests/sweep_registry.py). A reader GETs each one; every `<form method="post">`
and every `hx-post` on the page is then submitted by that reader, and none may answer 403: a
form on a reader's page is one the reader may use (logging out, changing their password).
Pages that are only a form answer the reader with a 403 page that says why, before any typing.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from requisitions.imports.models import ImportJob, ImportStatus
from tests.factories import ProgrammeFactory, UserFactory
from tests.programmes.factories import RiskFactory
from tests.requisitions.factories import make_requisition
from tests.requisitions.import_factories import make_import_job
from tests.tenancy.sweep import _Session, prepare_targets

pytestmark = pytest.mark.django_db


class _PostTargets(HTMLParser):
    """The URLs a page would POST to: post forms (action or the page itself) and hx-post."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.targets: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self.targets.add(urljoin(self.page_url, attributes.get("action") or self.page_url))
        for verb in ("hx-post", "hx-put", "hx-patch", "hx-delete"):
            if verb in attributes:
                self.targets.add(urljoin(self.page_url, attributes[verb] or self.page_url))


def post_targets(page_url: str, body: str) -> set[str]:
    parser = _PostTargets(page_url)
    parser.feed(body)
    return {urlsplit(t).path for t in parser.targets}


def _ui_targets(tenant: Any) -> list[Any]:
    return [
        t
        for t in prepare_targets(tenant.organisation)
        if not t.leaf.is_api and not t.leaf.route.startswith("admin/")
    ]


def _walk(reader: Any, tenant: Any) -> tuple[int, list[str]]:
    session = _Session(reader)
    findings: list[str] = []
    checked: dict[str, int] = {}
    pages = 0
    for target in _ui_targets(tenant):
        url = target.url(tenant.slug)
        response = session.client.get(url)
        session.after()
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        for action in post_targets(url, response.content.decode()):
            if action not in checked:
                checked[action] = session.client.post(action, {}).status_code
                session.after()
            if checked[action] == 403:
                findings.append(f"{url} shows a form posting to {action}, which answers 403")
    return pages, findings


@pytest.mark.parametrize("who", ["viewer", "provider admin"])
def test_a_reader_never_gets_a_page_with_a_form_they_cannot_submit(tenant_a, who):
    reader = (
        tenant_a.viewer
        if who == "viewer"
        else UserFactory(email="admin@provider.test", is_provider_admin=True)
    )
    pages, findings = _walk(reader, tenant_a)
    assert pages > 20, "the walk reached too few pages to mean anything"
    assert not findings, "\n".join(findings)


@pytest.mark.parametrize(
    "path",
    [
        "programmes/new/",
        "programmes/{programme}/edit/",
        "requisitions/new/",
        "requisitions/{requisition}/edit/",
        "requisitions/{requisition}/kickoff/",
        "requisitions/hiring-managers/new/",
        "change-plans/new/",
    ],
)
def test_a_viewer_opening_a_form_page_by_url_is_told_why_before_typing(client, tenant_a, path):
    with tenant_a.scope():
        programme = ProgrammeFactory()
        requisition = make_requisition()
    client.force_login(tenant_a.viewer)
    url = f"/orgs/{tenant_a.slug}/" + path.format(
        programme=programme.pk, requisition=requisition.pk
    )
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Viewers can read this organisation" in body
    assert post_targets(url, body) == {"/accounts/logout/"}


def test_a_writer_still_gets_the_form_pages(client, tenant_a):
    client.force_login(tenant_a.recruiter)
    body = client.get(f"/orgs/{tenant_a.slug}/programmes/new/").content.decode()
    assert '<form method="post"' in body


def test_a_viewer_reads_a_risk_without_a_form_to_submit(client, tenant_a):
    with tenant_a.scope():
        risk = RiskFactory(title="Hiring freeze")
    client.force_login(tenant_a.viewer)
    url = f"/orgs/{tenant_a.slug}/programmes/{risk.programme_id}/risks/{risk.pk}/"
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hiring freeze" in body
    assert post_targets(url, body) == {"/accounts/logout/"}


def test_a_viewer_gets_no_link_to_an_import_waiting_for_its_column_mapping(client, tenant_a):
    with tenant_a.scope():
        job = make_import_job(name="waiting.csv")
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.MAPPING)
    detail = f"/orgs/{tenant_a.slug}/requisitions/imports/{job.pk}/"
    client.force_login(tenant_a.viewer)
    body = client.get(f"/orgs/{tenant_a.slug}/requisitions/imports/").content.decode()
    assert "waiting.csv" in body and f'href="{detail}"' not in body
    client.force_login(tenant_a.recruiter)
    body = client.get(f"/orgs/{tenant_a.slug}/requisitions/imports/").content.decode()
    assert f'href="{detail}"' in body
