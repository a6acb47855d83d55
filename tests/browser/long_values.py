"""Objects whose every text is as long as the product allows, for the layout test.

`seed_long_values()` adds, inside the organisation in scope, one object of every kind that shows
up in a page, made through the services: 200-character titles and names, long unbroken words,
long email addresses and 2,000-character notes. It returns the objects by the URL kwarg that
names them, so the layout test can open every page on the longest data.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from changeplans import services as changeplan_services
from changeplans.models import ChangePlan, Communication, StakeholderGroup
from programmes.models import (
    AgreedMetric,
    ChecklistItem,
    Improvement,
    Objective,
    Programme,
    Risk,
)
from programmes.services import backlog as backlog_services
from programmes.services import build as build_services
from requisitions import services as requisition_services
from requisitions.models import Candidate, HiringManager, Requisition, Stage
from rpo_portal.accounts.models import User
from rpo_portal.tenancy.context import require_organisation
from rpo_portal.tenancy.models import Role
from rpo_portal.tenancy.services import membership_set, user_ensure
from tests.requisitions.import_factories import make_export_job, make_import_job

# A word no line can break at a space: German compounds, identifiers, pasted URLs.
UNBROKEN = "Rechtsschutzversicherungsgesellschaften" + "Kundenservicemitarbeiterinnen"


def long_text(length: int, *, start: str = "") -> str:
    """`length` characters of words, with one long unbroken word early on."""
    words = f"{start} {UNBROKEN} " if start else f"{UNBROKEN} "
    filler = "regional omnichannel customer experience and fulfilment operations "
    text = words + filler * (length // len(filler) + 1)
    return text[:length].rstrip() + "x" * (length - len(text[:length].rstrip()))


def full(model: type[models.Model], field: str, start: str) -> str:
    """As many characters as the model's field takes (200 for most titles and names)."""
    max_length = model._meta.get_field(field).max_length
    assert max_length is not None
    return long_text(max_length, start=start)


def long_note(length: int = 2000) -> str:
    """A long note with a pasted URL (one unbroken run of about 300 characters) in it."""
    url = "https://sharepoint.example/sites/talent/Shared%20Documents/" + "Q" * 240
    return long_text(length - len(url) - 2, start="Notes:") + "\n" + url + "\n"


def long_email(local: str) -> str:
    """A valid address of about 120 characters."""
    return (
        f"{local}.with-a-very-long-mailbox-name-for-shared-inboxes-00000001@"
        "recruitment-process-outsourcing.talent-acquisition.example-client.co.uk"
    )


