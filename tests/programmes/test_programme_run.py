"""The programme overview's Run at a glance: figures from the requisitions app, each a link to
exactly the rows it counts, in a constant number of queries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requisitions import services
from tests.factories import ProgrammeFactory
from tests.requisitions.factories import make_application, make_requisition

pytestmark = pytest.mark.django_db

TILE = re.compile(
    r'<a class="tile tile-link[^"]*" href="([^"]+)">\s*<p class="tile-label">([^<]+)</p>'
    r'<p class="tile-value">(\d+)</p>'
)
STAGE_LINK = re.compile(r'<a href="([^"]*applications/[^"]+)" aria-label="[^"]*">(\d+)</a>')
COUNTED_LINK = re.compile(r'<a href="([^"]+)">(?:All )?(\d+) (?:drafts? being|requisitions? of)')


def _move(application, *stages):
    for stage in stages:
        services.application_move(
            application=application,
            stage=stage,
            by=None,
            reason="Not a fit" if stage == "rejected" else "",
            start_date=timezone.localdate() + dt.timedelta(days=30)
            if stage == "accepted"
            else None,
        )


def _programme_with_a_run(tenant):
    with tenant.scope():
        programme = ProgrammeFactory(name="Stores")
        other = ProgrammeFactory(name="Graduates")
        late = make_requisition(
            programme=programme,
            title="Late",
            target_date=timezone.localdate() - dt.timedelta(days=3),
        )
        on_time = make_requisition(programme=programme, title="On time")
        make_requisition(programme=programme, title="Draft", open_now=False)
        held = make_requisition(programme=programme, title="Held")
        services.requisition_put_on_hold(requisition=held, by=None)
        filled = make_requisition(programme=programme, title="Filled")
        _move(make_application(requisition=filled), "screening", "interview", "offer", "accepted")
        for requisition, stages in [
            (late, ()),
            (late, ("screening",)),
            (on_time, ("screening", "interview")),
            (held, ("screening",)),
            (on_time, ("screening", "rejected")),
        ]:
            _move(make_application(requisition=requisition), *stages)
        # Another programme's rows never count.
        elsewhere = make_requisition(programme=other, title="Elsewhere")
        _move(make_application(requisition=elsewhere), "screening")
    return programme


def test_every_run_figure_links_to_exactly_the_rows_it_counts(client, tenant_a):
    programme = _programme_with_a_run(tenant_a)
    client.force_login(tenant_a.viewer)
    page = client.get(f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/").content.decode()
    run = page[page.index('id="run-heading"') :]
    tiles = {label: (html.unescape(href), int(n)) for href, label, n in TILE.findall(run)}
    assert {label: n for label, (_href, n) in tiles.items()} == {
        "Open": 2,
        "Past target date": 1,
        "On hold": 1,
        "Filled": 1,
    }
    stages = [(html.unescape(href), int(n)) for href, n in STAGE_LINK.findall(run)]
    assert [n for _href, n in stages] == [1, 2, 1, 0]  # applied, screening, interview, offer
    counted = [(html.unescape(href), int(n)) for href, n in COUNTED_LINK.findall(run)]
    assert [n for _href, n in counted] == [1, 5]  # the draft; all five requisitions
    for href, figure in [*tiles.values(), *stages, *counted]:
        response = client.get(href)
        assert response.status_code == 200, href
        assert response.context["page"].paginator.count == figure, href
        assert f"programme={programme.pk}" in href


def test_run_costs_the_same_queries_for_one_and_many_requisitions(
    client, tenant_a, django_assert_num_queries
):
    with tenant_a.scope():
        programme = ProgrammeFactory()
        first = make_requisition(programme=programme)
        _move(make_application(requisition=first), "screening")
    client.force_login(tenant_a.lead)
    path = f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/"
    client.get(path)
    with CaptureQueriesContext(connection) as one:
        assert "Run at a glance" in client.get(path).content.decode()
    with tenant_a.scope():
        for i in range(12):
            requisition = make_requisition(
                programme=programme, target_date=timezone.localdate() - dt.timedelta(days=i + 1)
            )
            _move(make_application(requisition=requisition), "screening", "interview")
    with django_assert_num_queries(len(one)):
        response = client.get(path)
    assert response.context["sections"][0].data.open == 13


def test_a_programme_without_requisitions_says_what_belongs_there(client, tenant_a):
    with tenant_a.scope():
        programme = ProgrammeFactory()
    client.force_login(tenant_a.lead)
    page = client.get(f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/").content.decode()
    assert "No requisitions under this programme yet" in page
    assert f"/orgs/{tenant_a.slug}/requisitions/new/" in page
    client.force_login(tenant_a.viewer)
    page = client.get(f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/").content.decode()
    assert f"/orgs/{tenant_a.slug}/requisitions/new/" not in page
