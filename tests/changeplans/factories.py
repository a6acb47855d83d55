"""Change plan factories. Use inside tenant_context."""

from __future__ import annotations

import datetime

import factory

from changeplans.models import Assessment, ChangePlan, Communication, StakeholderGroup
from tests.factories import ProgrammeFactory


class ChangePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangePlan

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Change plan {n}")


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup

    plan = factory.SubFactory(ChangePlanFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    kind = StakeholderGroup.Kind.FREQUENT_HIRERS
    size = 12


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    group = factory.SubFactory(StakeholderGroupFactory)
    element = "awareness"
    score = 3
    assessed_on = factory.LazyFunction(lambda: datetime.date(2026, 11, 1))


class CommunicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Communication

    plan = factory.SubFactory(ChangePlanFactory)
    channel = Communication.Channel.EMAIL
    message = factory.Sequence(lambda n: f"Message {n}")
    planned_date = factory.LazyFunction(lambda: datetime.date(2026, 12, 1))
