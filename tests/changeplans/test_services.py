import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changeplans import selectors, services
from changeplans.barriers import Barrier, barrier_point
from changeplans.frameworks import ADKAR_ORDER
from changeplans.models import Assessment, Communication
from tests.changeplans.factories import (
    AssessmentFactory,
    ChangePlanFactory,
    CommunicationFactory,
    StakeholderGroupFactory,
)
from tests.factories import ProgrammeFactory

ADKAR = list(ADKAR_ORDER)
scores = st.dictionaries(st.sampled_from(ADKAR), st.integers(min_value=1, max_value=5))


def naive_barrier(latest: dict[str, int]) -> Barrier:
    """A second computation: the scored prefix, then the first low score inside it."""
    prefix = []
    for element in ADKAR:
        if element not in latest:
            break
        prefix.append(element)
    low = [e for e in prefix if latest[e] <= 3]
    if low:
        return Barrier("barrier", low[0])
    if len(prefix) == len(ADKAR):
        return Barrier("clear", None)
    return Barrier("unknown", ADKAR[len(prefix)])


# --- Barrier points -----------------------------------------------------------------------------


@given(scores)
def test_barrier_point_matches_a_naive_computation(latest):
    assert barrier_point(latest) == naive_barrier(latest)


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        ({"awareness": 4, "desire": 3, "knowledge": 1}, Barrier("barrier", "desire")),
        ({"awareness": 2}, Barrier("barrier", "awareness")),
        ({e: 4 for e in ADKAR}, Barrier("clear", None)),
        ({e: 5 for e in ADKAR} | {"reinforcement": 3}, Barrier("barrier", "reinforcement")),
        # An unassessed element before the low one could itself be the barrier.
        ({"desire": 2, "knowledge": 1}, Barrier("unknown", "awareness")),
        ({"awareness": 5, "knowledge": 1}, Barrier("unknown", "desire")),
        ({}, Barrier("unknown", "awareness")),
    ],
)
def test_barrier_point_examples(latest, expected):
    assert barrier_point(latest) == expected


history_entry = st.tuples(
    st.sampled_from(ADKAR), st.integers(1, 5), st.integers(min_value=0, max_value=20)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(history_entry, max_size=12))
def test_grid_barrier_uses_the_latest_score_per_element(in_a, history):
    # Given a history of assessments (element, score, days ago) for one group
    with transaction.atomic():
        group = StakeholderGroupFactory()
        today = datetime.date(2026, 11, 27)
        latest: dict[str, tuple[datetime.date, int, int]] = {}
        for order, (element, score, days_ago) in enumerate(history):
            when = today - datetime.timedelta(days=days_ago)
            AssessmentFactory(group=group, element=element, score=score, assessed_on=when)
            key = (when, order)
            if element not in latest or key >= latest[element][:2]:
                latest[element] = (when, order, score)
        # When the grid is built from the database
        row = selectors.plan_grid(plan=group.plan).rows[0]
        # Then each cell and the barrier follow the latest assessment (ties: recorded last)
        expected = {element: value[2] for element, value in latest.items()}
        assert {c.element.key: c.score for c in row.cells if c.score} == expected
        assert row.barrier == naive_barrier(expected)
        transaction.set_rollback(True)


def test_grid_shows_previous_score_for_movement(in_a):
    group = StakeholderGroupFactory()
    AssessmentFactory(
        group=group, element="desire", score=2, assessed_on=datetime.date(2026, 10, 1)
    )
    AssessmentFactory(
        group=group, element="desire", score=4, assessed_on=datetime.date(2026, 11, 1)
    )
    AssessmentFactory(group=group, element="desire", score=1, assessed_on=datetime.date(2026, 9, 1))
    cell = selectors.plan_grid(plan=group.plan).rows[0].cells[1]
    assert (cell.element.key, cell.score, cell.previous, cell.movement) == ("desire", 4, 2, 2)
    assert cell.tone == "success"


def test_lewin_plan_has_no_barrier_points(in_a):
    group = StakeholderGroupFactory(plan=ChangePlanFactory(framework="lewin"))
    services.assessment_record(group=group, element="unfreeze", score=1)
    grid = selectors.plan_grid(plan=group.plan)
    assert [e.key for e in grid.elements] == ["unfreeze", "change", "refreeze"]
    assert grid.rows[0].barrier is None and not grid.shows_barriers


# --- Assessments --------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 6, -1])
def test_score_out_of_bounds_is_refused(in_a, score):
    group = StakeholderGroupFactory()
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(group=group, element="awareness", score=score)
    assert "score" in exc.value.message_dict
    assert Assessment.objects.count() == 0


