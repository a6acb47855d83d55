"""Every count on the dashboard and on the requisitions page links to exactly the rows it counts.

Each count is an `<a data-count="N">` showing N; following its link (as the same user) must show
N rows. The data makes every count different from the others and gives the requisition list more
rows than one page, so a link to the wrong filter, or a count of a page, cannot pass.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from programmes import services as programme_services
from programmes.models import Programme
from requisitions import services as requisition_services
from requisitions.models import Requisition
from tests.programmes.factories import ImprovementFactory, RiskFactory
from tests.requisitions.factories import make_application, make_requisition

pytestmark = pytest.mark.django_db

COUNT_LINK = re.compile(r'<a\b[^>]*?href="([^"]+)"[^>]*?data-count="(\d+)"[^>]*>(.*?)</a>', re.S)


def _seed(tenant: Any) -> None:
    now = timezone.now()
    today = timezone.localdate()
    build = programme_services.programme_create(name="Build")  # 8 blockers open
    live = programme_services.programme_create(name="Live")
    for key in ["hires", "time_to_fill", "candidate_nps"]:
        programme_services.agreed_metric_create(programme=live, metric_key=key, target=Decimal("1"))
    Programme.objects.filter(pk=live.pk).update(status="live", went_live_on=today)
    for likelihood, impact, status in [(5, 4, "open"), (4, 4, "mitigating"), (2, 2, "open")]:
        RiskFactory(programme=live, likelihood=likelihood, impact=impact, status=status)
    RiskFactory(programme=live, likelihood=5, impact=5, status="closed")
    for status, n in [("in_progress", 1), ("planned", 2), ("done", 3)]:
        for _ in range(n):
            programme_services.improvement_create(
                programme=build, title=f"{status}", process_area="selection", status=status
            )
    ImprovementFactory(programme=live, status="idea")

    # Requisitions: more than a page of active ones, and each flag on a different number.
    for _ in range(27):
        make_requisition(programme=live)
    overdue = make_requisition(programme=live)  # past target (made, then dated back)
    Requisition.objects.filter(pk=overdue.pk).update(target_date=today - dt.timedelta(days=3))
    draft = make_requisition(programme=live, open_now=False)  # not active: counted nowhere
    Requisition.objects.filter(pk=draft.pk).update(target_date=today - dt.timedelta(days=3))
    for _ in range(3):  # opened 12 days ago, nothing since: kick-off late and no movement
        make_requisition(programme=live, at=now - dt.timedelta(days=12))
    # opened recently, but nothing has happened for ten days: no movement only
    quiet = make_requisition(programme=live)
    Requisition.objects.filter(pk=quiet.pk).update(last_activity_at=now - dt.timedelta(days=10))
    for requisition in [make_requisition(programme=live), make_requisition(programme=live)]:
        # a CV with the hiring manager for 3 days, longer than the default 48 hours
        application = make_application(requisition=requisition, at=now - dt.timedelta(days=4))
        requisition_services.application_move(
            application=application, stage="screening", by=None, at=now - dt.timedelta(days=3)
        )


def _rows_shown(url: str, body: str) -> int:
    """How many rows the linked page lists, read the way its reader would."""
    path = url.split("?")[0]
    if path.endswith("/requisitions/"):
        if 'class="empty"' in body:
            return 0
        match = re.search(r"(\d+) requisitions?\b", body)
        assert match, f"{url}: no result count"
        return int(match.group(1))
    if path.endswith("/checklist/"):
        return len(re.findall(r'<tr id="item-\d+"', body))
    if path.endswith("/improvements/"):
        return len(re.findall(r'<tr id="improvement-\d+"', body))
    if path.endswith("/risks/"):
        results = body[body.index('id="risk-results"') :]
        return len(set(re.findall(r'href="[^"]*/risks/(\d+)/"', results)))
    if path.endswith("/metrics/"):
        early = body[body.index('id="early-heading"') : body.index('id="nice-heading"')]
        return early.count('<div class="tile">')
    raise AssertionError(f"no rule to count the rows of {url}")


def _check_counts(client: Any, page: str) -> dict[str, int]:
    body = client.get(page).content.decode()
    links = COUNT_LINK.findall(body)
    assert links, f"{page} shows no count links"
    shown: dict[str, int] = {}
    for href, count, inner in links:
        href = href.replace("&amp;", "&")
        assert re.search(rf"(?<!\d){count}(?!\d)", strip_tags(inner)), (href, count, inner)
        rows = _rows_shown(href, client.get(href).content.decode())
        assert rows == int(count), f"{page}: the count {count} links to {href}, which shows {rows}"
        shown[href] = int(count)
    return shown


def test_every_dashboard_count_links_to_exactly_its_rows(client, tenant_a, settings):
    settings.REQUISITION_STALE_DAYS = 7
    with tenant_a.scope():
        _seed(tenant_a)
    client.force_login(tenant_a.viewer)
    shown = _check_counts(client, f"/orgs/{tenant_a.slug}/")
    requisitions = f"/orgs/{tenant_a.slug}/requisitions/"
    assert shown[requisitions] == 34
    assert shown[requisitions + "?overdue=on"] == 1
    assert shown[requisitions + "?flag=kickoff_late"] == 3
    assert shown[requisitions + "?flag=feedback_overdue"] == 2
    assert shown[requisitions + "?flag=stale"] == 4
    assert sorted(shown.values()).count(8) == 1  # the build programme's blockers
    assert len(shown) >= 14


def test_every_requisitions_page_count_links_to_exactly_its_rows(client, tenant_a, settings):
    settings.REQUISITION_STALE_DAYS = 7
    with tenant_a.scope():
        _seed(tenant_a)
    client.force_login(tenant_a.recruiter)
    page = f"/orgs/{tenant_a.slug}/requisitions/"
    shown = _check_counts(client, page)
    assert set(shown) == {
        page + "?overdue=on",
        page + "?flag=kickoff_late",
        page + "?flag=feedback_overdue",
        page + "?flag=stale",
    }
    assert len(set(shown.values())) == 4  # four different numbers, four different lists
