"""Every page fits its screen, whatever the data.

The demo data plus one object of every kind with the longest texts the product allows
(tests/browser/long_values.py); then every UI page under /orgs/<slug>/, discovered from the URL
configuration with the isolation sweep's walker and filled with the long objects, is opened at
1280x800 and 390x844. A page fails when:

- the document is wider than the viewport (`document.documentElement.scrollWidth`);
- a region scrolls sideways without saying so: every horizontally overflowing element must be a
  marked scroll region (`.scroll-x`; on a phone also a table's box, `.table-wrap`) whose hint
  (a `.scroll-hint` or its edge shadows) is visible;
- something spills over the edge of its card, tile or board card (a button wider than its card).

A screenshot of every page at both sizes goes to test-artifacts/screenshots/layout/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page

from rpo_portal.accounts.models import User
from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Organisation
from tests.tenancy.sweep import Leaf, _as_url_value, build_url, iter_leaves

from .conftest import DESKTOP, PHONE, SCREENSHOT_DIR, TIMEOUT_MS, login
from .long_values import seed_long_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG = "acme"
SHOTS = SCREENSHOT_DIR / "layout"

# Organisation URLs that are not pages, so are not visited. Each entry is checked to be what its
# comment says (a file download, or a 405 to a GET), so the list cannot hide a page.
DOWNLOADS = frozenset(
    {
        "requisitions:export_requisitions",
        "requisitions:export_hiring_managers",
        "requisitions:export_candidates",
        "requisitions:export_applications",
        "requisitions:export_download",
        "programmes:risk_export",
        "programmes:improvement_export",
    }
)
POST_ONLY = frozenset(
    {
        "programmes:checklist_status",
        "programmes:checklist_delete",
        "programmes:go_live_sign",
        "programmes:metric_remove",
        "programmes:objective_create",
        "programmes:objective_status",
        "programmes:risk_to_improvement",
        "programmes:risk_delete",
        "programmes:improvement_status",
        "changeplans:communication-status",
    }
)

# What the page measures: the document's width, every region that overflows sideways and
# whether it shows that it scrolls, and every child wider than its card.
MEASURE = """(phone) => {
  const doc = document.documentElement;
  const shown = (el) => {
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const clipped = (el) => { const s = getComputedStyle(el); return s.position === 'absolute' && s.clip !== 'auto'; };
  const unmarked = [];
  for (const el of document.querySelectorAll('body *')) {
    const overflowX = getComputedStyle(el).overflowX;
    if (!['auto', 'scroll'].includes(overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    if (!shown(el) || clipped(el)) continue;
    // A table's box may scroll on a phone; on a desktop screen only a region marked as one.
    const marked = el.matches(phone ? '.scroll-x, .table-wrap' : '.scroll-x');
    const hints = [...el.querySelectorAll(':scope > .scroll-hint')].filter(shown);
    const shadow = getComputedStyle(el).backgroundImage.includes('gradient');
    if (!marked || !(hints.length || shadow)) {
      unmarked.push(`${name(el)} (${el.clientWidth}px showing ${el.scrollWidth}px)`);
    }
  }
  const spills = [];
  for (const box of document.querySelectorAll('.card, .tile, .board-card, .board-col, .page-header, .filter-bar')) {
    if (!shown(box)) continue;
    // The box's content edge: a child may not run into its padding, let alone past its border.
    const outer = box.getBoundingClientRect(), style = getComputedStyle(box);
    const edge = {left: outer.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
                  right: outer.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight)};
    for (const el of box.querySelectorAll('*')) {
      if (!shown(el) || clipped(el) || el.closest('.scroll-x, .table-wrap, .sr-only, .visually-hidden, .cp-visually-hidden')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > edge.right + 1 || r.left < edge.left - 1) {
        spills.push(`${name(el)} over the edge of ${name(box)} by ${Math.round(Math.max(r.right - edge.right, edge.left - r.left))}px`);
        break;
      }
    }
  }
  return {width: doc.scrollWidth, viewport: doc.clientWidth, unmarked, spills};
}"""


@dataclass
class Visit:
    name: str
    url: str
    listing: bool  # no object in its URL: a list, a dashboard or a "new" form


def org_pages(objects: dict[str, Any]) -> tuple[list[Visit], list[Visit], list[str]]:
    """(pages, allow-listed non-pages, patterns that could not be filled), from the URLconf."""
    pages: list[Visit] = []
    skipped: list[Visit] = []
    missing: list[str] = []
    for leaf in iter_leaves():
        if not leaf.route.startswith("orgs/"):
            continue  # API, admin, accounts and public links are not organisation pages
        values = _fill(leaf, objects, missing)
        if values is None:
            continue
        url = build_url(leaf, {"org_slug": ORG, **values})
        visit = Visit(leaf.name or leaf.route, url, listing=not values)
        (skipped if visit.name in DOWNLOADS | POST_ONLY else pages).append(visit)
    return pages, skipped, missing


def _fill(leaf: Leaf, objects: dict[str, Any], missing: list[str]) -> dict[str, str] | None:
    values: dict[str, str] = {}
    for kwarg in leaf.kwarg_names:
        if kwarg == "org_slug":
            continue
        if kwarg not in objects:
            missing.append(f"{leaf.label}: no long-value object for {kwarg}")
            return None
        values[kwarg], _ = _as_url_value(objects[kwarg])
    return values


def check_page(tab: Page, visit: Visit, role: str, seen: set[str]) -> list[str]:
    """Open the page, measure it at both sizes and keep the screenshots; returns the findings."""
    tab.set_viewport_size(DESKTOP)
    response = tab.goto(visit.url)
    assert response is not None
    # A read-only role may be refused a form (a 403 page, which must fit the screen too).
    allowed = (200,) if role == "lead" else (200, 403)
    if response.status not in allowed:
        return [f"{visit.name} {visit.url}: status {response.status} for the {role}"]
    if tab.url in seen:  # a GET that redirects to a page already measured
        return []
    seen.add(tab.url)
    findings = []
    for size in (DESKTOP, PHONE):
        tab.set_viewport_size(size)
        result = tab.evaluate(MEASURE, size == PHONE)
        where = f"{visit.name} as {role} at {size['width']}px ({visit.url})"
        if result["width"] > result["viewport"]:
            findings.append(f"{where}: page is {result['width']}px wide")
        findings += [f"{where}: scrolls sideways with no hint: {u}" for u in result["unmarked"]]
        findings += [f"{where}: {s}" for s in result["spills"]]
        slug = visit.name.replace(":", "-")
        tab.screenshot(
            path=str(SHOTS / f"{role}-{slug}-{size['width']}x{size['height']}.png"),
            full_page=True,
        )
    return findings


def _context(browser: Browser, live_server: Any, email: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    login(tab, email, settings.DEMO_PASSWORD)
    return context, tab


def test_every_page_fits_its_screen_with_the_longest_values(
    browser: Browser, live_server: Any, transactional_db: Any
) -> None:
    # given: the demo, and one object of every kind with the longest texts
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    organisation = Organisation.objects.get(slug=ORG)
    with tenant_context(organisation):
        objects = seed_long_values(lead=User.objects.get(email=f"lead@{ORG}.example"))
    pages, skipped, missing = org_pages(objects)
    assert not missing, "Pages the layout test cannot fill:\n" + "\n".join(missing)
    assert len(pages) > 20
    SHOTS.mkdir(parents=True, exist_ok=True)

    findings: list[str] = []
    # when: the talent lead opens every page; the recruiter, a viewer and the provider admin
    # (read-only, no membership) every list
    lists = [v for v in pages if v.listing]
    for role, email, visits in (
        ("lead", f"lead@{ORG}.example", pages),
        ("recruiter", f"recruiter@{ORG}.example", lists),
        ("viewer", f"viewer@{ORG}.example", lists),
        ("admin", "admin@provider.example", lists),
    ):
        context, tab = _context(browser, live_server, email)
        seen: set[str] = set()
        try:
            for visit in visits:
                findings += check_page(tab, visit, role, seen)
            if role == "lead":
                findings += check_not_pages(context, skipped)
        finally:
            context.close()

    # then
    assert not findings, f"{len(findings)} layout findings:\n" + "\n".join(findings)


def check_not_pages(context: BrowserContext, skipped: list[Visit]) -> list[str]:
    """The allow-listed URLs are what they claim: files, or refused to a GET."""
    findings = []
    for visit in skipped:
        response = context.request.get(visit.url, max_redirects=0)
        if visit.name in POST_ONLY and response.status != 405:
            findings.append(f"{visit.name}: listed as POST-only but GET gave {response.status}")
        disposition = response.headers.get("content-disposition", "")
        if visit.name in DOWNLOADS and response.status != 302 and "attachment" not in disposition:
            findings.append(f"{visit.name}: listed as a download but is not a file")
    return findings


def test_a_phone_shows_every_requisitions_attention_flags(
    browser: Browser, live_server: Any, transactional_db: Any
) -> None:
    # given: the demo requisitions, several of them flagged, on a phone
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    context, tab = _context(browser, live_server, f"recruiter@{ORG}.example")
    try:
        tab.set_viewport_size(PHONE)
        # when
        tab.goto(f"/orgs/{ORG}/requisitions/")
        # then: every flag is on screen, not behind a sideways scroll
        flags = tab.locator(".req-table tbody tr td:last-child .badge")
        assert flags.count() > 3
        hidden = tab.evaluate(
            """() => [...document.querySelectorAll('.req-table tbody tr td:last-child .badge')]
              .filter((badge) => {
                const r = badge.getBoundingClientRect();
                const x = r.left + r.width / 2, y = r.top + r.height / 2;
                if (r.width === 0 || r.left < 0 || r.right > document.documentElement.clientWidth) return true;
                badge.scrollIntoView({block: 'center', inline: 'nearest'});
                const s = badge.getBoundingClientRect();
                const hit = document.elementFromPoint(s.left + s.width / 2, s.top + s.height / 2);
                return !(hit && badge.contains(hit));
              })
              .map((badge) => badge.closest('tr').querySelector('a').textContent + ': ' + badge.textContent)"""
        )
        assert hidden == []
        tab.screenshot(path=str(SHOTS / "recruiter-requisitions-flags-390x844.png"))
    finally:
        context.close()
