"""Services: the requisition status machine, the application pipeline, auto-fill, kick-offs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from requisitions import services
from requisitions.models import (
    Application,
    ApplicationEvent,
    Requisition,
    RequisitionEvent,
    RequisitionStatus,
    Stage,
)
from requisitions.pipeline import allowed_moves
from rpo_portal.outbox.models import OutboxMessage
from tests.factories import ProgrammeFactory

from .factories import CandidateFactory, HiringManagerFactory, make_application, make_requisition


def _move(application, stage, reason="", **kw):
    return services.application_move(
        application=application, stage=stage, reason=reason, by=None, **kw
    )


# --- Requisition status -------------------------------------------------------------------


def test_requisition_lifecycle_records_every_change_with_time_and_actor(in_a):
    requisition = make_requisition(open_now=False)
    assert requisition.status == RequisitionStatus.DRAFT
    assert requisition.first_opened_at is None

    opened = services.requisition_open(requisition=requisition, by=in_a.recruiter)
    first_opened = opened.first_opened_at
    services.requisition_put_on_hold(requisition=requisition, by=in_a.recruiter)
    reopened = services.requisition_open(requisition=requisition, by=in_a.lead)

    assert reopened.status == RequisitionStatus.OPEN
    assert reopened.first_opened_at == first_opened  # kept for time-to-fill
    events = list(RequisitionEvent.objects.filter(requisition=requisition).order_by("at", "id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "draft"),
        ("draft", "open"),
        ("open", "on_hold"),
        ("on_hold", "open"),
    ]
    assert events[-1].actor == in_a.lead
    assert all(e.at is not None for e in events)


def test_cancel_needs_a_reason(in_a):
    requisition = make_requisition()
    with pytest.raises(ValidationError) as excinfo:
        services.requisition_cancel(requisition=requisition, reason="  ")
    assert "reason" in excinfo.value.message_dict
    cancelled = services.requisition_cancel(requisition=requisition, reason="Budget withdrawn")
    assert cancelled.status == RequisitionStatus.CANCELLED
    assert cancelled.cancellation_reason == "Budget withdrawn"


def test_database_refuses_cancelled_without_reason(in_a):
    requisition = make_requisition()
    with pytest.raises(IntegrityError), transaction.atomic():
        Requisition.objects.filter(pk=requisition.pk).update(status="cancelled")


def test_illegal_status_change_names_the_allowed_ones(in_a):
    requisition = make_requisition(open_now=False)
    with pytest.raises(ValidationError) as excinfo:
        services.requisition_put_on_hold(requisition=requisition)
    message = excinfo.value.message_dict["status"][0]
    assert "Open" in message and "Cancelled" in message
    with pytest.raises(ValidationError, match="filled automatically"):
        services.requisition_change_status(requisition=requisition, status="filled")


def test_requisition_validates_country_openings_and_recruiter(in_a):
    with pytest.raises(ValidationError) as excinfo:
        make_requisition(country="XX")
    assert "country" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        make_requisition(openings=0)
    assert "openings" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        make_requisition(recruiter=in_a.viewer)
    assert "recruiter" in excinfo.value.message_dict


def test_same_title_may_be_opened_again_elsewhere(in_a):
    programme = ProgrammeFactory()
    first = make_requisition(programme=programme, title="Barista", location="Leeds")
    second = make_requisition(programme=programme, title="Barista", location="York")
    assert first.pk != second.pk


def test_hiring_manager_email_unique_within_organisation_only(in_a, tenant_b):
    services.hiring_manager_create(name="Ana", email="Ana@Client.test")
    with pytest.raises(ValidationError):
        services.hiring_manager_create(name="Ana again", email="ana@client.test")
    with tenant_b.scope():
        assert services.hiring_manager_create(name="Ana", email="ana@client.test").pk


# --- Application pipeline -----------------------------------------------------------------


def test_forward_moves_record_events(in_a):
    application = make_application(by=in_a.recruiter)
    for stage in ("screening", "interview", "offer"):
        application = services.application_move(
            application=application, stage=stage, by=in_a.recruiter
        )
    events = list(ApplicationEvent.objects.filter(application=application).order_by("at", "id"))
    assert [(e.from_stage, e.to_stage) for e in events] == [
        ("", "applied"),
        ("applied", "screening"),
        ("screening", "interview"),
        ("interview", "offer"),
    ]
    assert {e.actor for e in events} == {in_a.recruiter}


def test_backwards_needs_a_reason(in_a):
    application = _move(make_application(), "interview")
    with pytest.raises(ValidationError) as excinfo:
        _move(application, "screening")
    assert "reason" in excinfo.value.message_dict
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW

    moved = _move(application, "screening", reason="Hiring manager wants a second screen")
    assert moved.stage == Stage.SCREENING
    event = ApplicationEvent.objects.filter(application=application).latest("at", "id")
    assert event.reason == "Hiring manager wants a second screen"


def test_illegal_move_names_the_allowed_moves(in_a):
    application = make_application()
    with pytest.raises(ValidationError) as excinfo:
        _move(application, "accepted")
    message = excinfo.value.message_dict["stage"][0]
    assert "Allowed moves from Applied" in message
    assert (
        "Screening" in message and "Interview" in message and "Rejected (with a reason)" in message
    )
    assert "Accepted" not in message.split("Allowed moves")[1]


def test_rejection_records_stage_reached_and_reason_and_can_be_reopened(in_a):
    application = _move(make_application(), "interview")
    with pytest.raises(ValidationError):
        _move(application, "rejected")
    rejected = _move(application, "rejected", reason="Not enough retail experience")
    assert (rejected.stage, rejected.stage_reached) == ("rejected", "interview")
    assert [m.stage for m in allowed_moves("rejected", "interview")] == ["interview"]
    reopened = _move(rejected, "interview", reason="Second look after feedback")
    assert (reopened.stage, reopened.stage_reached, reopened.outcome_reason) == (
        "interview",
        "",
        "",
    )


def test_accepted_needs_a_start_date_and_records_dates(in_a):
    application = _move(make_application(), "offer")
    with pytest.raises(ValidationError) as excinfo:
        _move(application, "accepted")
    assert "start_date" in excinfo.value.message_dict
    start = timezone.localdate() + dt.timedelta(days=28)
    accepted = _move(application, "accepted", start_date=start)
    assert accepted.accepted_on is not None
    assert accepted.start_date == start


def test_auto_fill_when_accepted_offers_reach_openings(in_a):
    requisition = make_requisition(openings=2)
    first, second, third = (
        _move(make_application(requisition=requisition), "offer") for _ in range(3)
    )
    start = timezone.localdate() + dt.timedelta(days=30)

    _move(first, "accepted", start_date=start)
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.OPEN

    _move(second, "accepted", start_date=start)
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.FILLED
    fill = RequisitionEvent.objects.filter(requisition=requisition, to_status="filled").get()
    assert "2 of 2" in fill.reason

    with pytest.raises(ValidationError, match="open or on-hold"):
        _move(third, "accepted", start_date=start)


def test_filled_requisition_reopens_when_an_accepted_offer_falls_through(in_a):
    requisition = make_requisition(openings=1)
    application = _move(make_application(requisition=requisition), "offer")
    _move(application, "accepted", start_date=timezone.localdate() + dt.timedelta(days=14))
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.FILLED
    _move(application, "withdrawn", reason="Took a counter-offer")
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.OPEN
    application.refresh_from_db()
    assert application.accepted_on is None and application.stage_reached == "accepted"


def test_reducing_openings_fills_the_requisition(in_a):
    requisition = make_requisition(openings=2)
    application = _move(make_application(requisition=requisition), "offer")
    _move(application, "accepted", start_date=timezone.localdate() + dt.timedelta(days=14))
    updated = services.requisition_update(requisition=requisition, openings=1)
    assert updated.status == RequisitionStatus.FILLED


def test_one_application_per_candidate_and_requisition(in_a):
    requisition = make_requisition()
    candidate = CandidateFactory()
    make_application(requisition=requisition, candidate=candidate)
    with pytest.raises(ValidationError):
        make_application(requisition=requisition, candidate=candidate)


def test_no_applications_on_a_draft(in_a):
    with pytest.raises(ValidationError, match="open or on-hold"):
        make_application(requisition=make_requisition(open_now=False))


def test_database_refuses_a_hire_without_dates(in_a):
    application = make_application()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(stage="accepted")


# --- Kick-off -----------------------------------------------------------------------------


def _ics(message: OutboxMessage) -> Calendar:
    import base64

    (attachment,) = message.attachments
    assert attachment["filename"].endswith(".ics")
    assert attachment["content_type"].startswith("text/calendar")
    return Calendar.from_ical(base64.b64decode(attachment["content_base64"]))


def test_scheduling_a_kickoff_invites_the_attendees_with_an_ics(
    in_a, django_capture_on_commit_callbacks
):
    hm = HiringManagerFactory(name="Hana Manager", email="hana@client.test")
    requisition = make_requisition(hiring_manager=hm, recruiter=in_a.recruiter, title="Head baker")
    when = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    kickoff = services.kickoff_schedule(
        requisition=requisition,
        scheduled_at=when,
        duration_minutes=30,
        talent_lead_joined=True,
        talent_lead=in_a.lead,
        must_haves=["Food hygiene level 2"],
        interview_plan=[{"stage": "Trial shift", "interviewers": ["Hana Manager"]}],
        by=in_a.recruiter,
    )
    messages = list(OutboxMessage.objects.order_by("to"))
    assert sorted(m.to for m in messages) == sorted(
        ["hana@client.test", in_a.recruiter.email, in_a.lead.email]
    )
    event = _ics(messages[0]).walk("VEVENT")[0]
    assert str(event["uid"]).startswith(f"kickoff-{kickoff.organisation_id}-{kickoff.pk}@")
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == when
    assert event.decoded("dtend") == when + dt.timedelta(minutes=30)
    assert "Head baker" in str(event["summary"])
    attendees = {str(a).lower() for a in event["attendee"]}
    assert f"mailto:{in_a.lead.email}" in attendees and "mailto:hana@client.test" in attendees
    assert "Head baker" in messages[0].subject

    # Rescheduling: same UID, SEQUENCE bumped, one more invitation per attendee.
    uid = str(event["uid"])
    services.kickoff_schedule(requisition=requisition, scheduled_at=when + dt.timedelta(hours=3))
    assert OutboxMessage.objects.count() == 6
    updated = OutboxMessage.objects.filter(subject__startswith="Updated").first()
    event = _ics(updated).walk("VEVENT")[0]
    assert str(event["uid"]) == uid and int(event["sequence"]) == 1

    # A change that is not the time sends nothing.
    services.kickoff_schedule(requisition=requisition, notes="Bring the org chart")
    assert OutboxMessage.objects.count() == 6


def test_kickoff_validates_the_interview_plan_and_salary_band(in_a):
    requisition = make_requisition()
    when = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_schedule(
            requisition=requisition, scheduled_at=when, interview_plan=[{"stage": ""}]
        )
    assert "interview_plan" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_schedule(
            requisition=requisition, scheduled_at=when, interview_plan="first chat"
        )
    assert "interview_plan" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_schedule(
            requisition=requisition, scheduled_at=when, salary_min=50000, salary_max=40000
        )
    assert "salary_max" in excinfo.value.message_dict


def test_marking_held_is_on_the_timeline_once(in_a):
    requisition = make_requisition()
    kickoff = services.kickoff_schedule(requisition=requisition, scheduled_at=timezone.now())
    services.kickoff_mark_held(kickoff=kickoff)
    services.kickoff_mark_held(kickoff=kickoff)
    assert (
        RequisitionEvent.objects.filter(requisition=requisition, kind="kickoff_held").count() == 1
    )
    assert mail.outbox is not None
