"""Foundation journeys in headless Chromium: log in, land on the organisation, switch organisation."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_talent_lead_logs_in_and_lands_on_the_organisation_dashboard(page: Page, demo: str):
    # given: the login page
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to RPO Portal")
    axe_check(page)
    screenshot(page, "login")
    # when: the demo talent lead logs in
    login(page, "lead@acme.example", demo)
    # then: straight to the only organisation's dashboard
    assert page.url.endswith("/orgs/acme/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page).to_have_title("Dashboard · Acme Retail Group")
    banner = page.get_by_role("banner")
    expect(banner.locator(".org-switcher summary")).to_have_text("Acme Retail Group")
    expect(banner.locator(".user-menu summary")).to_contain_text("Acme Talent lead")
    nav = page.get_by_role("navigation", name="Acme Retail Group")
    expect(nav.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(nav).to_contain_text("Talent lead")
    expect(page.get_by_role("link", name="New programme")).to_be_visible()
    axe_check(page)
    screenshot(page, "dashboard-talent-lead")


def test_wrong_password_shows_the_error_next_to_the_form(page: Page, demo: str):
    # given
    page.goto("/accounts/login/")
    # when
    page.get_by_label("Email").fill("lead@acme.example")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    # then
    expect(page.get_by_role("alert")).to_contain_text("That email and password do not match")
    expect(page.get_by_label("Email")).to_have_value("lead@acme.example")
    axe_check(page)
    screenshot(page, "login-error")


def test_provider_admin_switches_organisation_with_the_top_bar(page: Page, demo: str):
    # given: the provider admin sees both organisations
    login(page, "admin@provider.example", demo)
    assert page.url.endswith("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisations")
    expect(page.locator(".org-list a")).to_have_text(
        [
            "Acme Retail Group Provider admin",
            "Globex Engineering Provider admin",
        ]
    )
    axe_check(page)
    screenshot(page, "organisations")
    page.get_by_role("link", name="Acme Retail Group").click()
    expect(page).to_have_title("Dashboard · Acme Retail Group")
    expect(page.get_by_role("navigation", name="Acme Retail Group")).to_contain_text(
        "Provider admin (read-only)"
    )
    expect(page.get_by_role("link", name="New programme")).to_have_count(0)
    axe_check(page)
    # when: they open the organisation switcher and choose the other organisation
    switcher = page.get_by_role("navigation", name="Organisations")
    switcher.locator("summary").click()
    expect(switcher.get_by_role("link", name="Acme Retail Group")).to_have_attribute(
        "aria-current", "page"
    )
    axe_check(page)
    screenshot(page, "switcher-open")
    switcher.get_by_role("link", name="Globex Engineering").click()
    # then: the page shows the other organisation
    page.wait_for_url("**/orgs/globex/")
    expect(page).to_have_title("Dashboard · Globex Engineering")
    expect(page.get_by_role("banner").locator(".org-switcher summary")).to_have_text(
        "Globex Engineering"
    )
    expect(page.get_by_role("navigation", name="Globex Engineering")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Globex Engineering")
    expect(main).not_to_contain_text("Acme")
    axe_check(page)
    screenshot(page, "dashboard-provider-admin-globex")


def test_password_change_and_logout(page: Page, demo: str):
    # given
    login(page, "recruiter@globex.example", demo)
    # when: they open the user menu and go to change the password
    page.get_by_role("banner").locator(".user-menu summary").click()
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change password")
    axe_check(page)
    page.get_by_label("Old password").fill(demo)
    page.get_by_label(re.compile(r"^New password\W*$")).fill("short")
    page.get_by_label("New password confirmation").fill("short")
    page.get_by_role("button", name="Change password").click()
    # then: the validators' message is shown by the field
    expect(page.locator(".field-invalid .error").first).to_contain_text(
        "This password is too short"
    )
    axe_check(page)
    screenshot(page, "password-change-error")
    # and logging out from the user menu returns to the login page
    page.get_by_role("banner").locator(".user-menu summary").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/orgs/globex/")
    assert "/accounts/login/" in page.url


def test_password_reset_by_email_in_the_browser(page: Page, demo: str):
    # given: the viewer has forgotten their password
    mail.outbox.clear()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe_check(page)
    # when: they ask for the link
    page.get_by_label("Email").fill("viewer@acme.example")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe_check(page)
    # then: the email arrives (the live server shares this process's locmem outbox)
    assert [m.to for m in mail.outbox] == [["viewer@acme.example"]]
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[0].body)
    assert link is not None
    # and its link lets them choose a new password and log in with it
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    axe_check(page)
    screenshot(page, "password-reset-confirm")
    page.get_by_label(re.compile(r"^New password\W*$")).fill("saffron-kettle-drum-31")
    page.get_by_label("New password confirmation").fill("saffron-kettle-drum-31")
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password set")
    axe_check(page)
    login(page, "viewer@acme.example", "saffron-kettle-drum-31")
    assert page.url.endswith("/orgs/acme/")


def test_viewer_sees_the_403_and_404_pages(page: Page, demo: str):
    # given
    login(page, "viewer@acme.example", demo)
    expect(page.get_by_role("link", name="New programme")).to_have_count(0)
    # when: a viewer opens the new-programme form by its address
    response = page.goto("/orgs/acme/programmes/new/")
    # then: they are told why before typing anything, with no form to fill in
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You can read this but not change it")
    expect(page.get_by_role("main")).to_contain_text("Viewers can read this organisation")
    expect(page.locator("main form")).to_have_count(0)
    axe_check(page)
    screenshot(page, "forbidden")
    # when: they open an organisation they do not belong to
    response = page.goto("/orgs/globex/")
    # then: the same page as for an address that does not exist
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_role("main")).not_to_contain_text("Globex")
    axe_check(page)
    screenshot(page, "not-found")
