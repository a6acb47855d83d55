"""Login, logout, password reset by email and password change, through Django's auth views."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-lantern-orbit-77"


def _session_user_id(client) -> str | None:  # type: ignore[no-untyped-def]
    return client.session.get("_auth_user_id")


def test_login_with_email_and_password_starts_a_session(client):
    # given
    user = UserFactory(email="ada@example.test")
    # when
    response = client.post(
        reverse("accounts:login"), {"username": "ada@example.test", "password": TEST_PASSWORD}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _session_user_id(client) == str(user.pk)


def test_login_page_renders_labelled_email_and_password_fields(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Email' in html
    assert '<label for="id_password">Password' in html
    assert 'type="email"' in html


def test_login_with_wrong_password_shows_the_specific_error(client):
    # given
    UserFactory(email="ada@example.test")
    # when
    response = client.post(
        reverse("accounts:login"), {"username": "ada@example.test", "password": "not-it-at-all"}
    )
    # then
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.content.decode()
    assert _session_user_id(client) is None


def test_login_with_unknown_email_shows_the_same_error(client):
    response = client.post(
        reverse("accounts:login"), {"username": "nobody@example.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.content.decode()
    assert _session_user_id(client) is None


def test_login_keeps_the_typed_email_after_a_failed_attempt(client):
    UserFactory(email="ada@example.test")
    response = client.post(
        reverse("accounts:login"), {"username": "ada@example.test", "password": "wrong"}
    )
    assert 'value="ada@example.test"' in response.content.decode()


def test_logout_by_post_ends_the_session(client):
    # given
    client.force_login(UserFactory())
    # when
    response = client.post(reverse("accounts:logout"))
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert _session_user_id(client) is None
    assert client.get(reverse("home")).status_code == 302  # back to the login page


def test_logout_by_get_is_refused_and_keeps_the_session(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert _session_user_id(client) == str(user.pk)


def test_password_reset_email_arrives_and_its_link_sets_a_new_password(client):
    # given
    user = UserFactory(email="grace@example.test")
    # when: she asks for the link
    response = client.post(reverse("accounts:password_reset"), {"email": "grace@example.test"})
    # then: the email is sent to her, with a link
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace@example.test"]
    links = re.findall(r"https?://[^/\s]+(/accounts/password/reset/[^\s\"<]+/)", message.body)
    assert links, message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert links[0] in html
    # when: she follows the link (Django swaps the token for a session marker and redirects)
    response = client.get(links[0], follow=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    # then: the new password works and the old one does not
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(TEST_PASSWORD)
    response = client.post(
        reverse("accounts:login"), {"username": "grace@example.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert _session_user_id(client) == str(user.pk)


def test_password_reset_link_works_only_once(client):
    UserFactory(email="grace@example.test")
    client.post(reverse("accounts:password_reset"), {"email": "grace@example.test"})
    link = re.findall(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body)[0]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert response.context["validlink"] is False
    assert "This link has expired" in response.content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_looks_the_same(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_password_reset_rejects_a_weak_new_password(client):
    user = UserFactory(email="grace@example.test")
    client.post(reverse("accounts:password_reset"), {"email": "grace@example.test"})
    link = re.findall(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body)[0]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]

    response = client.post(set_url, {"new_password1": "password", "new_password2": "password"})

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_password_change_sets_the_new_password_and_keeps_the_session(client):
    # given
    user = UserFactory()
    client.force_login(user)
    # when
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert _session_user_id(client) == str(user.pk)
    assert client.get(reverse("accounts:password_change_done")).status_code == 200


def test_password_change_with_a_wrong_old_password_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short1", "This password is too short. It must contain at least 8 characters."),
        ("password123", "This password is too common."),
        ("83749201937", "This password is entirely numeric."),
    ],
)
def test_password_change_rejects_a_weak_password_by_the_validators(client, weak, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


def test_password_change_needs_a_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_email_is_case_insensitive(client):
    user = UserFactory(email="ada@example.test")
    response = client.post(
        reverse("accounts:login"), {"username": " Ada@Example.TEST ", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert _session_user_id(client) == str(user.pk)


def test_a_member_added_without_a_password_sets_one_through_the_reset_email(client, tenant_a):
    # given: `addmember` without --password leaves the password unusable
    from django.core.management import call_command

    call_command(
        "addmember", "--org=acme", "--email=new@example.test", "--role=viewer", stdout=StringIO()
    )
    # when
    client.post(reverse("accounts:password_reset"), {"email": "new@example.test"})
    # then
    assert [m.to for m in mail.outbox] == [["new@example.test"]]
    link = re.findall(r"https?://[^/\s]+(/accounts/password/reset/[^\s]+/)", mail.outbox[0].body)[0]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = client.post(
        reverse("accounts:login"), {"username": "new@example.test", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(f"/orgs/{tenant_a.slug}/").status_code == 200


def test_password_reset_is_not_sent_to_an_inactive_user(client):
    UserFactory(email="gone@example.test", is_active=False)
    client.post(reverse("accounts:password_reset"), {"email": "gone@example.test"})
    assert mail.outbox == []


def test_login_is_refused_after_too_many_failures_for_one_email(client, settings, tenant_a):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        wrong = client.post(
            "/accounts/login/", {"username": tenant_a.lead.email, "password": "nope-nope-1"}
        )
        assert "do not match an account" in wrong.content.decode()
    # then even the right password is refused for a while, with a message that says why
    refused = client.post(
        "/accounts/login/", {"username": tenant_a.lead.email, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 200 and "Too many failed attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # and another account from the same address is not affected
    other = client.post(
        "/accounts/login/", {"username": tenant_a.recruiter.email, "password": TEST_PASSWORD}
    )
    assert other.status_code == 302
