import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes import selectors, services
from programmes.models import Improvement, Risk, risk_rating
from tests.factories import ProgrammeFactory
from tests.programmes.factories import RiskFactory
from tests.requisitions.factories import make_requisition

pytestmark = pytest.mark.django_db


def test_risk_score_is_likelihood_times_impact_from_the_database(in_a):
    programme = ProgrammeFactory()
    risk = services.risk_create(
        programme=programme,
        title="Hiring freeze",
        likelihood=4,
        impact=5,
        process_area="before_anything",
    )
    risk.refresh_from_db()
    assert risk.score == 20 and risk.rating == "high"
    services.risk_update(risk=risk, impact=2)
    assert risk.score == 8 and risk.rating == "medium"


@pytest.mark.parametrize(
    ("field", "value"), [("likelihood", 0), ("likelihood", 6), ("impact", 0), ("impact", 9)]
)
def test_likelihood_and_impact_are_bounded(in_a, field, value):
    programme = ProgrammeFactory()
    kwargs = {"likelihood": 3, "impact": 3, field: value}
    with pytest.raises(ValidationError) as exc:
        services.risk_create(programme=programme, title="x", process_area="selection", **kwargs)
    assert field in exc.value.message_dict
    # and the database refuses it too, whatever path writes it
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.bulk_create(
            [Risk(programme=programme, title="x", process_area="selection", **kwargs)]
        )


@given(st.integers(1, 25))
@settings(max_examples=25, deadline=None)
def test_rating_bands_follow_the_metric_catalogue(score):
    expected = "high" if 15 <= score <= 25 else "medium" if 8 <= score <= 14 else "low"
    assert risk_rating(score) == expected


def test_heat_map_and_exposure_count_only_active_risks(in_a):
    programme = ProgrammeFactory()
    RiskFactory(programme=programme, likelihood=5, impact=5)
    RiskFactory(programme=programme, likelihood=5, impact=5, status="mitigating")
    RiskFactory(programme=programme, likelihood=2, impact=3)
    RiskFactory(programme=programme, likelihood=1, impact=1, status="closed")
    grid = selectors.risk_heat_map(programme)
    assert [impact for impact, _ in grid] == [5, 4, 3, 2, 1]
    cells = {(c.likelihood, c.impact): c.count for _, row in grid for c in row}
    assert cells[(5, 5)] == 2 and cells[(2, 3)] == 1 and cells[(1, 1)] == 0
    assert sum(cells.values()) == 3
    assert selectors.risk_exposure(programme) == {
        "score": 56,
        "high": 2,
        "medium": 0,
        "low": 1,
        "open": 3,
    }


def test_linked_requisitions_must_be_this_organisations(in_a, tenant_b):
    programme = ProgrammeFactory()
    requisition = make_requisition(programme=programme)
    risk = services.risk_create(
        programme=programme,
        title="Agency reliance",
        likelihood=3,
        impact=4,
        process_area="role_live",
        requisitions=[requisition.pk],
    )
    assert list(risk.requisitions.all()) == [requisition]
    with tenant_b.scope():
        foreign = make_requisition(programme=ProgrammeFactory())
    with pytest.raises(ValidationError) as exc:
        services.risk_update(risk=risk, requisitions=[requisition.pk, foreign.pk])
    assert "requisitions" in exc.value.message_dict
    services.risk_update(risk=risk, requisitions=[])
    assert list(risk.requisitions.all()) == []


def test_turning_a_risk_into_an_improvement_is_one_action_and_links_back(in_a):
    programme = ProgrammeFactory()
    risk = services.risk_create(
        programme=programme,
        title="Slow interview feedback",
        likelihood=4,
        impact=4,
        process_area="selection",
        mitigation="48-hour feedback SLA in kick-offs",
        owner=in_a.recruiter,
    )
    improvement, created = services.improvement_from_risk(risk=risk, by=in_a.lead)
    assert created
    assert (improvement.origin, improvement.origin_risk, improvement.process_area) == (
        "risk",
        risk,
        "selection",
    )
    assert improvement.description == "48-hour feedback SLA in kick-offs"
    assert improvement.priority == Improvement.Priority.HIGH and improvement.owner == in_a.recruiter
    risk.refresh_from_db()
    assert risk.status == "mitigating"
    again, created_again = services.improvement_from_risk(risk=risk)
    assert (again, created_again) == (improvement, False)


def test_improvement_done_records_the_time_and_reopening_clears_it(in_a):
    programme = ProgrammeFactory()
    improvement = services.improvement_create(
        programme=programme,
        title="Careers page refresh",
        process_area="before_anything",
        kind="strategic",
        metric_key="candidate_nps",
    )
    services.improvement_update(improvement=improvement, status="done")
    assert improvement.done_at is not None
    services.improvement_update(improvement=improvement, status="in_progress")
    assert improvement.done_at is None
    with pytest.raises(ValidationError) as exc:
        services.improvement_update(improvement=improvement, metric_key="vibes")
    assert "metric_key" in exc.value.message_dict


def test_improvement_from_a_risk_needs_the_risk_of_the_same_programme(in_a):
    first, second = ProgrammeFactory(), ProgrammeFactory()
    risk = RiskFactory(programme=first)
    with pytest.raises(ValidationError):
        services.improvement_create(
            programme=second, title="x", process_area="selection", origin="risk", origin_risk=risk
        )
    with pytest.raises(ValidationError):
        services.improvement_create(
            programme=first, title="x", process_area="selection", origin="risk"
        )
