"""A programme and its requisitions belong together: the live programme's overview shows its Run
at a glance, and every figure opens exactly the rows it counts."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOT_DIR, axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _open_live_programme(page: Page) -> None:
    page.goto("/orgs/acme/programmes/")
    page.get_by_role("link", name="UK store management hiring").first.click()
    expect(page.get_by_role("heading", name="Run at a glance")).to_be_visible()


def _full_page(page: Page, name: str) -> None:
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-full-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})


def test_talent_lead_goes_from_the_programme_run_to_exactly_its_rows(page: Page, demo: str):
    # given: the talent lead on the live programme's overview
    login(page, "lead@acme.example", demo)
    _open_live_programme(page)
    run = page.locator("section", has=page.get_by_role("heading", name="Run at a glance"))
    axe_check(page)
    screenshot(page, "programme-run-lead")
    _full_page(page, "programme-run-lead")
    overview = page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # when: they open each tile, then each stage of the pipeline
    tiles = run.locator("a.tile-link")
    for i in range(tiles.count()):
        tile = tiles.nth(i)
        figure = int(tile.locator(".tile-value").inner_text())
        tile.click()
        # then: the list shows that many requisitions of this programme, and nothing else
        assert re.search(r"programme=\d+", page.url)
        if figure:
            expect(page.locator(".result-count")).to_contain_text(
                f"{figure} requisition" + ("s" if figure != 1 else "")
            )
        else:
            expect(page.get_by_role("heading", name="No requisitions match these filters"))
        page.goto(overview)
    stages = run.locator("tbody a")
    assert stages.count() == 4
    for i in range(stages.count()):
        figure = int(stages.nth(i).inner_text())
        stages.nth(i).click()
        if figure:
            expect(page.locator(".result-count")).to_contain_text(
                f"{figure} application" + ("s" if figure != 1 else "")
            )
        else:
            expect(page.get_by_role("heading", name="No applications match these filters"))
        if i == 1:
            axe_check(page)
            screenshot(page, "programme-pipeline-applications")
        page.goto(overview)

    # and the requisition list filters by programme from its own filter bar
    page.goto("/orgs/acme/requisitions/")
    page.get_by_label("Programme").select_option(label="Graduate intake 2027")
    page.get_by_label("Status").select_option(label="Any status")
    expect(page.locator("#requisition-results")).to_contain_text("Graduate buyer")
    expect(page.locator("#requisition-results")).not_to_contain_text("Area manager")
    screenshot(page, "requisitions-by-programme")


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("viewer@acme.example", "viewer"),
        ("recruiter@acme.example", "recruiter"),
        ("admin@provider.example", "provider-admin"),
    ],
)
def test_every_role_reads_the_programme_run(page: Page, demo: str, email: str, name: str):
    login(page, email, demo)
    if name == "provider-admin":
        page.goto("/orgs/acme/")
    _open_live_programme(page)
    axe_check(page)
    screenshot(page, f"programme-run-{name}")
    page.goto("/orgs/acme/programmes/")
    page.get_by_role("link", name="Graduate intake 2027").first.click()
    expect(page.get_by_role("heading", name="Run at a glance")).to_be_visible()
    _full_page(page, f"programme-build-{name}")
