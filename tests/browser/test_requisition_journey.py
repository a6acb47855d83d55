"""A recruiter's day in headless Chromium: open a requisition, hold the kick-off, move a
candidate to accepted, and see the requisition fill itself."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_recruiter_opens_kicks_off_and_fills_a_requisition(page: Page, demo: str):
    # given: the recruiter on the requisition list, overdue work called out first
    login(page, "recruiter@acme.example", demo)
    page.goto("/orgs/acme/requisitions/")
    expect(page.get_by_text("Past target date").first).to_be_visible()
    axe_check(page)
    screenshot(page, "requisitions-list")

    # when: they open a new requisition
    page.get_by_role("link", name="New requisition").first.click()
    page.get_by_label("Programme").select_option(index=1)
    page.get_by_label("Title").fill("Deputy store manager")
    page.get_by_label("Location").fill("Sheffield")
    page.get_by_label("Country").select_option("GB")
    page.get_by_label("Openings").fill("1")
    page.get_by_label("Hiring manager").select_option(index=1)
    page.get_by_label("Recruiter").select_option(index=1)
    target = (timezone.localdate() + dt.timedelta(days=45)).isoformat()
    page.get_by_label("Target fill date").fill(target)
    page.get_by_label("Open it now").check()
    axe_check(page)
    page.get_by_role("button", name="Create requisition").click()

    # then: its page shows it open, with no kick-off yet
    errors = page.locator(".field-invalid label").all_inner_texts()
    assert "/new/" not in page.url, errors
    expect(page.get_by_role("heading", level=1)).to_have_text("Deputy store manager")
    expect(page.locator(".page-header .status-open")).to_have_text("Open")
    detail_url = page.url

    # when: they schedule the kick-off and then hold it
    page.get_by_role("link", name="Schedule kick-off").click()
    # Now (to the minute): it can be marked as held at once, never before its time.
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Scheduled for").fill(when)
    page.get_by_label("Must-haves").fill("Led a team of 10\nWeekend availability")
    page.get_by_label("Interview plan").fill(
        "Screening call: Acme RPO recruiter\nPanel: Priya Shah"
    )
    axe_check(page)
    screenshot(page, "kickoff-form")
    page.get_by_role("button", name="Schedule and send invitations").click()
    expect(page.get_by_text("Kick-off saved")).to_be_visible()
    page.get_by_role("button", name="Mark kick-off as held").click()
    expect(page.locator("section[aria-labelledby=kickoff-heading] .badge-success")).to_have_text(
        "Held"
    )
    expect(page.locator(".timeline")).to_contain_text("Kick-off held")

    # when: they add a candidate on the board and move them through the pipeline (htmx)
    page.get_by_role("link", name="Pipeline board").click()
    page.get_by_label("Name").fill("Rosa Lind")
    page.get_by_label("Email").fill("rosa.lind@candidates.example")
    page.get_by_role("button", name="Add at Applied").click()
    card = page.locator(".board-card", has_text="Rosa Lind")
    expect(page.locator(".board-col-applied")).to_contain_text("Rosa Lind")
    for stage in ("Screening", "Interview", "Offer"):
        with page.expect_response(lambda r: "/move/" in r.url and r.status == 200):
            card.get_by_role("button", name=f"Move to {stage}").click()
        expect(page.locator(f".board-col-{stage.lower()}")).to_contain_text("Rosa Lind")
    axe_check(page)
    screenshot(page, "pipeline-board")
    start = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    card.get_by_label("Start date", exact=True).fill(start)
    with page.expect_response(lambda r: "/move/" in r.url and r.status == 200):
        card.get_by_role("button", name="Offer accepted").click()
    expect(page.locator(".board-col-accepted")).to_contain_text("Rosa Lind")

    # then: the requisition filled itself, and its timeline says why
    page.goto(detail_url)
    expect(page.locator(".page-header .status-filled")).to_have_text("Filled")
    expect(page.locator(".timeline")).to_contain_text("Open → Filled")
    expect(page.locator(".timeline")).to_contain_text("Accepted offers reached the openings")
    axe_check(page)
    screenshot(page, "requisition-filled")

    # and: the candidate page lists the application
    page.get_by_role("link", name="candidate").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Lind")
    axe_check(page)
    screenshot(page, "candidate")
