"""Demo change plans (idempotent): acme's implementation plan in flight, globex's draft."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from programmes.selectors import programme_list
from rpo_portal.tenancy.clock import organisation_today

from . import services
from .models import ChangePlan, Communication, StakeholderGroup

ACME_PLAN = "Implementation: store management hiring"
GLOBEX_PLAN = "DACH expansion: hiring managers on the new process"

# Group, kind, size, influence, then ADKAR scores four weeks ago and last week.
ACME_GROUPS = [
    ("Store managers", "frequent_hirers", 140, "high", [4, 3, 2, 2, 1], [5, 4, 3, 2, 2]),
    ("Regional directors", "executives", 12, "high", [5, 4, 4, 3, 2], [5, 5, 4, 4, 4]),
    (
        "Head office hiring managers",
        "once_a_year_hirers",
        60,
        "medium",
        [2, 2, 1, 1, 1],
        [3, 2, 2, 1, 1],
    ),
    ("Women in Retail network", "ergs", 35, "medium", [3, 3, 2, 2, 1], [4, 4, 3, 3, 2]),
]
ELEMENTS = ["awareness", "desire", "knowledge", "ability", "reinforcement"]


def seed(*, organisation: Any, users: dict[str, Any]) -> None:
    programmes = programme_list()
    # Prefer the store hiring programme the acme demo tells its story around.
    programme = programmes.filter(name__icontains="store").first() or programmes.first()
    if programme is None:
        return
    if organisation.slug == "acme":
        _seed_acme(organisation, programme, users)
    elif organisation.slug == "globex":
        _seed_globex(programme, users)


def _seed_acme(organisation: Any, programme: Any, users: dict[str, Any]) -> None:
    if ChangePlan.objects.filter(title=ACME_PLAN).exists():
        return
    today = organisation_today()
    lead, recruiter = users.get("talent_lead"), users.get("recruiter")
    plan = services.changeplan_create(
        programme=programme,
        title=ACME_PLAN,
        kind=ChangePlan.Kind.IMPLEMENTATION,
        status=ChangePlan.Status.ACTIVE,
        owner=recruiter,
        start_date=today - timedelta(days=35),
        end_date=today + timedelta(days=60),
        description=(
            "Move store management hiring to the RPO: one intake form, the new assessment "
            "centre, and weekly pipeline reviews with each region."
        ),
        by=lead,
    )
    groups: dict[str, StakeholderGroup] = {}
    for name, kind, size, influence, before, after in ACME_GROUPS:
        group = services.stakeholder_group_create(
            plan=plan, name=name, kind=kind, size=size, influence=influence, by=recruiter
        )
        groups[name] = group
        for when, scores in (
            (today - timedelta(days=28), before),
            (today - timedelta(days=7), after),
        ):
            for element, score in zip(ELEMENTS, scores, strict=True):
                services.assessment_record(
                    group=group, element=element, score=score, assessed_on=when, by=recruiter
                )
    comms = [
        (
            -21,
            "town_hall",
            "Why we are partnering with an RPO, and what stays the same.",
            ["Store managers", "Regional directors"],
            Communication.Status.SENT,
        ),
        (
            -3,
            "email",
            "How to open a requisition with the new intake form.",
            ["Head office hiring managers"],
            Communication.Status.PLANNED,
        ),
        (
            1,
            "meeting",
            "Weekly pipeline review: walk-through of the first shortlists.",
            ["Store managers"],
            Communication.Status.PLANNED,
        ),
        (
            14,
            "newsletter",
            "First hires through the new process, in their own words.",
            ["Women in Retail network", "Store managers"],
            Communication.Status.PLANNED,
        ),
    ]
    for offset, channel, message, audience, status in comms:
        services.communication_create(
            plan=plan,
            channel=channel,
            message=message,
            planned_date=today + timedelta(days=offset),
            audience=[groups[name] for name in audience],
            owner=recruiter,
            status=status,
            by=lead,
        )


def _seed_globex(programme: Any, users: dict[str, Any]) -> None:
    if ChangePlan.objects.filter(title=GLOBEX_PLAN).exists():
        return
    lead = users.get("talent_lead")
    plan = services.changeplan_create(
        programme=programme,
        title=GLOBEX_PLAN,
        kind=ChangePlan.Kind.NEW_GEOGRAPHY,
        status=ChangePlan.Status.DRAFT,
        owner=lead,
        by=lead,
    )
    for name, kind, size in (
        ("Engineering managers, Munich", "frequent_hirers", 25),
        ("Site directors", "executives", 4),
    ):
        services.stakeholder_group_create(plan=plan, name=name, kind=kind, size=size, by=lead)
