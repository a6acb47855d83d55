"""Bad input in Chromium: one submit shows every problem beside its field, a text input at fault
is marked like a select at fault, unusual input is saved with a warning, times name their zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _border(page: Page, selector: str) -> str:
    return page.locator(selector).evaluate("el => getComputedStyle(el).borderTopColor")


def test_one_submit_shows_every_problem_and_marks_text_inputs_like_selects(page: Page, demo: str):
    # given: a recruiter on the new requisition form
    login(page, "recruiter@acme.example", demo)
    page.goto("/orgs/acme/requisitions/new/")
    untouched = _border(page, "#id_title")

    # when: they submit it empty
    page.get_by_role("button", name="Create requisition").click()

    # then: every required field is marked at once, text inputs exactly like dropdowns
    for name in ("programme", "title", "location", "country", "hiring_manager", "recruiter"):
        expect(page.locator(f"#id_{name}")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(f"#id_{name}_error")).to_contain_text("required")
    assert _border(page, "#id_title") == _border(page, "#id_programme")
    assert _border(page, "#id_title") != untouched
    axe_check(page)
    screenshot(page, "validation-requisition-empty")

    # when: they fill it in with a target fill date already past
    page.get_by_label("Programme").select_option(index=1)
    page.get_by_label("Title").fill("Weekend supervisor")
    page.get_by_label("Location").fill("York")
    page.get_by_label("Country").select_option("GB")
    page.get_by_label("Hiring manager").select_option(index=1)
    page.get_by_label("Recruiter").select_option(index=1)
    page.get_by_label("Target fill date").fill("2020-01-01")
    page.get_by_role("button", name="Create requisition").click()

    # then: it is saved, and a warning says the date has passed
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekend supervisor")
    expect(page.locator(".toast-warning")).to_contain_text("has already passed")
    detail_url = page.url

    # when: they schedule its kick-off on a day gone, with a wrong currency, a band upside down
    # and no duration
    page.goto(detail_url + "kickoff/")
    page.get_by_label("Scheduled for").fill("2020-01-01T09:00")
    page.get_by_label("Duration (minutes)").fill("")
    page.get_by_label("Salary currency").fill("GB")
    page.get_by_label("Salary from").fill("50000")
    page.get_by_label("Salary to").fill("40000")
    page.get_by_role("button", name="Schedule and send invitations").click()

    # then: all four problems come back together, each beside its field, with the zone named
    expect(page.locator("#id_scheduled_at_error")).to_contain_text("is in the past")
    expect(page.locator("#id_duration_minutes_error")).to_contain_text("required")
    expect(page.locator("#id_salary_currency_error")).to_contain_text("three-letter")
    expect(page.locator("#id_salary_max_error")).to_contain_text("below its bottom")
    expect(page.locator("#id_scheduled_at_helptext")).to_contain_text("Europe/London")
    expect(page.get_by_label("Salary currency")).to_have_value("GB")  # nothing typed is lost
    axe_check(page)
    screenshot(page, "validation-kickoff-errors")

    # when: they put it right, for tomorrow at 09:00
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.get_by_label("Scheduled for").fill(f"{tomorrow}T09:00")
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_label("Salary currency").fill("GBP")
    page.get_by_label("Salary to").fill("60000")
    page.get_by_role("button", name="Schedule and send invitations").click()

    # then: the page shows the time with its zone, and no "held" button before it has started
    kickoff = page.locator("section[aria-labelledby=kickoff-heading]")
    zone = dt.datetime.fromisoformat(f"{tomorrow}T09:00").replace(
        tzinfo=timezone.get_default_timezone()
    )
    expect(kickoff).to_contain_text(f"09:00 {zone.strftime('%Z')}")  # GMT or BST
    expect(page.get_by_role("button", name="Mark kick-off as held")).to_have_count(0)
    expect(kickoff).to_contain_text("once its start time has come")
    screenshot(page, "validation-kickoff-scheduled")
