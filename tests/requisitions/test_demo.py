from __future__ import annotations

import pytest

from requisitions import demo
from requisitions.models import Application, KickOff, Requisition
from tests.factories import ProgrammeFactory


@pytest.mark.django_db
def test_demo_covers_every_state_and_stage_and_is_idempotent(in_a):
    ProgrammeFactory(name="Demo programme")
    users = {"recruiter": in_a.recruiter, "talent_lead": in_a.lead}
    demo.seed(organisation=in_a.organisation, users=users)
    counts = (Requisition.objects.count(), Application.objects.count())
    demo.seed(organisation=in_a.organisation, users=users)
    assert (Requisition.objects.count(), Application.objects.count()) == counts
    assert set(Requisition.objects.values_list("status", flat=True)) == {
        "draft",
        "open",
        "on_hold",
        "filled",
        "cancelled",
    }
    assert {
        "applied",
        "screening",
        "interview",
        "offer",
        "accepted",
        "rejected",
        "withdrawn",
    } <= set(Application.objects.values_list("stage", flat=True))
    assert KickOff.objects.filter(held_at__isnull=False).exists()
