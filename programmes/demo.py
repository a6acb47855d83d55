"""Demo programmes (idempotent): acme runs a live programme, globex is mid-build."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.working_hours import working_day

from . import services
from .models import ChecklistItem, Programme, Risk

ACME_LIVE = "UK store management hiring"
ACME_BUILD = "Graduate intake 2027"
GLOBEX_BUILD = "Engineering hiring, DACH expansion"


@transaction.atomic
def seed(*, organisation: Any, users: dict[str, Any]) -> None:
    lead, recruiter = users["talent_lead"], users["recruiter"]
    today = organisation_today()
    if organisation.slug == "acme":
        if not Programme.objects.filter(name=ACME_LIVE).exists():
            live = services.programme_create(
                name=ACME_LIVE,
                provider_name="Northstar RPO",
                scope="end_to_end",
                delivery_model="category",
                countries=["GB", "IE"],
                go_live_target=today - timedelta(days=55),
                by=lead,
            )
            # Derived items (the early metrics agreed) follow their fact, below.
            for item in ChecklistItem.objects.filter(programme=live, derived_from=""):
                status = "not_applicable" if "Assessment tools" in item.title else "done"
                services.checklist_item_update(
                    item=item,
                    status=status,
                    owner=lead if item.owner_side == "client" else recruiter,
                    by=lead,
                )
            for key, baseline, target in [
                ("time_to_fill", "52", "35"),
                ("kickoff_within_5_days", "40", "90"),
                ("hm_satisfaction", "3.4", "4.2"),
            ]:
                services.agreed_metric_create(
                    programme=live,
                    metric_key=key,
                    baseline=Decimal(baseline),
                    target=Decimal(target),
                    owner=recruiter,
                    by=lead,
                )
            services.agreed_metric_create(
                programme=live,
                metric_key="candidate_nps",
                tier="nice_to_have",
                target=Decimal("40"),
                by=lead,
            )
            services.objective_create(
                programme=live,
                title="Fill store manager roles within 35 days",
                target="35 days median",
                status="open",
                by=lead,
            )
            services.objective_create(
                programme=live,
                title="Every hiring manager has a kick-off",
                target="90% within 5 working days",
                status="achieved",
                celebration_note="First month at 93%: thank you, store ops!",
                by=lead,
            )
            # Signed a few days after the target, before the requisitions it runs were opened.
            services.go_live_sign(
                programme=live, by=lead, at=working_day(today - timedelta(days=53), minutes=75)
            )
            services.go_live_sign(
                programme=live,
                by=recruiter,
                at=working_day(today - timedelta(days=52), minutes=320),
            )
            seed_backlog(live, lead, recruiter)
        if not Programme.objects.filter(name=ACME_BUILD).exists():
            services.programme_create(
                name=ACME_BUILD,
                provider_name="Northstar RPO",
                scope="early_careers",
                delivery_model="project",
                countries=["GB"],
                go_live_target=today + timedelta(days=60),
                by=lead,
            )
    else:
        if not Programme.objects.filter(name=GLOBEX_BUILD).exists():
            build = services.programme_create(
                name=GLOBEX_BUILD,
                provider_name="Northstar RPO",
                scope="category",
                category_name="All engineering hiring",
                delivery_model="multi_country",
                countries=["DE", "AT", "CH"],
                go_live_target=today + timedelta(days=21),
                by=lead,
            )
            items = list(
                ChecklistItem.objects.filter(programme=build, derived_from="").order_by(
                    "section", "position"
                )
            )
            for i, item in enumerate(items):
                if i % 3 == 0:
                    services.checklist_item_update(item=item, status="done", by=lead)
                elif i % 3 == 1:
                    services.checklist_item_update(
                        item=item,
                        status="in_progress",
                        owner=recruiter,
                        due_date=today - timedelta(days=3) if i % 2 else today + timedelta(days=10),
                        by=lead,
                    )
            services.agreed_metric_create(
                programme=build,
                metric_key="time_to_fill",
                baseline=Decimal("70"),
                target=Decimal("45"),
                owner=recruiter,
                by=lead,
            )
            services.objective_create(
                programme=build,
                title="Open the Munich and Vienna hubs with 40 engineers",
                target="40 hires by Q3",
                by=lead,
            )


def seed_backlog(programme: Programme, lead: Any, recruiter: Any) -> None:
    """A believable risk log and improvement backlog for a demo programme."""
    if Risk.objects.filter(programme=programme).exists():
        return
    risks = [
        (
            "Hiring freeze in two regions",
            3,
            5,
            "before_anything",
            "Monthly headcount review with finance; keep a warm pipeline.",
            "open",
        ),
        (
            "Slow hiring-manager feedback after interviews",
            4,
            4,
            "selection",
            "48-hour feedback agreed at every kick-off; escalate on day 3.",
            "mitigating",
        ),
        (
            "Agency reliance for night-shift roles",
            3,
            3,
            "role_live",
            "Referral scheme and local job boards for night shifts.",
            "open",
        ),
        (
            "Offer letters delayed by payroll sign-off",
            2,
            4,
            "pre_day_one",
            "Pre-approved salary bands per grade.",
            "open",
        ),
        ("Careers page out of date", 2, 2, "before_anything", "", "accepted"),
        (
            "Onboarding drop-outs in the first week",
            2,
            3,
            "first_90_days",
            "Buddy assigned before day one.",
            "closed",
        ),
    ]
    made = []
    for title, likelihood, impact, area, mitigation, status in risks:
        made.append(
            services.risk_create(
                programme=programme,
                title=title,
                likelihood=likelihood,
                impact=impact,
                process_area=area,
                mitigation=mitigation,
                status=status,
                owner=recruiter if area != "before_anything" else lead,
                by=lead,
            )
        )
    improvement, _ = services.improvement_from_risk(risk=made[1], by=lead)
    services.improvement_update(
        improvement=improvement, status="in_progress", owner=recruiter, metric_key="time_to_hire"
    )
    services.improvement_create(
        programme=programme,
        title="Interview guide per store format",
        process_area="selection",
        kind="operational",
        priority=2,
        status="planned",
        owner=recruiter,
        by=lead,
    )
    services.improvement_create(
        programme=programme,
        title="Employer brand refresh with ERGs",
        process_area="before_anything",
        kind="strategic",
        priority=3,
        status="idea",
        metric_key="candidate_nps",
        by=lead,
    )
    done = services.improvement_create(
        programme=programme,
        title="Kick-off template with agreed service levels",
        process_area="role_live",
        kind="operational",
        priority=3,
        owner=recruiter,
        by=lead,
    )
    services.improvement_update(improvement=done, status="done")
