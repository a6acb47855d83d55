"""Shared browser fixtures: headless Chromium (the system's /usr/bin/chromium) through Playwright.

Use in a test marked `@pytest.mark.browser` that takes `live_server` data through
`transactional_db` (the server thread sees only committed rows):

    @pytest.mark.browser
    def test_journey(page, live_server, transactional_db):
        call_command("seed_demo")
        login(page, "lead@acme.example", settings.DEMO_PASSWORD)
        axe_check(page)
        screenshot(page, "dashboard")

`page` is opened on the live server (relative URLs work with `page.goto("/...")`) at 1280x800.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# axe impacts that fail a test; "minor" and "moderate" findings are reported, not fatal.
FATAL_IMPACTS = frozenset({"serious", "critical"})
TIMEOUT_MS = 15_000

_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run browser tests last.

    Playwright's sync API keeps an event loop running on the main thread while the browser is
    open, so Django's async-safety guard has to be relaxed for the browser session (see
    `browser`); running these tests last keeps that relaxation away from every other test.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    # The loop Playwright runs is its own dispatcher, not async code of ours: ORM calls in the
    # test body still happen synchronously on this thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    """A fresh browser context (no cookies) on the live server, at 1280x800, British English."""
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def demo(transactional_db) -> str:  # type: ignore[no-untyped-def]
    """The demo data, committed so the live server sees it; returns the demo password."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return settings.DEMO_PASSWORD


def login(page: Page, email: str, password: str) -> None:
    """Log in through the real login form; returns once the browser has left the login page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    if "/accounts/login/" in page.url:
        errors = page.locator(".alert, .error").all_inner_texts()
        pytest.fail(f"Login as {email} failed: {errors}")


def axe_check(page: Page) -> list[dict]:
    """Run axe-core on the page; fail on serious or critical violations, return all of them."""
    results = _axe.run(page)
    violations: list[dict] = results.response["violations"]
    fatal = [v for v in violations if v.get("impact") in FATAL_IMPACTS]
    if fatal:
        lines = [f"axe found {len(fatal)} serious/critical violation(s) on {page.url}:"]
        for violation in fatal:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {node['target']}: {node.get('failureSummary', '')}")
        pytest.fail("\n".join(lines))
    return violations


def screenshot(page: Page, name: str) -> list[Path]:
    """Save `<name>-1280x800.png` and `<name>-390x844.png`; the page is left at 1280x800."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    paths = []
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        path = SCREENSHOT_DIR / f"{name}-{size['width']}x{size['height']}.png"
        page.screenshot(path=str(path))
        paths.append(path)
    page.set_viewport_size(DESKTOP)
    return paths
