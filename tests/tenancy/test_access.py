"""Who may open an organisation, in the UI and the API, and who may change its data."""

from __future__ import annotations

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes.models import Programme
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def _without_csrf(body: bytes) -> bytes:
    """CSRF tokens are masked afresh on every render; everything else must be identical."""
    return CSRF_TOKEN.sub(rb"\1<csrf>", body)


# A complete, valid new-programme form: role checks must be the only reason for a refusal.
PROGRAMME_FORM = {
    "name": "Graduates 2027",
    "scope": "early_careers",
    "delivery_model": "project",
    "countries": ["GB"],
    "go_live_target": "2027-01-15",
}


def _programme_count(tenant) -> int:  # type: ignore[no-untyped-def]
    with tenant.scope():
        return Programme.objects.count()


@pytest.fixture
def provider_admin():  # type: ignore[no-untyped-def]
    return UserFactory(email="admin@provider.test", is_provider_admin=True)


def _api(user=None) -> APIClient:  # type: ignore[no-untyped-def]
    """An API client authenticated the way real clients are: with a token header."""
    api = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return api


# --- members see their organisation ---------------------------------------------------------


def test_member_sees_the_organisation_dashboard(client, tenant_a):
    # given
    client.force_login(tenant_a.recruiter)
    # when
    response = client.get(f"/orgs/{tenant_a.slug}/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme Ltd" in html
    assert "<h1>Dashboard</h1>" in html
    assert response.context["organisation"] == tenant_a.organisation
    assert response.context["membership"].user == tenant_a.recruiter


def test_member_sees_the_organisation_in_the_api(tenant_a):
    response = _api(tenant_a.viewer).get(f"/api/v1/orgs/{tenant_a.slug}/")
    assert response.status_code == 200
    assert response.json() == {
        "slug": "acme",
        "name": "Acme Ltd",
        "timezone": "Europe/London",
        "locale": "en-gb",
        "brand_colour": "#1f5fbf",
        "role": "viewer",
    }


def test_member_sees_own_programmes_only(client, tenant_a, tenant_b):
    # given
    with tenant_a.scope():
        ProgrammeFactory(name="Acme secret")
    with tenant_b.scope():
        ProgrammeFactory(name="Globex plan")
    client.force_login(tenant_b.lead)
    # when
    response = client.get(f"/orgs/{tenant_b.slug}/programmes/")
    # then
    assert response.status_code == 200
    assert b"Globex plan" in response.content
    assert b"Acme secret" not in response.content
    assert client.get(f"/orgs/{tenant_a.slug}/programmes/").status_code == 404
    assert _programme_count(tenant_a) == 1


# --- non-members and unknown slugs are indistinguishable ------------------------------------


@pytest.mark.parametrize("path", ["", "programmes/", "programmes/new/", "no-such-page/"])
def test_non_member_and_unknown_slug_get_the_same_404_in_the_ui(client, tenant_a, tenant_b, path):
    # given: a member of globex only
    client.force_login(tenant_b.lead)
    # when
    foreign = client.get(f"/orgs/{tenant_a.slug}/{path}")
    unknown = client.get(f"/orgs/no-such-org/{path}")
    # then
    assert foreign.status_code == unknown.status_code == 404
    assert _without_csrf(foreign.content) == _without_csrf(unknown.content)
    assert b"Page not found" in foreign.content
    assert b"Acme" not in foreign.content


def test_non_member_post_is_a_404_and_writes_nothing(client, tenant_a, tenant_b):
    client.force_login(tenant_b.lead)
    foreign = client.post(f"/orgs/{tenant_a.slug}/programmes/new/", PROGRAMME_FORM)
    unknown = client.post("/orgs/no-such-org/programmes/new/", PROGRAMME_FORM)
    assert foreign.status_code == unknown.status_code == 404
    assert _without_csrf(foreign.content) == _without_csrf(unknown.content)
    assert _programme_count(tenant_a) == 0


@pytest.mark.parametrize("path", ["", "programmes/"])
def test_non_member_and_unknown_slug_get_the_same_404_in_the_api(tenant_a, tenant_b, path):
    api = _api(tenant_b.lead)
    foreign = api.get(f"/api/v1/orgs/{tenant_a.slug}/{path}")
    unknown = api.get(f"/api/v1/orgs/no-such-org/{path}")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content
    assert foreign.json() == {"detail": "Not found."}


def test_non_member_api_post_is_a_404_and_writes_nothing(tenant_a, tenant_b):
    api = _api(tenant_b.lead)
    foreign = api.post(
        f"/api/v1/orgs/{tenant_a.slug}/programmes/", {"name": "Injected"}, format="json"
    )
    unknown = api.post("/api/v1/orgs/no-such-org/programmes/", {"name": "x"}, format="json")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content
    assert _programme_count(tenant_a) == 0


def test_non_member_with_a_browser_session_gets_the_same_404(tenant_a, tenant_b):
    # given: the browser's way into the API, a session cookie
    api = APIClient()
    api.force_login(tenant_b.lead)
    # when
    own = api.get(f"/api/v1/orgs/{tenant_b.slug}/")
    foreign = api.get(f"/api/v1/orgs/{tenant_a.slug}/")
    unknown = api.get("/api/v1/orgs/no-such-org/")
    # then
    assert own.status_code == 200
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.content == unknown.content


@pytest.mark.parametrize("path", ["", "programmes/"])
def test_anonymous_api_gets_401_for_known_and_unknown_slugs_alike(tenant_a, path):
    known = _api().get(f"/api/v1/orgs/{tenant_a.slug}/{path}")
    unknown = _api().get(f"/api/v1/orgs/no-such-org/{path}")
    assert known.status_code == unknown.status_code == 401
    assert known.content == unknown.content
    assert "detail" in known.json()


def test_anonymous_ui_is_sent_to_log_in_for_known_and_unknown_slugs_alike(client, tenant_a):
    known = client.get(f"/orgs/{tenant_a.slug}/")
    unknown = client.get("/orgs/no-such-org/")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == f"/accounts/login/?next=/orgs/{tenant_a.slug}/"
    assert unknown["Location"] == "/accounts/login/?next=/orgs/no-such-org/"


# --- roles: viewers read, talent leads and recruiters write ---------------------------------


def test_viewer_cannot_create_a_programme_in_the_ui(client, tenant_a):
    # given
    client.force_login(tenant_a.viewer)
    # when
    response = client.post(
        f"/orgs/{tenant_a.slug}/programmes/new/", {**PROGRAMME_FORM, "name": "Viewer's"}
    )
    # then
    assert response.status_code == 403
    assert "Viewers can read this organisation" in response.content.decode()
    assert _programme_count(tenant_a) == 0


def test_viewer_is_refused_the_programme_form_page_before_typing(client, tenant_a):
    client.force_login(tenant_a.viewer)
    response = client.get(f"/orgs/{tenant_a.slug}/programmes/new/")
    assert response.status_code == 403
    assert "Viewers can read this organisation" in response.content.decode()


def test_viewer_cannot_create_a_programme_in_the_api(tenant_a):
    response = _api(tenant_a.viewer).post(
        f"/api/v1/orgs/{tenant_a.slug}/programmes/", {"name": "Viewer's"}, format="json"
    )
    assert response.status_code == 403
    assert "permission" in response.json()["detail"]
    assert _programme_count(tenant_a) == 0


def test_viewer_does_not_see_the_new_programme_button(client, tenant_a):
    client.force_login(tenant_a.viewer)
    response = client.get(f"/orgs/{tenant_a.slug}/")
    assert "New programme" not in response.content.decode()
    client.force_login(tenant_a.lead)
    response = client.get(f"/orgs/{tenant_a.slug}/")
    assert "New programme" in response.content.decode()


@pytest.mark.parametrize("role", ["lead", "recruiter"])
def test_writers_can_create_a_programme_in_the_ui(client, tenant_a, role):
    # given
    client.force_login(getattr(tenant_a, role))
    # when
    response = client.post(
        f"/orgs/{tenant_a.slug}/programmes/new/", {**PROGRAMME_FORM, "name": f"By {role}"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"].startswith(f"/orgs/{tenant_a.slug}/programmes/")
    with tenant_a.scope():
        assert list(Programme.objects.values_list("name", flat=True)) == [f"By {role}"]


@pytest.mark.parametrize("role", ["lead", "recruiter"])
def test_writers_can_create_a_programme_in_the_api(tenant_a, role):
    response = _api(getattr(tenant_a, role)).post(
        f"/api/v1/orgs/{tenant_a.slug}/programmes/", {"name": f"By {role}"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["name"] == f"By {role}"
    assert _programme_count(tenant_a) == 1


# --- provider admins read every organisation but write none ---------------------------------


def test_provider_admin_reads_every_organisation(client, tenant_a, tenant_b, provider_admin):
    client.force_login(provider_admin)
    for tenant in (tenant_a, tenant_b):
        response = client.get(f"/orgs/{tenant.slug}/")
        assert response.status_code == 200
        assert tenant.organisation.name in response.content.decode()
        assert "Provider admin (read-only)" in response.content.decode()
        api = _api(provider_admin).get(f"/api/v1/orgs/{tenant.slug}/")
        assert api.status_code == 200
        assert api.json()["role"] is None


def test_provider_admin_cannot_write(client, tenant_a, provider_admin):
    client.force_login(provider_admin)
    ui = client.post(
        f"/orgs/{tenant_a.slug}/programmes/new/", {**PROGRAMME_FORM, "name": "Admin's"}
    )
    api = _api(provider_admin).post(
        f"/api/v1/orgs/{tenant_a.slug}/programmes/", {"name": "Admin's"}, format="json"
    )
    assert ui.status_code == 403
    assert api.status_code == 403
    assert _programme_count(tenant_a) == 0


def test_provider_admin_still_gets_404_for_an_unknown_slug(client, provider_admin):
    client.force_login(provider_admin)
    assert client.get("/orgs/no-such-org/").status_code == 404
    assert _api(provider_admin).get("/api/v1/orgs/no-such-org/").status_code == 404


# --- the organisation list ------------------------------------------------------------------


def test_home_lists_the_users_organisations(client, tenant_a, tenant_b):
    # given: the acme lead is also a viewer at globex; a third organisation is not theirs
    from tests.factories import MembershipFactory

    OrganisationFactory(slug="initech", name="Initech")
    with tenant_b.scope():
        MembershipFactory(user=tenant_a.lead, role="viewer")
    client.force_login(tenant_a.lead)
    # when
    response = client.get("/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert [a.organisation.slug for a in response.context["organisations"]] == ["acme", "globex"]
    assert 'href="/orgs/acme/"' in html
    assert 'href="/orgs/globex/"' in html
    assert "Initech" not in html
    assert [a.role_label for a in response.context["organisations"]] == ["Talent lead", "Viewer"]


def test_home_goes_straight_to_the_only_organisation(client, tenant_a):
    client.force_login(tenant_a.viewer)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{tenant_a.slug}/"


def test_home_without_organisations_says_what_to_do(client, tenant_a):
    client.force_login(UserFactory(email="new@example.test"))
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are not a member of any organisation yet" in html
    assert "new@example.test" in html
    assert "Acme" not in html


def test_home_lists_every_organisation_for_a_provider_admin(
    client, tenant_a, tenant_b, provider_admin
):
    client.force_login(provider_admin)
    response = client.get("/")
    assert [a.organisation.slug for a in response.context["organisations"]] == ["acme", "globex"]


def test_home_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_api_lists_only_the_callers_organisations(tenant_a, tenant_b):
    response = _api(tenant_b.recruiter).get("/api/v1/orgs/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "globex",
            "name": "Globex Ltd",
            "timezone": "Europe/London",
            "locale": "en-gb",
            "brand_colour": "#1f5fbf",
            "role": "recruiter",
        }
    ]


def test_api_lists_every_organisation_for_a_provider_admin(tenant_a, tenant_b, provider_admin):
    response = _api(provider_admin).get("/api/v1/orgs/")
    assert [(o["slug"], o["role"]) for o in response.json()] == [("acme", None), ("globex", None)]


def test_api_organisation_list_needs_authentication(tenant_a):
    response = _api().get("/api/v1/orgs/")
    assert response.status_code == 401
