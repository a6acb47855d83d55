"""Programme services report every problem of one write at once, each on its field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from programmes import services
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_improvement_names_every_field_at_fault_in_one_error(in_a):
    stranger = UserFactory()  # not a member of this organisation
    with pytest.raises(ValidationError) as excinfo:
        services.improvement_create(
            programme=ProgrammeFactory(),
            title="",
            process_area="role_live",
            owner=stranger,
            metric_key="not-a-metric",
        )
    assert {"title", "owner", "metric_key"} <= set(excinfo.value.message_dict)


def test_a_risk_and_a_checklist_item_name_the_owner_with_the_other_fields(in_a):
    stranger = UserFactory()
    programme = ProgrammeFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.risk_create(
            programme=programme,
            title="",
            likelihood=9,
            impact=3,
            process_area="role_live",
            owner=stranger,
        )
    assert {"title", "likelihood", "owner"} <= set(excinfo.value.message_dict)
    with pytest.raises(ValidationError) as excinfo:
        services.checklist_item_create(
            programme=programme, section="not-a-section", title="", owner=stranger
        )
    assert {"section", "title", "owner"} <= set(excinfo.value.message_dict)
