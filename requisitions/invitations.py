"""Calendar invitations (.ics, RFC 5545) for kick-off meetings, built with `icalendar`."""

from __future__ import annotations

import zoneinfo
from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import KickOff


def kickoff_uid(kickoff: KickOff) -> str:
    """Stable for the life of the kick-off, so a reschedule updates the same calendar entry."""
    host = urlparse(settings.SITE_URL).hostname or "rpo-portal.invalid"
    return f"kickoff-{kickoff.organisation_id}-{kickoff.pk}@{host}"


def _address(email: str, name: str, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name or email)
    address.params["role"] = vText(role)
    return address


def kickoff_ics(kickoff: KickOff) -> bytes:
    """A METHOD:REQUEST calendar with one VEVENT: UID stable, SEQUENCE = reschedules so far."""
    requisition = kickoff.requisition
    recruiter = requisition.recruiter
    hiring_manager = requisition.hiring_manager
    calendar = Calendar()
    calendar.add("prodid", "-//RPO Portal//Kick-off//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", kickoff_uid(kickoff))
    event.add("sequence", kickoff.ics_sequence)
    event.add("dtstamp", timezone.now())
    # In the organisation's zone with its VTIMEZONE, so calendars show the meeting's own zone.
    zone = zoneinfo.ZoneInfo(kickoff.organisation.timezone)
    start = kickoff.scheduled_at.astimezone(zone)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=kickoff.duration_minutes))
    event.add("summary", f"Kick-off: {requisition.title}, {requisition.location}")
    lines = [
        f"Kick-off meeting for the requisition {requisition.title} "
        f"({requisition.location}, {requisition.openings} opening"
        f"{'s' if requisition.openings != 1 else ''}).",
        "Agenda: the profile (must-haves and nice-to-haves), the interview plan, the salary "
        "band and the service levels both sides agree.",
    ]
    if kickoff.talent_lead_joined:
        lines.append("Joint kick-off: the talent lead joins.")
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    event["organizer"] = _address(recruiter.email, recruiter.full_name, "CHAIR")
    event.add("attendee", _address(hiring_manager.email, hiring_manager.name, "REQ-PARTICIPANT"))
    event.add("attendee", _address(recruiter.email, recruiter.full_name, "REQ-PARTICIPANT"))
    if kickoff.talent_lead_joined and kickoff.talent_lead is not None:
        lead = kickoff.talent_lead
        event.add("attendee", _address(lead.email, lead.full_name, "REQ-PARTICIPANT"))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