def seed_long_values(*, lead: Any) -> dict[str, Any]:
    """Make the long objects in the organisation in scope; returns them by URL kwarg."""
    organisation = require_organisation()
    tag = organisation.slug
    now = timezone.now()
    today = timezone.localdate()
    person = user_ensure(
        email=long_email(f"recruiter-{tag}"),
        password=None,
        full_name=full(User, "full_name", "Recruiter"),
    )
    membership_set(organisation=organisation, user=person, role=Role.RECRUITER)

    programme = build_services.programme_create(
        name=full(Programme, "name", "Programme"),
        provider_name=full(Programme, "provider_name", "Provider"),
        category_name=full(Programme, "category_name", "Category"),
        countries=["GB", "DE", "FR", "IE", "NL", "ES"],
        go_live_target=today + timedelta(days=90),
        go_live_definition=long_note(),
        by=lead,
    )
    item = ChecklistItem.objects.filter(programme=programme).order_by("position").first()
    assert item is not None
    build_services.checklist_item_update(
        item=item,
        title=full(ChecklistItem, "title", "Item"),
        notes=long_note(),
        owner=person,
        by=lead,
    )
    build_services.checklist_item_create(
        programme=programme,
        section=ChecklistItem.Section.PROCESS,
        title=full(ChecklistItem, "title", "Checklist"),
        description=long_note(),
        notes=long_note(),
        owner=person,
        by=lead,
    )
    objective = build_services.objective_create(
        programme=programme,
        title=full(Objective, "title", "Objective"),
        description=long_note(),
        target=full(Objective, "target", "Target"),
        by=lead,
    )
    metric = build_services.agreed_metric_create(
        programme=programme,
        metric_key="hires",
        target=Decimal("12"),
        tier=AgreedMetric.Tier.NICE_TO_HAVE,
        owner=person,
        by=lead,
    )

    manager = requisition_services.hiring_manager_create(
        name=full(HiringManager, "name", "Manager"),
        email=long_email(f"manager-{tag}"),
        department=full(HiringManager, "department", "Department"),
        by=lead,
    )
    requisition = requisition_services.requisition_create(
        programme=programme,
        title=full(Requisition, "title", "Requisition"),
        department=full(Requisition, "department", "Department"),
        location=full(Requisition, "location", "Location"),
        country="GB",
        band=full(Requisition, "band", "Band"),
        hiring_manager=manager,
        recruiter=person,
        target_date=today + timedelta(days=20),
        openings=3,
        priority=1,
        open_now=True,
        by=lead,
        # Opened weeks ago with nothing since: the row carries attention flags.
        at=now - timedelta(days=30),
    )
    requisition_services.kickoff_schedule(
        requisition=requisition,
        scheduled_at=now + timedelta(days=3),
        duration_minutes=45,
        must_haves=[long_text(200, start="Must"), long_text(120, start="Also")],
        nice_to_haves=[long_text(200, start="Nice")],
        notes=long_note(),
        by=lead,
    )
    candidates = []
    for n in range(4):
        candidates.append(
            requisition_services.candidate_create(
                name=full(Candidate, "name", f"Candidate{n}"),
                email=long_email(f"candidate{n}-{tag}"),
                phone="+44 20 7946 0000 ext 1234567890123456",
                by=lead,
            )
        )
    applications = [
        requisition_services.application_create(candidate=c, requisition=requisition, by=lead)
        for c in candidates
    ]
    # Cards in several columns, one with a long reason.
    requisition_services.application_move(
        application=applications[1], stage=Stage.SCREENING, by=lead
    )
    requisition_services.application_move(
        application=applications[2], stage=Stage.SCREENING, by=lead
    )
    requisition_services.application_move(
        application=applications[2], stage=Stage.INTERVIEW, by=lead
    )
    requisition_services.application_move(
        application=applications[3], stage=Stage.REJECTED, reason=long_note(600), by=lead
    )

    risk = backlog_services.risk_create(
        programme=programme,
        title=full(Risk, "title", "Risk"),
        description=long_note(),
        mitigation=long_note(),
        likelihood=4,
        impact=5,
        process_area="selection",
        owner=person,
        requisitions=[requisition.pk],
        by=lead,
    )
    improvement = backlog_services.improvement_create(
        programme=programme,
        title=full(Improvement, "title", "Improvement"),
        description=long_note(),
        process_area="selection",
        owner=person,
        by=lead,
    )

    plan = changeplan_services.changeplan_create(
        programme=programme,
        title=full(ChangePlan, "title", "Plan"),
        description=long_note(),
        owner=person,
        start_date=today,
        end_date=today + timedelta(days=120),
        by=lead,
    )
    groups = [
        changeplan_services.stakeholder_group_create(
            plan=plan,
            name=full(StakeholderGroup, "name", f"Group{n}"),
            kind=StakeholderGroup.Kind.FREQUENT_HIRERS,
            size=1200,
            notes=long_note(),
            by=lead,
        )
        for n in range(2)
    ]
    changeplan_services.assessment_record(
        group=groups[0], element="awareness", score=2, note=long_note(), by=lead
    )
    communication = changeplan_services.communication_create(
        plan=plan,
        channel=Communication.Channel.EMAIL,
        message=long_note(),
        planned_date=today + timedelta(days=7),
        audience=groups,
        owner=person,
        by=lead,
    )

    return {
        "programme_id": programme,
        "item_id": item,
        "objective_id": objective,
        "metric_id": metric,
        "risk_id": risk,
        "improvement_id": improvement,
        "requisition_id": requisition,
        "application_id": applications[0],
        "candidate_id": candidates[0],
        "hiring_manager_id": manager,
        "import_id": make_import_job(
            name=long_text(120, start="File") + ".csv", rows=3, message=long_note(400)
        ),
        "export_id": make_export_job(content=b"Title\nStore manager\n"),
        "plan_id": plan,
        "group_id": groups[0],
        "communication_id": communication,
    }
