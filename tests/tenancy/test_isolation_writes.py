"""Group 9: writes through the API cannot reach another tenant.

A foreign id in a related field is a 400 (the field's queryset is the scoped manager), and an
`organisation` in the body is ignored: the row lands in the URL's organisation.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from changeplans.models import ChangePlan
from programmes.models import Programme
from rpo_portal.tenancy.context import TenantScopeError, tenant_context
from rpo_portal.tenancy.models import TenantOwned
from tests.factories import ProgrammeFactory
from tests.tenancy import sweep


def _api(tenant) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(tenant.lead)
    return client


@pytest.fixture
def programmes(tenant_a, tenant_b):  # type: ignore[no-untyped-def]
    with tenant_a.scope():
        a = ProgrammeFactory(name="Acme programme")
    with tenant_b.scope():
        b = ProgrammeFactory(name="Globex programme")
    return a, b


def test_a_foreign_programme_id_is_a_400(programmes, tenant_a, tenant_b):
    a, b = programmes
    url = f"/api/v1/orgs/{tenant_b.slug}/change-plans/"
    client = _api(tenant_b)
    response = client.post(
        url, {"programme": a.pk, "title": "Plan"}, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["programme"]
    # The same body with B's own programme is fine: the id was the only fault.
    ok = client.post(url, {"programme": b.pk, "title": "Plan"}, content_type="application/json")
    assert ok.status_code == 201, ok.content
    with tenant_a.scope():
        assert not ChangePlan.objects.exists()


def test_a_foreign_member_as_owner_is_a_400(programmes, tenant_a, tenant_b):
    _a, b = programmes
    response = _api(tenant_b).post(
        f"/api/v1/orgs/{tenant_b.slug}/change-plans/",
        {"programme": b.pk, "title": "Plan", "owner": tenant_a.lead.pk},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert [e["field"] for e in response.json()["errors"]] == ["owner"]


def test_a_foreign_member_as_checklist_owner_is_a_400(programmes, tenant_a, tenant_b):
    _a, b = programmes
    client = _api(tenant_b)
    url = f"/api/v1/orgs/{tenant_b.slug}/programmes/{b.pk}/checklist/"
    item = client.post(
        url, {"section": "process", "title": "Item"}, content_type="application/json"
    )
    assert item.status_code == 201, item.content
    detail = f"{url}{item.json()['id']}/"
    foreign = client.patch(detail, {"owner": tenant_a.lead.pk}, content_type="application/json")
    assert foreign.status_code == 400, foreign.content
    own = client.patch(detail, {"owner": tenant_b.viewer.pk}, content_type="application/json")
    assert own.status_code == 200, own.content


def test_moving_a_row_to_a_foreign_parent_is_a_400(programmes, tenant_a, tenant_b):
    a, b = programmes
    client = _api(tenant_b)
    created = client.post(
        f"/api/v1/orgs/{tenant_b.slug}/change-plans/",
        {"programme": b.pk, "title": "Plan"},
        content_type="application/json",
    ).json()
    response = client.patch(
        f"/api/v1/orgs/{tenant_b.slug}/change-plans/{created['id']}/",
        {"programme": a.pk},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    with tenant_b.scope():
        assert ChangePlan.objects.get(pk=created["id"]).programme_id == b.pk


def test_organisation_in_the_body_is_ignored(programmes, tenant_a, tenant_b):
    _a, b = programmes
    client = _api(tenant_b)
    smuggled = {
        "organisation": tenant_a.organisation.pk,
        "organisation_id": tenant_a.organisation.pk,
    }
    created = client.post(
        f"/api/v1/orgs/{tenant_b.slug}/programmes/",
        {"name": "Smuggled", **smuggled},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    updated = client.patch(
        f"/api/v1/orgs/{tenant_b.slug}/programmes/{b.pk}/",
        {"name": "Renamed", **smuggled},
        content_type="application/json",
    )
    assert updated.status_code == 200, updated.content
    form = client.post(
        f"/orgs/{tenant_b.slug}/programmes/new/",
        {"name": "Form", "scope": "end_to_end", "delivery_model": "project", **smuggled},
    )
    assert form.status_code == 302
    with tenant_b.scope():
        names = set(Programme.objects.values_list("name", flat=True))
        assert {"Smuggled", "Renamed", "Form"} <= names
        assert set(Programme.objects.values_list("organisation_id", flat=True)) == {
            tenant_b.organisation.pk
        }
    with tenant_a.scope():
        assert list(Programme.objects.values_list("name", flat=True)) == ["Acme programme"]


# --- every related field of every API serializer is scoped ------------------------------------


def _api_serializers() -> list[tuple[str, type[serializers.BaseSerializer]]]:
    found = []
    for leaf in sweep.iter_leaves():
        view = getattr(leaf.callback, "cls", None)
        serializer_class = getattr(view, "serializer_class", None)
        if serializer_class is not None:
            found.append((leaf.name or leaf.route, serializer_class))
    return found


def _related_fields(serializer: serializers.BaseSerializer) -> list[tuple[str, Any]]:
    out = []
    for name, field in serializer.fields.items():
        child = getattr(field, "child_relation", field)
        if isinstance(child, serializers.RelatedField) and not child.read_only:
            out.append((name, child))
    return out


def test_every_writable_related_field_rejects_another_tenants_row(tenant_a, tenant_b):
    """Each writable related field, given a row of A while in B, fails validation."""
    sweep.prepare_targets(tenant_a.organisation)  # rows of A for every URL kwarg's model
    checked, missing = [], []
    for where, serializer_class in _api_serializers():
        with tenant_context(tenant_b.organisation):
            fields = _related_fields(serializer_class(context={}))
        for name, field in fields:
            model = field.queryset.model if field.queryset is not None else None
            if model is None:
                continue
            if not issubclass(model, TenantOwned):
                continue  # users: the services check membership (see the owner tests)
            with tenant_context(tenant_a.organisation):
                row = model.all_tenants.filter(organisation=tenant_a.organisation).first()
            if row is None:
                missing.append(f"{where}.{name}: no row of {model.__name__} in A to try")
                continue
            with tenant_context(tenant_b.organisation), pytest.raises(ValidationError):
                field.run_validation(row.pk)
            checked.append(f"{where}.{name}")
    assert not missing, missing
    assert any(c.endswith(".programme") for c in checked), checked
    print(f"\nrelated fields checked: {len(checked)}")


def test_a_test_only_serializer_over_programme_is_scoped_too(programmes, tenant_b):
    """A related field declared at import time (no tenant then) filters when it validates."""

    class Pick(serializers.Serializer):
        programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all())

    a, b = programmes
    with tenant_context(tenant_b.organisation):
        foreign = Pick(data={"programme": a.pk})
        assert not foreign.is_valid()
        assert foreign.errors["programme"][0].code == "does_not_exist"
        own = Pick(data={"programme": b.pk})
        assert own.is_valid(), own.errors
    with pytest.raises(TenantScopeError):
        Pick(data={"programme": b.pk}).is_valid()
