"""Requisition test data. Rows with invariants are made through the services, inside a tenant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from requisitions import services
from requisitions.models import Application, Candidate, HiringManager, Requisition
from rpo_portal.tenancy.models import Membership, Role
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory


class HiringManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HiringManager

    name = factory.Sequence(lambda n: f"Hiring Manager {n}")
    email = factory.Sequence(lambda n: f"hm{n}@client.test")
    department = "Operations"


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.test")
    source = "job_board"


def recruiter_in_scope() -> Any:
    membership = Membership.objects.filter(role=Role.RECRUITER).select_related("user").first()
    if membership is None:
        membership = MembershipFactory(role=Role.RECRUITER, user=UserFactory())
    return membership.user


def make_requisition(*, open_now: bool = True, **overrides: Any) -> Requisition:
    fields: dict[str, Any] = {
        "programme": overrides.pop("programme", None) or ProgrammeFactory(),
        "title": "Store manager",
        "location": "Leeds",
        "country": "GB",
        "hiring_manager": overrides.pop("hiring_manager", None) or HiringManagerFactory(),
        "recruiter": overrides.pop("recruiter", None) or recruiter_in_scope(),
        "target_date": timezone.localdate() + dt.timedelta(days=30),
        "openings": 1,
    }
    fields.update(overrides)
    return services.requisition_create(open_now=open_now, **fields)


def make_application(
    *, requisition: Requisition | None = None, candidate: Candidate | None = None, **kw: Any
) -> Application:
    return services.application_create(
        candidate=candidate or CandidateFactory(),
        requisition=requisition or make_requisition(),
        by=kw.pop("by", None),
        **kw,
    )
