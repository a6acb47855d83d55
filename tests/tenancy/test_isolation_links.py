"""Group 8: public links `/s/<token>/` expose their own target only, store only a hash, and
answer unknown, expired and used tokens with the same bytes for every tenant."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client
from django.utils import timezone

from programmes.models import Programme
from rpo_portal.tenancy.context import current_organisation_id
from rpo_portal.tenancy.links import (
    LinkGone,
    LinkNotFound,
    PublicLink,
    public_link_issue,
    public_link_mark_used,
    public_link_resolve,
    register_link_handler,
    unregister_link_handler,
)
from tests.factories import ProgrammeFactory

PURPOSE = "test_survey"


def survey_handler(request: HttpRequest, link: PublicLink) -> HttpResponse:
    """What a survey page could reach: its link, and the tenant's rows through the ORM."""
    if request.method == "POST" and not public_link_mark_used(link):
        return HttpResponse("already answered", status=409)
    return JsonResponse(
        {
            "link": link.pk,
            "target": link.target_id,
            "organisation": current_organisation_id(),
            "programmes": sorted(Programme.objects.values_list("name", flat=True)),
            "links": sorted(PublicLink.objects.values_list("pk", flat=True)),
        }
    )


@pytest.fixture(autouse=True)
def handler() -> Iterator[None]:
    register_link_handler(PURPOSE, survey_handler)
    yield
    unregister_link_handler(PURPOSE)


def _issue(tenant, *, days: int = 7, purpose: str = PURPOSE, target: int = 1):  # type: ignore[no-untyped-def]
    with tenant.scope():
        return public_link_issue(
            purpose=purpose, target_id=target, expires_at=timezone.now() + timedelta(days=days)
        )


@pytest.fixture
def links(tenant_a, tenant_b):  # type: ignore[no-untyped-def]
    with tenant_a.scope():
        ProgrammeFactory(name="Acme programme")
    with tenant_b.scope():
        ProgrammeFactory(name="Globex programme")
    return {
        "a": _issue(tenant_a, target=101),
        "b": _issue(tenant_b, target=202),
        "a_expired": _issue(tenant_a, days=-1),
        "b_expired": _issue(tenant_b, days=-1),
        "a_used": _issue(tenant_a),
        "b_used": _issue(tenant_b),
        "a_unhandled": _issue(tenant_a, purpose="nobody_handles_this"),
        "b_unhandled": _issue(tenant_b, purpose="nobody_handles_this"),
    }


def _use(tenant, link: PublicLink) -> None:  # type: ignore[no-untyped-def]
    with tenant.scope():
        assert public_link_mark_used(link)


def test_a_token_opens_only_its_own_link_in_its_own_tenant(links, tenant_a, tenant_b):
    (link_a, token_a), (link_b, token_b) = links["a"], links["b"]
    for client in (Client(), _logged_in(tenant_b)):
        body = client.get(f"/s/{token_a}/").json()
        assert body["link"] == link_a.pk and body["target"] == 101
        assert body["organisation"] == tenant_a.organisation.pk
        assert body["programmes"] == ["Acme programme"]
        assert link_b.pk not in body["links"]
    body = Client().get(f"/s/{token_b}/").json()
    assert (body["link"], body["target"], body["programmes"]) == (
        link_b.pk,
        202,
        ["Globex programme"],
    )


def _logged_in(tenant) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(tenant.lead)
    return client


def test_unknown_expired_and_used_tokens_look_the_same_for_every_tenant(links, tenant_a, tenant_b):
    _use(tenant_a, links["a_used"][0])
    _use(tenant_b, links["b_used"][0])
    client = Client()

    def get(token: str) -> tuple[int, bytes]:
        response = client.get(f"/s/{token}/")
        return response.status_code, response.content

    not_found = {
        get("x" * 43),
        get(links["a"][1][:-1]),
        get(links["a"][1] + "x"),
        get("y" * 500),
        get(links["a_unhandled"][1]),
        get(links["b_unhandled"][1]),
    }
    assert len(not_found) == 1
    status, body = not_found.pop()
    assert status == 404
    gone = {get(links[k][1]) for k in ("a_expired", "b_expired", "a_used", "b_used")}
    assert len(gone) == 1
    status, gone_body = gone.pop()
    assert status == 410
    assert b"expired or was already used" in gone_body
    for page in (body, gone_body):
        for tenant in (tenant_a, tenant_b):
            assert tenant.organisation.name.encode() not in page
            assert tenant.slug.encode() not in page
            assert tenant.organisation.brand_colour.encode() not in page
    # The same bytes for a logged-in member of either tenant.
    for tenant in (tenant_a, tenant_b):
        member = _logged_in(tenant)
        assert member.get(f"/s/{links['a_expired'][1]}/").content == gone_body
        assert member.get("/s/" + "x" * 43 + "/").content == body


def test_a_link_is_used_once(links, tenant_a):
    token = links["a"][1]
    client = Client()
    assert client.post(f"/s/{token}/").status_code == 200
    assert client.get(f"/s/{token}/").status_code == 410
    with tenant_a.scope():
        assert PublicLink.objects.get(pk=links["a"][0].pk).used_at is not None


def test_resolve_service(links, tenant_a):
    organisation, link = public_link_resolve(links["a"][1])
    assert (organisation, link.pk) == (tenant_a.organisation, links["a"][0].pk)
    with pytest.raises(LinkGone):
        public_link_resolve(links["a_expired"][1])
    with pytest.raises(LinkNotFound):
        public_link_resolve("not-a-token")
    with pytest.raises(LinkNotFound):
        public_link_resolve("")


def test_only_the_hash_is_stored(links):
    link, token = links["a"]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert len(token) >= 43  # 32 random bytes
    tokens = [t for _l, t in links.values()]
    # Search every table (the rows are this test's, uncommitted: read them on its connection,
    # once in each tenant, since RLS shows a tenant's rows only in its scope).
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [r[0] for r in cursor.fetchall()]
    hits = []
    for tenant_scope in (links["a"][0].organisation_id, links["b"][0].organisation_id):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL app.tenant_id = '{int(tenant_scope)}'")
            for table in tables:
                cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
                for (text,) in cursor.fetchall():
                    hits += [(table, tok) for tok in tokens if tok in text]
            cursor.execute("SELECT count(*) FROM tenancy_publiclink")
            assert cursor.fetchone()[0] == 4
    assert hits == []


def test_the_lookup_function_returns_ids_only(links, tenant_a):
    link, token = links["a"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM tenancy_public_link_lookup(%s)",
            [hashlib.sha256(token.encode()).hexdigest()],
        )
        assert [c.name for c in cursor.description] == ["organisation_id", "link_id"]
        assert cursor.fetchall() == [(tenant_a.organisation.pk, link.pk)]
        # With no tenant in scope the table itself stays closed to the runtime role.
        cursor.execute("SELECT count(*) FROM tenancy_publiclink")
        assert cursor.fetchone() == (0,)


def test_the_same_hash_in_two_tenants_opens_neither(tenant_a, tenant_b):
    digest = hashlib.sha256(b"collision").hexdigest()
    for tenant in (tenant_a, tenant_b):
        with tenant.scope():
            PublicLink(
                purpose=PURPOSE,
                target_id=1,
                token_hash=digest,
                expires_at=timezone.now() + timedelta(days=1),
            ).save()
    assert Client().get("/s/collision/").status_code == 404
