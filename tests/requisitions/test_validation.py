"""Validation that helps: what cannot be true is refused, what is merely unusual is saved with a
warning, every error comes at once beside its field, and times carry the organisation's zone."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from programmes import services as programme_services
from programmes.models import Risk
from requisitions import services
from requisitions.models import KickOff, Requisition, RequisitionEvent
from rpo_portal.outbox.models import OutboxMessage
from tests.factories import ProgrammeFactory

from .factories import make_requisition

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _error_fields(excinfo: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(excinfo.value.message_dict)


# --- Kick-off: refuse what cannot be true ------------------------------------------------------


def test_a_kickoff_scheduled_for_a_past_day_is_refused_and_nobody_is_emailed(in_a):
    requisition = make_requisition()
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_schedule(
            requisition=requisition, scheduled_at=dt.datetime(2020, 1, 1, 9, 0, tzinfo=LONDON)
        )
    assert "1 Jan 2020 is in the past" in excinfo.value.message_dict["scheduled_at"][0]
    assert not KickOff.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_kickoff_scheduled_earlier_saves_untouched_but_cannot_move_into_the_past(in_a):
    # given: a kick-off scheduled last month, when that date was still to come (history)
    opened = timezone.now() - dt.timedelta(days=30)
    requisition = make_requisition(at=opened)
    scheduled = opened + dt.timedelta(days=2)
    kickoff = services.kickoff_schedule(requisition=requisition, scheduled_at=scheduled, at=opened)
    # when: it is saved again with the same time, or only its notes change: then it saves
    services.kickoff_schedule(requisition=requisition, scheduled_at=scheduled, notes="Org chart")
    kickoff.refresh_from_db()
    assert kickoff.notes == "Org chart" and kickoff.scheduled_at == scheduled
    # when: it is moved to another day that has gone: then it is refused
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_schedule(
            requisition=requisition, scheduled_at=scheduled + dt.timedelta(days=1)
        )
    assert _error_fields(excinfo) == {"scheduled_at"}


def test_a_kickoff_cannot_be_marked_held_before_its_scheduled_time(in_a):
    requisition = make_requisition()
    later_today = timezone.now() + dt.timedelta(days=1)
    kickoff = services.kickoff_schedule(requisition=requisition, scheduled_at=later_today)
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_mark_held(kickoff=kickoff)
    message = excinfo.value.message_dict["held_at"][0]
    assert "cannot have been held" in message
    assert re.search(r"\d\d:\d\d (GMT|BST)", message), message
    kickoff.refresh_from_db()
    assert kickoff.held_at is None


def test_kickoff_reports_every_problem_in_one_error(in_a):
    requisition = make_requisition()
    with pytest.raises(ValidationError) as excinfo:
        services.kickoff_schedule(
            requisition=requisition,
            scheduled_at=dt.datetime(2020, 1, 1, 9, 0, tzinfo=LONDON),
            duration_minutes=5,
            salary_currency="GB",
            salary_min=50000,
            salary_max=40000,
            talent_lead_joined=True,
            talent_lead=in_a.recruiter,  # not a talent lead
            interview_plan="first chat",
        )
    assert _error_fields(excinfo) == {
        "scheduled_at",
        "duration_minutes",
        "salary_currency",
        "salary_max",
        "talent_lead",
        "interview_plan",
    }
    assert "__all__" not in excinfo.value.message_dict  # the band is named once, on its field


# --- Requisitions: refuse a target before opening, warn about a past target ---------------------


def test_a_target_fill_date_before_the_requisition_opened_is_refused(in_a):
    opened = timezone.now() - dt.timedelta(days=10)
    requisition = make_requisition(at=opened)
    before = timezone.localdate(opened) - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        services.requisition_update(requisition=requisition, target_date=before)
    assert "before the requisition opened" in excinfo.value.message_dict["target_date"][0]
    requisition.refresh_from_db()
    assert requisition.target_date != before


def test_a_requisition_whose_target_was_already_before_opening_still_saves_untouched(in_a):
    # given: imported data with a target before its opening (the rule does not rewrite history)
    requisition = make_requisition()
    Requisition.objects.filter(pk=requisition.pk).update(
        target_date=timezone.localdate() - dt.timedelta(days=40)
    )
    requisition.refresh_from_db()
    # when: saved with the same target and a new title: then it saves
    services.requisition_update(
        requisition=requisition, target_date=requisition.target_date, title="Renamed"
    )
    requisition.refresh_from_db()
    assert requisition.title == "Renamed"


def test_requisition_errors_come_together(in_a):
    with pytest.raises(ValidationError) as excinfo:
        services.requisition_create(
            programme=ProgrammeFactory(),
            title="",
            location="Leeds",
            country="XX",
            hiring_manager=make_requisition().hiring_manager,
            recruiter=in_a.lead,  # not a recruiter
            target_date=timezone.localdate(),
            openings=0,
        )
    assert {"title", "country", "openings", "recruiter"} <= _error_fields(excinfo)


def test_a_past_target_on_a_new_requisition_is_saved_with_a_warning(client, tenant_a):
    with tenant_a.scope():
        programme = ProgrammeFactory()
        hm = make_requisition().hiring_manager
    client.force_login(tenant_a.recruiter)
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/new/",
        {
            "programme": programme.pk,
            "title": "Night shift lead",
            "location": "Hull",
            "country": "GB",
            "seniority": "professional",
            "openings": 1,
            "hiring_manager": hm.pk,
            "recruiter": tenant_a.recruiter.pk,
            "reason": "new_role",
            "priority": 3,
            "target_date": "2020-01-01",
        },
        follow=True,
    )
    page = response.content.decode()
    with tenant_a.scope():
        assert Requisition.objects.filter(title="Night shift lead").exists()
    assert "toast-warning" in page
    assert "The target fill date (1 Jan 2020) has already passed" in page


def test_a_past_risk_review_date_is_saved_with_a_warning(client, tenant_a):
    with tenant_a.scope():
        programme = ProgrammeFactory()
    client.force_login(tenant_a.lead)
    response = client.post(
        f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/risks/",
        {
            "title": "Hiring managers slow to give feedback",
            "likelihood": 3,
            "impact": 4,
            "process_area": "role_live",
            "status": "open",
            "review_date": "2020-01-01",
        },
        follow=True,
    )
    page = response.content.decode()
    with tenant_a.scope():
        risk = Risk.objects.get(title="Hiring managers slow to give feedback")
        assert programme_services.risk_warnings(risk)
    assert "toast-warning" in page and "The review date (1 Jan 2020) has already passed" in page


# --- Forms: every error at once, beside its field ---------------------------------------------


def test_the_kickoff_form_shows_shape_and_rule_errors_after_one_submit(client, tenant_a):
    with tenant_a.scope():
        requisition = make_requisition()
    client.force_login(tenant_a.recruiter)
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/kickoff/",
        {
            "scheduled_at": "2020-01-01T09:00",  # a day gone: a rule
            "duration_minutes": "",  # empty: the shape
            "salary_currency": "GB",  # a rule
            "salary_min": "50000",
            "salary_max": "40000",  # a rule
            "cv_shortlist_days": "5",
            "hm_feedback_hours": "48",
        },
    )
    page = response.content.decode()
    for field in ("scheduled_at", "duration_minutes", "salary_currency", "salary_max"):
        # each error sits beside its field, which says it is invalid and points at the error
        assert f'id="id_{field}_error"' in page, field
        tag = re.search(rf'<input[^>]*name="{field}"[^>]*>', page)
        assert tag and 'aria-invalid="true"' in tag[0], field
        assert f"id_{field}_error" in tag[0], field
    assert "This field is required." in page
    assert "1 Jan 2020 is in the past" in page
    assert "three-letter ISO 4217 code" in page
    assert "The top of the band is below its bottom." in page
    with tenant_a.scope():
        assert not KickOff.objects.exists()
        assert not OutboxMessage.objects.exists()


def test_the_kickoff_form_refuses_held_before_it_was_scheduled_from_the_page(client, tenant_a):
    with tenant_a.scope():
        requisition = make_requisition()
        services.kickoff_schedule(
            requisition=requisition, scheduled_at=timezone.now() + dt.timedelta(days=1)
        )
    client.force_login(tenant_a.recruiter)
    detail = client.get(f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/").content.decode()
    assert "Mark kick-off as held" not in detail  # no button for what would be refused
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/kickoff/held/", follow=True
    )
    assert "cannot have been held" in response.content.decode()
    with tenant_a.scope():
        assert KickOff.objects.get().held_at is None


# --- Times carry the organisation's zone ------------------------------------------------------


def _ics(message: OutboxMessage) -> Calendar:
    (attachment,) = message.attachments
    return Calendar.from_ical(base64.b64decode(attachment["content_base64"]))


def test_kickoff_times_are_read_and_shown_in_the_organisations_zone(client, tenant_a):
    # given: an organisation in New York
    tenant_a.organisation.timezone = "America/New_York"
    tenant_a.organisation.save()
    with tenant_a.scope():
        requisition = make_requisition()
    day = timezone.localdate() + dt.timedelta(days=60)
    client.force_login(tenant_a.recruiter)
    # when: the recruiter types 09:00 into the form
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/kickoff/",
        {
            "scheduled_at": f"{day.isoformat()}T09:00",
            "duration_minutes": "45",
            "cv_shortlist_days": "5",
            "hm_feedback_hours": "48",
        },
    )
    assert response.status_code == 302
    new_york = zoneinfo.ZoneInfo("America/New_York")
    expected = dt.datetime.combine(day, dt.time(9, 0), tzinfo=new_york)
    with tenant_a.scope():
        kickoff = KickOff.objects.get()
        assert kickoff.scheduled_at == expected  # 09:00 in New York, not in London
        event = RequisitionEvent.objects.get(kind="kickoff_scheduled")
        assert event.reason.endswith(f"09:00 {expected.strftime('%Z')}")  # on the timeline
        message = OutboxMessage.objects.order_by("pk").first()
    assert message is not None
    abbreviation = expected.strftime("%Z")  # EST or EDT
    # then: the email says 09:00 with the zone
    assert f"09:00 {abbreviation} (America/New_York)" in message.text_body
    assert f"09:00 {abbreviation} (America/New_York)" in message.html_body
    # and: the calendar invitation carries the zone (TZID and its VTIMEZONE)
    calendar = _ics(message)
    event = calendar.walk("VEVENT")[0]
    assert event["dtstart"].params["TZID"] == "America/New_York"
    assert event.decoded("dtstart") == expected
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    # and: the requisition page shows the zone beside the time, and the form names it
    detail = client.get(f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/").content.decode()
    assert f"09:00 {abbreviation}" in detail
    form = client.get(
        f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/kickoff/"
    ).content.decode()
    assert f'value="{day.isoformat()}T09:00"' in form
    assert "America/New_York" in form


# --- The API gets the same rules, as JSON errors on the fields ---------------------------------


def test_the_api_refuses_the_same_things_naming_every_field(tenant_a):
    from .test_api import api, url

    with tenant_a.scope():
        requisition = make_requisition(at=timezone.now() - dt.timedelta(days=10))
    client = api(tenant_a.recruiter)
    path = url(tenant_a, f"requisitions/{requisition.pk}/kickoff/")
    response = client.put(
        path,
        {
            "scheduled_at": "2020-01-01T09:00:00Z",
            "salary_currency": "GB",
            "salary_min": 50000,
            "salary_max": 40000,
        },
        format="json",
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"scheduled_at", "salary_currency", "salary_max"}

    tomorrow = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert client.put(path, {"scheduled_at": tomorrow}, format="json").status_code == 201
    held = client.patch(path, {"held_at": timezone.now().isoformat()}, format="json")
    assert held.status_code == 400
    assert [e["field"] for e in held.json()["errors"]] == ["held_at"]

    before_opening = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    edited = client.patch(
        url(tenant_a, f"requisitions/{requisition.pk}/"),
        {"target_date": before_opening},
        format="json",
    )
    assert edited.status_code == 400
    assert [e["field"] for e in edited.json()["errors"]] == ["target_date"]


def test_the_api_saves_the_unusual_and_says_why_in_warnings(tenant_a):
    from .test_api import api, url

    with tenant_a.scope():
        programme = ProgrammeFactory()
        hm = make_requisition().hiring_manager
    client = api(tenant_a.recruiter)
    created = client.post(
        url(tenant_a, "requisitions/"),
        {
            "programme": programme.pk,
            "title": "Night shift lead",
            "location": "Hull",
            "country": "GB",
            "hiring_manager": hm.pk,
            "recruiter": tenant_a.recruiter.pk,
            "target_date": "2020-01-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert "has already passed" in created.json()["warnings"][0]
    risk = api(tenant_a.lead).post(
        url(tenant_a, "risks/"),
        {
            "programme": programme.pk,
            "title": "Slow feedback",
            "likelihood": 2,
            "impact": 3,
            "process_area": "role_live",
            "review_date": "2020-01-01",
        },
        format="json",
    )
    assert risk.status_code == 201, risk.json()
    assert "review date (1 Jan 2020) has already passed" in risk.json()["warnings"][0]


def test_a_kickoff_earlier_today_is_saved_with_a_warning(client, tenant_a):
    with tenant_a.scope():
        requisition = make_requisition()
    earlier = timezone.localtime().replace(second=0, microsecond=0)
    client.force_login(tenant_a.recruiter)
    response = client.post(
        f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/kickoff/",
        {
            "scheduled_at": earlier.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "cv_shortlist_days": "5",
            "hm_feedback_hours": "48",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "toast-warning" in page and "has already passed. Mark it as held" in page
    assert "Mark kick-off as held" in page  # and it can be, at once