def test_score_bounds_hold_in_the_database(in_a):
    group = StakeholderGroupFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment(
            group=group, element="awareness", score=6, assessed_on=datetime.date(2026, 1, 1)
        ).save()


@pytest.mark.parametrize("score", [1, 5])
def test_score_bounds_are_inclusive(in_a, score):
    group = StakeholderGroupFactory()
    assert services.assessment_record(group=group, element="ability", score=score).score == score


def test_element_must_belong_to_the_plans_framework(in_a):
    group = StakeholderGroupFactory(plan=ChangePlanFactory(framework="lewin"))
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(group=group, element="awareness", score=3)
    message = exc.value.message_dict["element"][0]
    assert "Lewin" in message and "unfreeze, change, refreeze" in message


def test_assessment_cannot_be_in_the_future(in_a):
    group = StakeholderGroupFactory()
    with pytest.raises(ValidationError) as exc:
        services.assessment_record(
            group=group, element="awareness", score=3, assessed_on=datetime.date(2999, 1, 1)
        )
    assert "assessed_on" in exc.value.message_dict


def test_history_is_kept(in_a):
    group = StakeholderGroupFactory()
    services.assessment_record(
        group=group, element="awareness", score=2, assessed_on=datetime.date(2026, 1, 1)
    )
    services.assessment_record(
        group=group, element="awareness", score=4, assessed_on=datetime.date(2026, 2, 1)
    )
    assert [a.score for a in selectors.assessment_list(plan=group.plan)] == [4, 2]


# --- Plans and groups ---------------------------------------------------------------------------


def test_framework_cannot_change_once_assessed(in_a):
    group = StakeholderGroupFactory()
    services.changeplan_update(plan=group.plan, framework="lewin")  # no assessments yet: fine
    services.changeplan_update(plan=group.plan, framework="adkar")
    services.assessment_record(group=group, element="awareness", score=3)
    with pytest.raises(ValidationError) as exc:
        services.changeplan_update(plan=group.plan, framework="lewin")
    assert "framework" in exc.value.message_dict


def test_plan_end_before_start_is_refused(in_a):
    with pytest.raises(ValidationError):
        services.changeplan_create(
            programme=ProgrammeFactory(),
            title="Backwards",
            start_date=datetime.date(2026, 5, 1),
            end_date=datetime.date(2026, 4, 1),
        )


def test_plan_owner_must_be_a_member(in_a, tenant_b):
    with pytest.raises(ValidationError) as exc:
        services.changeplan_create(programme=ProgrammeFactory(), title="X", owner=tenant_b.lead)
    assert "owner" in exc.value.message_dict
    plan = services.changeplan_create(programme=ProgrammeFactory(), title="Y", owner=in_a.lead)
    assert plan.owner == in_a.lead


def test_group_names_are_unique_per_plan(in_a):
    plan = ChangePlanFactory()
    services.stakeholder_group_create(plan=plan, name="Executives")
    with pytest.raises(ValidationError):
        services.stakeholder_group_create(plan=plan, name="Executives")
    services.stakeholder_group_create(plan=ChangePlanFactory(), name="Executives")


def test_group_size_cannot_be_negative(in_a):
    with pytest.raises(ValidationError):
        services.stakeholder_group_create(plan=ChangePlanFactory(), name="G", size=-1)


# --- Communications -----------------------------------------------------------------------------


def test_communication_audience_must_be_groups_of_the_plan(in_a):
    plan = ChangePlanFactory()
    other = StakeholderGroupFactory()
    with pytest.raises(ValidationError) as exc:
        services.communication_create(
            plan=plan,
            channel="email",
            message="Hi",
            planned_date=datetime.date(2026, 12, 1),
            audience=[other],
        )
    assert "audience" in exc.value.message_dict


def test_marking_sent_stamps_sent_at_and_back_clears_it(in_a):
    communication = CommunicationFactory()
    services.communication_set_status(communication=communication, status="sent")
    communication.refresh_from_db()
    assert communication.status == "sent" and communication.sent_at is not None
    services.communication_set_status(communication=communication, status="cancelled")
    communication.refresh_from_db()
    assert communication.sent_at is None


def test_audience_is_a_tenant_table(in_a):
    plan = ChangePlanFactory()
    groups = [StakeholderGroupFactory(plan=plan) for _ in range(2)]
    communication = services.communication_create(
        plan=plan,
        channel="meeting",
        message="Kick-off",
        planned_date=datetime.date(2026, 12, 1),
        audience=groups,
    )
    links = Communication.audience.through.objects.filter(communication=communication)
    assert {link.organisation_id for link in links} == {in_a.organisation.pk}
    assert set(communication.audience.all()) == set(groups)
