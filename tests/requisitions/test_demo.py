from __future__ import annotations

import zoneinfo

import pytest

from programmes import demo as programme_demo
from programmes.models import GoLiveSignature, Programme
from requisitions import demo
from requisitions.models import (
    Application,
    ApplicationEvent,
    Candidate,
    KickOff,
    Requisition,
    RequisitionEvent,
)
from rpo_portal.tenancy.working_hours import is_working_moment
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


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York"])
def test_acme_demo_runs_its_requisitions_under_the_live_programme_in_working_hours(tenant_a, zone):
    # given: acme in `zone`, seeded as seed_demo does (programmes first), twice
    organisation = tenant_a.organisation
    organisation.timezone = zone
    organisation.save(update_fields=["timezone"])
    users = {"recruiter": tenant_a.recruiter, "talent_lead": tenant_a.lead}
    with tenant_a.scope():
        for _ in range(2):
            programme_demo.seed(organisation=organisation, users=users)
            demo.seed(organisation=organisation, users=users)
        live = Programme.objects.get(name=programme_demo.ACME_LIVE)
        build = Programme.objects.get(name=programme_demo.ACME_BUILD)
        # then: the live programme runs the requisitions; the one in build prepares graduates
        assert live.is_live and not build.is_live
        under_live = Requisition.objects.filter(programme=live)
        under_build = Requisition.objects.filter(programme=build)
        assert under_live.count() == 7 and under_build.count() == 2
        assert set(under_build.values_list("status", flat=True)) == {"draft"}
        assert all(t.startswith("Graduate") for t in under_build.values_list("title", flat=True))
        assert {"open", "on_hold", "filled", "cancelled"} <= set(
            under_live.values_list("status", flat=True)
        )
        assert live.went_live_on < min(
            r.first_opened_at.date() for r in under_live.exclude(first_opened_at=None)
        )
        # and every moment the demo invents falls in working hours of acme's time zone
        moments = [
            *RequisitionEvent.objects.values_list("at", flat=True),
            *ApplicationEvent.objects.values_list("at", flat=True),
            *Application.objects.values_list("applied_at", flat=True),
            *Application.objects.values_list("stage_entered_at", flat=True),
            *KickOff.objects.values_list("scheduled_at", flat=True),
            *KickOff.objects.exclude(held_at=None).values_list("held_at", flat=True),
            *Candidate.objects.values_list("consent_given_at", flat=True),
            *Requisition.objects.exclude(first_opened_at=None).values_list(
                "first_opened_at", "status_changed_at", "last_activity_at"
            ),
            *GoLiveSignature.objects.values_list("signed_at", flat=True),
        ]
        flat = [m for row in moments for m in (row if isinstance(row, tuple) else (row,))]
        assert len(flat) > 150
        outside = [m.astimezone(zoneinfo.ZoneInfo(zone)) for m in flat if not is_working_moment(m)]
        assert outside == []
