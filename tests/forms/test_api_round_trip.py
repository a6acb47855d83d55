"""Every API object sent back as it was read changes nothing and is no error.

Discovered from the URL configuration: every API pattern whose view answers PUT or PATCH, filled
with tenant A's objects by the isolation sweep's registry. For each: GET, then PUT (and PATCH) the
same body as a talent lead; the answer is 200 and no row of the organisation changed, not even an
`updated_at`.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from requisitions.models import Requisition
from requisitions.services import kickoff_schedule
from tests.tenancy.sweep import Target, prepare_targets, snapshot

pytestmark = pytest.mark.django_db


def schedule_missing_kickoffs(tenant: Any) -> None:
    """Every requisition of the tenant gets a kick-off, so its kick-off page edits one too."""
    with tenant.scope():
        for requisition in Requisition.objects.filter(kickoffs__isnull=True):
            kickoff_schedule(
                requisition=requisition,
                scheduled_at=timezone.now() + timedelta(days=3),
                must_haves=["A driving licence"],
                notes="Bring the org chart.",
            )


def _writable_methods(target: Target) -> list[str]:
    view_class = getattr(target.leaf.callback, "view_class", None) or getattr(
        target.leaf.callback, "cls", None
    )
    if view_class is None:
        return []
    return [m for m in ("put", "patch") if hasattr(view_class, m)]


def changes_between(
    before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]
) -> list[str]:
    found = []
    for label, rows in before.items():
        if rows == after[label]:
            continue
        by_pk = {row["id"]: row for row in after[label]}
        for row in rows:
            new = by_pk.get(row["id"])
            if new is None:
                found.append(f"{label} {row['id']}: deleted")
                continue
            for field, value in row.items():
                if new[field] != value:
                    found.append(f"{label} {row['id']}.{field}: {value!r} -> {new[field]!r}")
        for pk in set(by_pk) - {row["id"] for row in rows}:
            found.append(f"{label} {pk}: created")
    return found


def test_every_writable_api_object_round_trips_unchanged(tenant_a):
    # given: every API pattern filled with A's objects, and a talent lead's token
    targets = [t for t in prepare_targets(tenant_a.organisation) if t.leaf.is_api]
    schedule_missing_kickoffs(tenant_a)
    writable = [(t, m) for t in targets for m in _writable_methods(t)]
    names = {t.leaf.name for t, _ in writable}
    # the walk found the detail endpoints (a guard against discovering nothing)
    assert {"api-programme", "api-requisition", "api-risk", "api-change-plan"} <= names, names
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=tenant_a.lead)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    failures: list[str] = []
    for target, method in writable:
        url = target.url(tenant_a.slug)
        read = client.get(url)
        if read.status_code != 200:
            failures.append(f"GET {url}: {read.status_code} {read.content[:300]!r}")
            continue
        before = snapshot(tenant_a.organisation)
        # when: the same body goes back
        response = client.generic(
            method.upper(), url, json.dumps(read.json()), content_type="application/json"
        )
        # then: no error, the same representation, and nothing changed in the database
        if response.status_code != 200:
            failures.append(
                f"{method.upper()} {url}: {response.status_code} {response.content[:500]!r}"
            )
            continue
        if response.json() != read.json():
            differs = {
                k: (v, response.json().get(k))
                for k, v in read.json().items()
                if response.json().get(k) != v
            }
            failures.append(f"{method.upper()} {url}: the answer differs from the read: {differs}")
        failures += [
            f"{method.upper()} {url}: {change}"
            for change in changes_between(before, snapshot(tenant_a.organisation))
        ]
    assert not failures, "\n".join(failures)
