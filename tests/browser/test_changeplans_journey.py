"""Journey in headless Chromium: record an assessment on a plan and watch the barrier move."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOT_DIR, axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_records_an_assessment_and_sees_the_barrier_move(page: Page, demo: str):
    # given: the demo recruiter on acme's change plans
    login(page, "recruiter@acme.example", demo)
    page.get_by_role("navigation", name="Acme Retail Group").get_by_role(
        "link", name="Change plans"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change plans")
    axe_check(page)
    screenshot(page, "changeplans-list")
    page.get_by_role("link", name="Implementation: store management hiring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Implementation: store management hiring"
    )
    row = page.locator("#assessment-panel tbody tr", has_text="Women in Retail network")
    # Last week's scores 4 4 3 3 2: the barrier is Knowledge, the first at 3 or less
    expect(row.locator(".cp-barrier")).to_have_text("Barrier: Knowledge")
    axe_check(page)
    screenshot(page, "changeplans-plan")

    # when: desire has slipped to 2 this week
    form = page.locator("form.cp-assess-form")
    form.get_by_label("Group").select_option(label="Women in Retail network")
    form.get_by_label("Element").select_option(label="Desire")
    form.get_by_label("Score").select_option("2")
    form.get_by_role("button", name="Record score").click()

    # then: the grid updates in place (htmx), with the new score, its movement and the barrier
    expect(page.get_by_role("status").filter(has_text="Recorded")).to_have_text(
        "Recorded Women in Retail network: Desire 2."
    )
    row = page.locator("#assessment-panel tbody tr", has_text="Women in Retail network")
    desire = row.locator("td.cp-score").nth(1)
    expect(desire).to_have_class("cp-score cp-score-danger cp-is-barrier")
    expect(desire.locator(".cp-score-value")).to_have_text("2")
    expect(desire.locator(".cp-move")).to_have_text("▼2")
    expect(row.locator(".cp-barrier")).to_have_text("Barrier: Desire")
    assert "/assessments/" not in page.url  # no full page load
    axe_check(page)
    screenshot(page, "changeplans-plan-recorded")
    page.screenshot(
        path=str(SCREENSHOT_DIR / "changeplans-plan-recorded-full-1280.png"), full_page=True
    )
