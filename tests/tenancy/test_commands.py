"""Management commands: createorganisation, addmember, seed_demo and db_roles --print-url."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from psycopg import sql

from rpo_portal.accounts.models import User
from rpo_portal.tenancy.models import Membership, Organisation
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "violet-harbour-engine-58"


def run(*args: str, **options: object) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def memberships_of(organisation: Organisation) -> list[tuple[str, str]]:
    """(email, role) of every member; read in the organisation's scope, as RLS requires."""
    from rpo_portal.tenancy.context import tenant_context

    with tenant_context(organisation):
        return sorted(Membership.objects.values_list("user__email", "role"))


def row_counts() -> dict[str, int]:
    """Rows in every table, counted by the owner role (RLS does not hide other tenants)."""
    from tests.conftest import owner_connect

    with owner_connect() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('django_migrations', 'django_session') ORDER BY 1"
            )
        ]
        return {
            t: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(t))
            ).fetchone()[0]
            for t in tables
        }


# --- createorganisation ---------------------------------------------------------------------


def test_createorganisation_creates_the_organisation():
    # when
    out = run("createorganisation", "--slug", "initech", "--name", "Initech Ltd")
    # then
    organisation = Organisation.objects.get(slug="initech")
    assert organisation.name == "Initech Ltd"
    assert organisation.timezone == "Europe/London"
    assert "Created organisation Initech Ltd (initech)." in out


def test_createorganisation_takes_timezone_and_brand_colour():
    run(
        "createorganisation",
        "--slug=initech",
        "--name=Initech",
        "--timezone=Europe/Berlin",
        "--brand-colour=#0f7a5a",
    )
    organisation = Organisation.objects.get(slug="initech")
    assert (organisation.timezone, organisation.brand_colour) == ("Europe/Berlin", "#0f7a5a")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--slug", "Not A Slug!", "--name", "X"], "--slug: Enter a valid “slug”"),
        (["--slug", "ok", "--name", ""], "--name: This field cannot be blank."),
        (["--slug", "ok", "--name", "X", "--timezone", "Mars/Olympus"], "--timezone: "),
        (["--slug", "ok", "--name", "X", "--brand-colour", "blue"], "--brand-colour: Enter a"),
        (["--name", "X"], "the following arguments are required: --slug"),
    ],
)
def test_createorganisation_bad_arguments_name_the_argument_and_create_nothing(args, message):
    with pytest.raises(CommandError) as error:
        run("createorganisation", *args)
    assert message in str(error.value)
    assert error.value.returncode == 1
    assert Organisation.objects.count() == 0


def test_createorganisation_refuses_a_duplicate_slug(tenant_a):
    with pytest.raises(CommandError) as error:
        run("createorganisation", "--slug", tenant_a.slug, "--name", "Another Acme")
    assert str(error.value) == "--slug: an organisation with slug 'acme' already exists."
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Acme Ltd"]


def test_bad_arguments_exit_non_zero_from_the_command_line(tenant_a):
    # given: a real manage.py process against this test database
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rpo_portal.settings.test",
        "TEST_DATABASE_NAME": connection.settings_dict["NAME"],
    }
    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "createorganisation", "--slug", "Bad Slug", "--name", "X"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then
    assert result.returncode == 1
    assert "--slug: Enter a valid “slug”" in result.stderr
    assert result.stdout == ""


# --- addmember ------------------------------------------------------------------------------


def test_addmember_creates_a_user_with_a_password_and_a_membership(tenant_a):
    # when
    out = run(
        "addmember",
        "--org=acme",
        "--email=New.Person@Example.test",
        "--role=recruiter",
        f"--password={STRONG}",
        "--name=New Person",
    )
    # then
    user = User.objects.get(email="new.person@example.test")
    assert user.full_name == "New Person"
    assert user.check_password(STRONG)
    assert ("new.person@example.test", "recruiter") in memberships_of(tenant_a.organisation)
    assert "new.person@example.test is now recruiter in acme." in out
    # and the new user can log in with it
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "new.person@example.test", "password": STRONG}
    )
    assert response.status_code == 302


def test_addmember_without_password_creates_a_user_who_cannot_log_in_yet(tenant_a):
    out = run("addmember", "--org=acme", "--email=later@example.test", "--role=viewer")
    assert "Forgotten your password?" in out
    user = User.objects.get(email="later@example.test")
    assert not user.has_usable_password()
    assert ("later@example.test", "viewer") in memberships_of(tenant_a.organisation)


def test_addmember_changes_the_role_of_an_existing_member_without_a_duplicate(tenant_a):
    run("addmember", "--org=acme", f"--email={tenant_a.viewer.email}", "--role=talent_lead")
    run("addmember", "--org=acme", f"--email={tenant_a.viewer.email}", "--role=talent_lead")
    members = memberships_of(tenant_a.organisation)
    assert [m for m in members if m[0] == tenant_a.viewer.email] == [
        (tenant_a.viewer.email, "talent_lead")
    ]
    tenant_a.viewer.refresh_from_db()
    assert tenant_a.viewer.check_password(TEST_PASSWORD)  # no --password: unchanged


