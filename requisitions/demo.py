"""Demo run phase (idempotent): requisitions in every state, kick-offs, candidates at every stage.

Everything goes through the services with back-dated times, so the timelines, flags and the
auto-fill look as they would after a few weeks of real work.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from programmes.models import Programme
from programmes.selectors import programme_list
from rpo_portal.tenancy.models import Role
from rpo_portal.tenancy.working_hours import working_after, working_before, working_day

from . import services
from .models import HiringManager, Requisition

HIRING_MANAGERS = {
    "acme": [
        ("Priya Shah", "Stores North", "director"),
        ("Tom Ellis", "Stores South", "senior_manager"),
        ("Grace Okafor", "Head office", "manager"),
    ],
    "globex": [
        ("Jonas Weber", "Platform engineering", "director"),
        ("Lena Fischer", "Field service", "manager"),
        ("Marco Rossi", "Quality", "senior_manager"),
    ],
}
# (title, location, country, openings, status, days ago opened, target in days, pipeline)
# pipeline: stages the demo candidates end at, e.g. "ASIO" = applied, screening, interview, offer.
REQUISITIONS = {
    "acme": [
        ("Store manager", "Leeds", "GB", 1, "filled", 48, -5, "AISOTR"),
        ("Assistant store manager", "York", "GB", 2, "open", 20, 25, "AASSIOXR"),
        ("Assistant store manager", "Hull", "GB", 1, "open", 9, 40, "AAS"),
        ("Visual merchandiser", "Manchester", "GB", 1, "on_hold", 30, 10, "ASI"),
        ("Area manager", "Glasgow", "GB", 1, "open", 45, -3, "ASIIW"),
        ("Graduate buyer", "London", "GB", 3, "draft", 0, 60, ""),
        ("Payroll officer", "Leeds", "GB", 1, "cancelled", 25, 20, "AS"),
        ("Store manager", "Dublin", "IE", 1, "open", 12, 35, "ASSI"),
        ("Graduate store manager scheme", "Birmingham", "GB", 4, "draft", 0, 75, ""),
    ],
    "globex": [
        ("Site reliability engineer", "Berlin", "DE", 2, "open", 21, 30, "AASSIIO"),
        ("Field service engineer", "Munich", "DE", 1, "filled", 50, -10, "ASIOX"),
        ("Quality engineer", "Vienna", "AT", 1, "open", 8, 45, "AAS"),
        ("Engineering manager", "Zurich", "CH", 1, "on_hold", 33, 15, "ASI"),
        ("Embedded developer", "Berlin", "DE", 2, "draft", 0, 70, ""),
        ("Test technician", "Hamburg", "DE", 1, "cancelled", 18, 20, "A"),
    ],
}
FIRST = ["Amelia", "Noah", "Isla", "Leo", "Ava", "Oscar", "Mia", "Arlo", "Freya", "Theo", "Zara"]
LAST = ["Patel", "Murphy", "Schmidt", "Nowak", "Hughes", "Khan", "Silva", "Berg", "Evans"]
CODE_STAGE = {
    "A": "applied",
    "S": "screening",
    "I": "interview",
    "O": "offer",
    "X": "accepted",
    "T": "started",
    "R": "rejected",
    "W": "withdrawn",
}
PATHS = {
    "applied": [],
    "screening": ["screening"],
    "interview": ["screening", "interview"],
    "offer": ["screening", "interview", "offer"],
    "accepted": ["screening", "interview", "offer", "accepted"],
    "started": ["screening", "interview", "offer", "accepted", "started"],
    "rejected": ["screening", "rejected"],
    "withdrawn": ["screening", "interview", "withdrawn"],
}
SOURCES = ["careers_site", "job_board", "referral", "direct_sourcing", "agency", "internal"]
# Roles prepared for a programme still in build (acme's graduate intake) rather than the live one.
EARLY_CAREERS = ("Graduate",)


def _programmes_for_rows() -> tuple[Programme, Programme] | None:
    """(where most requisitions go, where graduate roles go): a live programme runs the
    requisitions; an early-careers programme in build prepares its graduate roles."""
    programmes = list(programme_list())
    if not programmes:
        return None
    main = next((p for p in programmes if p.is_live), programmes[0])
    early = next((p for p in programmes if p.scope == "early_careers" and p != main), main)
    return main, early


def seed(*, organisation: Any, users: dict[str, Any]) -> None:
    slug = organisation.slug
    if Requisition.objects.filter(external_id__startswith="demo-").exists():
        return
    recruiter = users.get(Role.RECRUITER)
    lead = users.get(Role.TALENT_LEAD)
    placement = _programmes_for_rows()
    if recruiter is None or placement is None:
        return
    main_programme, early_programme = placement
    managers = []
    for name, department, seniority in HIRING_MANAGERS.get(slug, HIRING_MANAGERS["acme"]):
        email = f"{name.split()[0].lower()}.{name.split()[1].lower()}@{slug}-client.example"
        manager = HiringManager.objects.filter(
            email=email
        ).first() or services.hiring_manager_create(
            name=name, email=email, department=department, seniority=seniority
        )
        managers.append(manager)
    # Every invented moment falls in working hours of the organisation's time zone.
    now = working_before(timezone.now())
    person = 0
    rows = REQUISITIONS.get(slug, REQUISITIONS["acme"])
    for index, (title, location, country, openings, status, ago, target, pipeline) in enumerate(
        rows
    ):
        opened = working_day((now - timedelta(days=ago or 1)).date(), minutes=20 + index * 47 % 400)
        graduate = title.startswith(EARLY_CAREERS)
        requisition = services.requisition_create(
            programme=early_programme if graduate else main_programme,
            title=title,
            location=location,
            country=country,
            openings=openings,
            hiring_manager=managers[index % len(managers)],
            recruiter=recruiter,
            target_date=(now + timedelta(days=target)).date(),
            department=managers[index % len(managers)].department,
            seniority="manager" if "manager" in title.lower() else "professional",
            priority=2 if target < 15 else 3,
            external_id=f"demo-{slug}-{index}",
            open_now=status != "draft",
            by=recruiter,
            at=opened,
        )
        if status == "draft":
            continue
        if ago > 10 or index % 3 == 0:
            kickoff = services.kickoff_schedule(
                requisition=requisition,
                scheduled_at=working_after(opened, days=2),
                talent_lead_joined=index % 2 == 0,
                talent_lead=lead if index % 2 == 0 else None,
                must_haves=["Led a team of 10 or more", "Right to work in the country"],
                nice_to_haves=["Experience with our ATS"],
                interview_plan=[
                    {"stage": "Screening call", "interviewers": [recruiter.display_name]},
                    {
                        "stage": "Competency interview",
                        "interviewers": [requisition.hiring_manager.name],
                    },
                ],
                salary_currency="GBP" if country == "GB" else "EUR",
                salary_min=42000,
                salary_max=52000,
                by=recruiter,
                at=working_after(opened, hours=1),
            )
            if ago > 10:
                services.kickoff_mark_held(
                    kickoff=kickoff, held_at=working_after(opened, days=2, hours=1), by=recruiter
                )
        for position, code in enumerate(pipeline):
            person += 1
            name = f"{FIRST[person % len(FIRST)]} {LAST[(person * 7) % len(LAST)]}"
            candidate = services.candidate_create(
                name=name,
                email=f"{name.lower().replace(' ', '.')}.{person}@candidates.example",
                source=SOURCES[person % len(SOURCES)],
                consent_given_at=working_after(opened, days=1),
                consent_text_version="2026-01",
            )
            moment = working_after(opened, days=1, hours=position / 2)
            application = services.application_create(
                candidate=candidate, requisition=requisition, by=recruiter, at=moment
            )
            for step, stage in enumerate(PATHS[CODE_STAGE[code]], start=1):
                moment = min(
                    working_after(opened, days=1 + step * max(ago // 8, 1), hours=position / 2),
                    now,
                )
                services.application_move(
                    application=application,
                    stage=stage,
                    reason={
                        "rejected": "Not enough relevant experience",
                        "withdrawn": "Accepted another offer",
                    }.get(stage, ""),
                    by=recruiter,
                    at=moment,
                    start_date=(moment + timedelta(days=30)).date()
                    if stage == "accepted"
                    else None,
                )
        requisition.refresh_from_db()
        if status == "on_hold" and requisition.status == "open":
            services.requisition_put_on_hold(
                requisition=requisition, by=recruiter, at=working_before(now - timedelta(days=4))
            )
        elif status == "cancelled" and requisition.status != "cancelled":
            services.requisition_cancel(
                requisition=requisition,
                reason="Budget moved to another team",
                by=lead,
                at=working_before(now - timedelta(days=2)),
            )
