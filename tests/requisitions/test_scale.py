"""seed_scale: fast bulk data that keeps every invariant, for one organisation only."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from requisitions.models import (
    Application,
    ApplicationEvent,
    Candidate,
    HiringManager,
    Requisition,
    RequisitionEvent,
)


def test_seed_scale_fills_one_organisation_with_consistent_rows(tenant_a, tenant_b):
    call_command("seed_scale", org=tenant_a.slug, requisitions=300, applications=2000)
    with tenant_a.scope():
        assert Requisition.objects.count() == 300
        assert Application.objects.count() == 2000
        assert HiringManager.objects.exists() and Candidate.objects.exists()
        assert set(Requisition.objects.values_list("status", flat=True)) == {
            "draft",
            "open",
            "on_hold",
            "filled",
            "cancelled",
        }
        assert {"applied", "rejected", "accepted"} <= set(
            Application.objects.values_list("stage", flat=True)
        )
        # Every application has its "applied" event; every requisition its creation event.
        assert ApplicationEvent.objects.filter(to_stage="applied").count() == 2000
        assert RequisitionEvent.objects.filter(from_status="", to_status="draft").count() == 300
        # No candidate applies twice for one requisition, and applications go to opened ones.
        pairs = Application.objects.values("candidate", "requisition").annotate(n=Count("id"))
        assert max(p["n"] for p in pairs) == 1
        assert not Application.objects.filter(requisition__first_opened_at__isnull=True).exists()
    with tenant_b.scope():
        assert not Requisition.objects.exists()
        assert not Application.objects.exists()


def test_seed_scale_runs_again_without_clashing(tenant_a):
    call_command("seed_scale", org=tenant_a.slug, requisitions=5, applications=10)
    call_command("seed_scale", org=tenant_a.slug, requisitions=5, applications=10)
    with tenant_a.scope():
        assert Requisition.objects.count() == 10


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"org": "nowhere", "requisitions": 1, "applications": 1}, "No organisation"),
        ({"org": "acme", "requisitions": 0, "applications": 1}, "at least 1"),
        ({"org": "acme", "requisitions": 1, "applications": -1}, "cannot be negative"),
    ],
)
def test_seed_scale_bad_arguments_are_clear_errors(tenant_a, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed_scale", **arguments)
