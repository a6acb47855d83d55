"""Controls that tell the truth, in Chromium, as each demo login: counts are links, the sign
button says why it is disabled, readers get no controls they cannot use."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _build_programme(page: Page) -> str:
    page.goto("/orgs/globex/programmes/")
    page.get_by_role("link", name="Engineering hiring, DACH expansion").first.click()
    return page.url


@pytest.mark.parametrize(
    "who",
    ["lead@globex.example", "recruiter@globex.example", "viewer@globex.example"],
)
def test_each_role_sees_honest_controls(page: Page, demo: str, who: str):
    role = who.split("@")[0]
    login(page, who, demo)
    # the dashboard's figures open the rows they count
    page.goto("/orgs/globex/")
    run = page.locator("#run-heading").locator("..")
    tile = run.get_by_role("link", name="Hiring-manager feedback overdue")
    expect(tile).to_have_attribute("href", "/orgs/globex/requisitions/?flag=feedback_overdue")
    axe_check(page)
    screenshot(page, f"controls-dashboard-{role}")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 800})
    shown = tile.get_attribute("data-count")
    tile.click()
    if shown == "0":
        expect(page.locator("#requisition-results .empty")).to_be_visible()
    else:
        expect(page.locator(".result-count")).to_contain_text(f"{shown} requisition")
    axe_check(page)
    screenshot(page, f"controls-requisitions-{role}")

    # the go-live page: the sign button, where there is one, says why it is disabled
    programme = _build_programme(page)
    page.goto(programme + "go-live/")
    sign = page.get_by_role("button", name="Sign for")
    if role == "viewer":
        expect(sign).to_have_count(0)
    else:
        expect(sign).to_be_disabled()
        expect(page.locator("#sign-blocked")).to_contain_text("listed above are done")
        page.locator("#sign-blocked").scroll_into_view_if_needed()
    axe_check(page)
    screenshot(page, f"controls-go-live-{role}")

    # the checklist: status controls for writers only; the derived item never has one
    page.goto(programme + "checklist/")
    derived = page.locator("table.checklist tbody tr", has_text="Three early metrics agreed")
    expect(derived).to_contain_text("Done automatically when three early metrics are agreed.")
    expect(derived.locator("select")).to_have_count(0)
    selects = page.locator("table.checklist select")
    if role == "viewer":
        expect(selects).to_have_count(0)
    else:
        assert selects.count() > 0
    axe_check(page)
    screenshot(page, f"controls-checklist-{role}")


def test_provider_admin_is_told_why_before_typing(page: Page, demo: str):
    login(page, "admin@provider.example", demo)
    page.goto("/orgs/globex/requisitions/")
    expect(page.get_by_role("link", name="New requisition")).to_have_count(0)
    response = page.goto("/orgs/globex/requisitions/new/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("main")).to_contain_text("Provider admins can read every organisation")
    expect(page.locator("main form")).to_have_count(0)
    axe_check(page)
    screenshot(page, "controls-forbidden-provider-admin")


def test_a_requisition_put_on_hold_says_so_and_can_be_undone(page: Page, demo: str):
    login(page, "recruiter@globex.example", demo)
    page.goto("/orgs/globex/requisitions/?status=open")
    page.locator("#requisition-results a.row-title").first.click()
    page.get_by_role("button", name="Put on hold").click()
    saved = page.locator("#inline-saved")
    expect(saved).to_contain_text("Saved: status changed from Open to On hold.")
    expect(page.locator(".page-header .status-on_hold")).to_have_text("On hold")
    axe_check(page)
    screenshot(page, "controls-requisition-on-hold")
    saved.get_by_role("button", name="Undo").click()
    expect(page.locator(".toasts")).to_contain_text("Undone: status is back to Open.")
    expect(page.locator(".page-header .status-open")).to_have_text("Open")
