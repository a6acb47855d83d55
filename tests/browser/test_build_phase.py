"""The Build phase in headless Chromium: from a new programme to a signed, live go-live."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_talent_lead_takes_a_programme_from_build_to_live(page: Page, demo: str):
    # given: the talent lead on the programme list
    login(page, "lead@acme.example", demo)
    page.goto("/orgs/acme/programmes/")
    axe_check(page)
    # when: they create a project programme
    page.get_by_role("link", name="New programme").first.click()
    page.get_by_label("Name").fill("Warehouse peak hiring 2027")
    page.get_by_label("Delivery model").select_option("project")
    page.get_by_label("Countries").select_option(["GB"])
    axe_check(page)
    page.get_by_role("button", name="Create programme").click()
    # then: its overview shows readiness and the blockers from the project template
    expect(page.get_by_role("heading", level=1)).to_contain_text("Warehouse peak hiring 2027")
    expect(page.locator("#readiness")).to_contain_text("0 of 11 applicable items done")
    expect(page.get_by_role("heading", name="Blocking go-live")).to_be_visible()
    axe_check(page)
    screenshot(page, "programme-new-overview")

    # and: signing is not offered while it cannot succeed, and the page says why
    page.get_by_role("link", name="Go-live sign-off").click()
    expect(page.get_by_role("button", name="Sign for the client")).to_be_disabled()
    expect(page.locator("#sign-blocked")).to_have_text(
        "You can sign once the 8 things listed above are done."
    )
    axe_check(page)
    screenshot(page, "programme-sign-disabled")

    # when: they complete every blocking item they can tick inline on the checklist
    page.get_by_role("link", name="Go-live checklist").click()
    expect(page.locator("table.checklist tbody tr")).to_have_count(11)
    axe_check(page)
    # the early-metrics item follows the metrics: no control, and the rule in its place
    derived = page.locator("table.checklist tbody tr", has_text="Three early metrics agreed")
    expect(derived).to_contain_text("Done automatically when three early metrics are agreed.")
    expect(derived.locator("select")).to_have_count(0)
    blocking_rows = page.locator(
        "table.checklist tbody tr", has_text="Blocks go-live", has=page.locator("select")
    )
    count = blocking_rows.count()
    assert count == 7
    saved = page.locator("#inline-saved")
    for i in range(count):
        row = blocking_rows.nth(i)
        with page.expect_response(lambda r: "/status/" in r.url and r.status == 200):
            row.locator("select").select_option("done")
        # then: it saved at once and says so, with an Undo
        expect(saved).to_contain_text("is now Done.")
        expect(saved.get_by_role("button", name="Undo")).to_be_visible()
    screenshot(page, "programme-checklist-saved")
    # when: the last change is undone, and made again
    last = blocking_rows.nth(count - 1)
    saved.get_by_role("button", name="Undo").click()
    expect(saved).to_contain_text("is back to To do.")
    expect(last.locator("select")).to_have_value("todo")
    expect(page.locator("#readiness")).to_contain_text("6 of 11 applicable items done")
    with page.expect_response(lambda r: "/status/" in r.url and r.status == 200):
        last.locator("select").select_option("done")
    # then: readiness updated in place (no full reload); the metrics blocker is left
    expect(page.locator("#readiness")).to_contain_text("7 of 11 applicable items done")
    expect(page.locator("#readiness")).to_contain_text("1 blocker open")
    axe_check(page)
    screenshot(page, "programme-checklist-done")

    # when: they agree three early metrics
    page.get_by_role("link", name="Early metrics").click()
    for key, target in [("time_to_fill", "35"), ("hires", "120"), ("kickoff_within_5_days", "90")]:
        page.locator("#id_metric_key").select_option(key)
        page.locator("#id_target").fill(target)
        page.get_by_role("button", name="Agree metric").click()
        expect(page.get_by_role("status")).to_contain_text("Metric agreed")
    expect(page.locator(".tile:not(.tile-empty)")).to_have_count(3)
    axe_check(page)
    screenshot(page, "programme-metrics")

    # then: the early-metrics item is done by itself, and no blocker is left
    page.get_by_role("link", name="Go-live checklist").click()
    expect(derived.locator(".badge", has_text="Done")).to_be_visible()
    expect(page.locator("#readiness")).to_contain_text("8 of 11 applicable items done")
    expect(page.locator("#readiness")).to_contain_text("No blockers open")

    # when: the talent lead signs for the client
    page.get_by_role("link", name="Go-live sign-off").click()
    axe_check(page)
    page.get_by_role("button", name="Sign for the client").click()
    expect(page.get_by_role("status")).to_contain_text("needs the other side's signature")
    programme_url = page.url

    # and the recruiter signs for the RPO
    page.context.clear_cookies()
    login(page, "recruiter@acme.example", demo)
    page.goto(programme_url)
    page.get_by_role("button", name="Sign for the RPO").click()

    # then: the programme is live
    expect(page.locator(".toasts")).to_contain_text("is live")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Live")
    expect(page.locator(".sign-box")).to_have_count(2)
    expect(page.get_by_role("table")).to_contain_text("Current")
    axe_check(page)
    screenshot(page, "programme-live")
    page.goto("/orgs/acme/programmes/")
    expect(page.get_by_role("row", name="Warehouse peak hiring 2027")).to_contain_text("Live")