def test_addmember_adds_an_existing_user_to_a_second_organisation(tenant_a, tenant_b):
    run("addmember", "--org=globex", f"--email={tenant_a.lead.email}", "--role=viewer")
    assert (tenant_a.lead.email, "viewer") in memberships_of(tenant_b.organisation)
    assert (tenant_a.lead.email, "talent_lead") in memberships_of(tenant_a.organisation)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--org=nope", "--email=x@example.test", "--role=viewer"],
            "--org: no organisation with slug 'nope'.",
        ),
        (
            ["--org=acme", "--email=x@example.test", "--role=owner"],
            "argument --role: invalid choice: 'owner'",
        ),
        (
            ["--org=acme", "--email=x@example.test", "--role=viewer", "--password=password"],
            "--password: This password is too common.",
        ),
        (
            ["--org=acme", "--email=x@example.test", "--role=viewer", "--password=abc"],
            "--password: This password is too short.",
        ),
        (
            ["--org=acme", "--email=not-an-email", "--role=viewer", f"--password={STRONG}"],
            "--email: Enter a valid email address.",
        ),
        (["--org=acme", "--role=viewer"], "the following arguments are required: --email"),
    ],
)
def test_addmember_bad_arguments_name_the_argument_and_create_nothing(tenant_a, args, message):
    # given
    before_users = User.objects.count()
    before_members = memberships_of(tenant_a.organisation)
    # when
    with pytest.raises(CommandError) as error:
        run("addmember", *args)
    # then
    assert message in str(error.value)
    assert User.objects.count() == before_users
    assert memberships_of(tenant_a.organisation) == before_members


def test_addmember_with_a_weak_password_leaves_an_existing_users_password_alone(tenant_a):
    with pytest.raises(CommandError, match="--password: "):
        run(
            "addmember",
            "--org=acme",
            f"--email={tenant_a.lead.email}",
            "--role=viewer",
            "--password=12345678",
        )
    tenant_a.lead.refresh_from_db()
    assert tenant_a.lead.check_password(TEST_PASSWORD)
    assert (tenant_a.lead.email, "talent_lead") in memberships_of(tenant_a.organisation)


# --- seed_demo ------------------------------------------------------------------------------

DEMO_EMAILS = [
    "admin@provider.example",
    "lead@acme.example",
    "recruiter@acme.example",
    "viewer@acme.example",
    "lead@globex.example",
    "recruiter@globex.example",
    "viewer@globex.example",
]


def test_seed_demo_creates_the_organisations_and_users_and_prints_the_logins():
    # when
    out = run("seed_demo")
    # then
    assert sorted(Organisation.objects.values_list("slug", flat=True)) == ["acme", "globex"]
    acme = Organisation.objects.get(slug="acme")
    assert memberships_of(acme) == [
        ("lead@acme.example", "talent_lead"),
        ("recruiter@acme.example", "recruiter"),
        ("viewer@acme.example", "viewer"),
    ]
    assert User.objects.get(email="admin@provider.example").is_provider_admin
    for email in DEMO_EMAILS:
        assert email in out
    assert f"password: {settings.DEMO_PASSWORD}" in out
    assert "/accounts/login/" in out


@pytest.mark.django_db(transaction=True)  # committed, so the owner can count every table
def test_seed_demo_is_idempotent():
    # given
    run("seed_demo")
    first = row_counts()
    # when
    run("seed_demo")
    # then
    assert row_counts() == first
    assert first["tenancy_organisation"] == 2
    assert first["accounts_user"] == len(DEMO_EMAILS)
    assert first["tenancy_membership"] == 6


def test_seed_demo_users_log_in_with_the_demo_password():
    run("seed_demo")
    for email in DEMO_EMAILS:
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": email, "password": settings.DEMO_PASSWORD}
        )
        assert response.status_code == 302, email
        assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


def test_seed_demo_resets_a_changed_demo_password():
    run("seed_demo")
    lead = User.objects.get(email="lead@acme.example")
    lead.set_password(STRONG)
    lead.save()
    run("seed_demo")
    lead.refresh_from_db()
    assert lead.check_password(settings.DEMO_PASSWORD)


def test_seed_demo_with_a_weak_password_creates_nothing():
    with pytest.raises(CommandError) as error:
        run("seed_demo", "--password=password")
    assert "--password: This password is too common." in str(error.value)
    assert Organisation.objects.count() == 0
    assert User.objects.count() == 0


def test_seed_demo_keeps_existing_non_demo_data(tenant_a):
    run("seed_demo")
    assert Organisation.objects.filter(slug="acme").get().name == "Acme Ltd"
    assert UserFactory._meta.model.objects.filter(email=tenant_a.lead.email).exists()


# --- db_roles --print-url -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        ("owner", "DB_OWNER_ROLE"),
        ("runtime", "DB_RUNTIME_ROLE"),
        ("reporting", "DB_REPORTING_ROLE"),
    ],
)
def test_db_roles_print_url_gives_a_url_that_connects_as_that_role(kind, role):
    import psycopg

    # when
    url = run("db_roles", "--print-url", kind).strip()
    # then
    db = connection.settings_dict
    assert url.startswith("postgres://")
    assert url.endswith(f"@{db['HOST']}:{db['PORT']}/{db['NAME']}")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == getattr(settings, role)


def test_db_roles_print_url_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="argument --print-url: invalid choice: 'root'"):
        run("db_roles", "--print-url", "root")
