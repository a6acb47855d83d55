from __future__ import annotations

from decimal import Decimal

import factory

from programmes.models import AgreedMetric, ChecklistItem, Improvement, Objective, Risk
from tests.factories import ProgrammeFactory


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    programme = factory.SubFactory(ProgrammeFactory)
    section = ChecklistItem.Section.PROCESS
    title = factory.Sequence(lambda n: f"Checklist item {n}")


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")


class AgreedMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedMetric

    programme = factory.SubFactory(ProgrammeFactory)
    metric_key = "hires"
    definition_version = 1
    tier = AgreedMetric.Tier.NICE_TO_HAVE
    slot = None
    target = Decimal("10")
    direction = AgreedMetric.Direction.HIGHER


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 3
    impact = 3
    process_area = "selection"


class ImprovementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Improvement

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Improvement {n}")
    process_area = "selection"
