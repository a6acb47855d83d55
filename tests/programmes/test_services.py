from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes import selectors, services
from programmes.checklist_templates import TEMPLATES
from programmes.models import AgreedMetric, ChecklistItem, GoLiveSignature, Programme
from rpo_portal.errors import Conflict

pytestmark = pytest.mark.django_db

EARLY = ["time_to_fill", "hires", "kickoff_within_5_days"]


def make_programme(tenant, **kwargs):
    kwargs.setdefault("name", "UK retail hiring")
    kwargs.setdefault("delivery_model", Programme.DeliveryModel.PROJECT)
    return services.programme_create(by=tenant.lead, **kwargs)


def make_ready(tenant, programme):
    for item in ChecklistItem.objects.filter(
        programme=programme, blocks_go_live=True, derived_from=""
    ):
        services.checklist_item_update(item=item, status=ChecklistItem.Status.DONE, by=tenant.lead)
    for key in EARLY:
        services.agreed_metric_create(
            programme=programme, metric_key=key, target=Decimal("5"), by=tenant.lead
        )


@pytest.mark.parametrize("model", ["project", "category", "multi_country"])
def test_programme_gets_the_checklist_of_its_delivery_model(in_a, model):
    programme = make_programme(in_a, delivery_model=model, category_name="Tech", scope="category")
    titles = list(ChecklistItem.objects.filter(programme=programme).values_list("title", flat=True))
    assert sorted(titles) == sorted(t.title for t in TEMPLATES[model])
    assert len(TEMPLATES["multi_country"]) > len(TEMPLATES["category"]) > len(TEMPLATES["project"])


def test_category_scope_needs_a_category_name(in_a):
    with pytest.raises(ValidationError) as exc:
        make_programme(in_a, scope="category")
    assert "category_name" in exc.value.message_dict


def test_countries_are_validated_iso_codes(in_a):
    programme = make_programme(in_a, countries=["GB", "DE"])
    assert sorted(c.code for c in programme.countries) == ["DE", "GB"]
    with pytest.raises(ValidationError) as exc:
        make_programme(in_a, name="Bad", countries=["XX"])
    assert "countries" in exc.value.message_dict


def test_readiness_excludes_not_applicable_and_lists_blockers_and_overdue(in_a):
    programme = make_programme(in_a)
    ChecklistItem.objects.filter(programme=programme).delete()
    mk = lambda **kw: services.checklist_item_create(programme=programme, by=in_a.lead, **kw)  # noqa: E731
    mk(section="technology", title="A", status="done")
    mk(section="technology", title="B", status="not_applicable", blocks_go_live=True)
    blocker = mk(section="technology", title="C", blocks_go_live=True, due_date=date(2026, 1, 1))
    mk(section="process", title="D", status="in_progress", due_date=date(2099, 1, 1))
    result = selectors.readiness(programme, today=date(2026, 6, 1))
    tech = next(s for s in result.sections if s.section == "technology")
    assert (tech.applicable, tech.done, tech.percent) == (2, 1, 50)
    assert (result.overall.applicable, result.overall.done, result.overall.percent) == (3, 1, 33)
    assert [i.title for i in result.open_blockers] == [blocker.title]
    assert [i.title for i in result.overdue] == ["C"]
    timeline = next(s for s in result.sections if s.section == "timeline")
    assert timeline.percent is None  # nothing applicable: no value from nothing


@given(
    statuses=st.lists(st.sampled_from([s for s, _ in ChecklistItem.Status.choices]), max_size=30)
)
@settings(max_examples=60, deadline=None)
def test_readiness_percent_matches_a_direct_count(statuses):
    items = [
        ChecklistItem(section="process", title=str(i), status=s) for i, s in enumerate(statuses)
    ]
    applicable = [s for s in statuses if s != "not_applicable"]
    expected = round(100 * applicable.count("done") / len(applicable)) if applicable else None
    programme = Programme(name="x")
    assert (
        selectors.readiness(programme, items=items, today=date(2026, 1, 1)).overall.percent
        == expected
    )


def test_completing_an_item_records_who_and_when_and_reopening_clears_it(in_a):
    programme = make_programme(in_a)
    item = ChecklistItem.objects.filter(programme=programme, derived_from="").first()
    services.checklist_item_update(item=item, status="done", by=in_a.recruiter)
    item.refresh_from_db()
    assert item.completed_by == in_a.recruiter and item.completed_at is not None
    services.checklist_item_update(item=item, status="in_progress", by=in_a.recruiter)
    item.refresh_from_db()
    assert item.completed_by is None and item.completed_at is None


def test_a_fourth_early_metric_is_refused_with_the_three_named(in_a):
    programme = make_programme(in_a)
    for key in EARLY:
        services.agreed_metric_create(programme=programme, metric_key=key, target=Decimal("1"))
    with pytest.raises(ValidationError) as exc:
        services.agreed_metric_create(
            programme=programme, metric_key="candidate_nps", target=Decimal("30")
        )
    message = " ".join(exc.value.message_dict["tier"])
    assert "exactly three" in message and "Time to fill" in message
    nice = services.agreed_metric_create(
        programme=programme, metric_key="candidate_nps", target=Decimal("30"), tier="nice_to_have"
    )
    assert nice.slot is None
    assert AgreedMetric.objects.filter(programme=programme, tier="early").count() == 3


def test_unknown_metric_and_duplicate_metric_are_refused(in_a):
    programme = make_programme(in_a)
    with pytest.raises(ValidationError) as exc:
        services.agreed_metric_create(programme=programme, metric_key="vibes", target=Decimal("1"))
    assert "metric_key" in exc.value.message_dict
    services.agreed_metric_create(programme=programme, metric_key="hires", target=Decimal("1"))
    with pytest.raises(ValidationError):
        services.agreed_metric_create(
            programme=programme, metric_key="hires", target=Decimal("2"), tier="nice_to_have"
        )


def test_metric_direction_defaults_from_the_catalogue(in_a):
    programme = make_programme(in_a)
    ttf = services.agreed_metric_create(
        programme=programme, metric_key="time_to_fill", target=Decimal("30")
    )
    hires = services.agreed_metric_create(
        programme=programme, metric_key="hires", target=Decimal("30")
    )
    assert (ttf.direction, hires.direction) == ("lower", "higher")


def test_sign_off_refused_with_409_listing_what_is_missing(in_a):
    programme = make_programme(in_a)
    with pytest.raises(Conflict) as exc:
        services.go_live_sign(programme=programme, by=in_a.lead)
    reasons = exc.value.reasons
    assert any("Three early metrics" in r for r in reasons)
    blocking = ChecklistItem.objects.filter(
        programme=programme, blocks_go_live=True, derived_from=""
    ).count()
    assert sum(r.startswith("Blocking checklist item open") for r in reasons) == blocking
    assert not GoLiveSignature.objects.exists()


def test_both_sides_sign_and_the_programme_goes_live_with_metrics_locked(in_a):
    programme = make_programme(in_a)
    make_ready(in_a, programme)
    first = services.go_live_sign(programme=programme, by=in_a.lead)
    assert first.side == "client" and first.definition_text == programme.go_live_definition
    programme.refresh_from_db()
    assert programme.status == "build"
    with pytest.raises(Conflict):
        services.go_live_sign(programme=programme, by=in_a.lead)  # same side twice
    services.go_live_sign(programme=programme, by=in_a.recruiter)
    programme.refresh_from_db()
    assert programme.status == "live" and programme.went_live_on is not None
    metric = AgreedMetric.objects.get(programme=programme, metric_key="hires")
    with pytest.raises(ValidationError) as exc:
        services.agreed_metric_change(metric=metric, target=Decimal("9"))
    assert "reason" in exc.value.message_dict
    new = services.agreed_metric_change(
        metric=metric, target=Decimal("9"), reason="Hiring freeze in Q3"
    )
    assert (new.version, new.previous_id, new.slot, new.target) == (
        2,
        metric.pk,
        metric.slot,
        Decimal("9"),
    )
    metric.refresh_from_db()
    assert metric.is_current is False and metric.target == Decimal("5")
    with pytest.raises(Conflict):
        services.agreed_metric_remove(metric=new)
    with pytest.raises(Conflict):
        services.agreed_metric_create(
            programme=programme, metric_key="candidate_nps", target=Decimal("1")
        )
    history = list(
        selectors.agreed_metrics(programme, include_history=True).filter(metric_key="hires")
    )
    assert [m.version for m in history] == [2, 1]


def test_viewer_and_unsigned_roles_cannot_sign(in_a):
    programme = make_programme(in_a)
    make_ready(in_a, programme)
    with pytest.raises(Conflict) as exc:
        services.go_live_sign(programme=programme, by=in_a.viewer)
    assert "talent lead" in exc.value.message


def test_changing_the_definition_voids_current_signatures_but_keeps_the_record(in_a):
    programme = make_programme(in_a)
    make_ready(in_a, programme)
    services.go_live_sign(programme=programme, by=in_a.lead)
    services.programme_update(
        programme=programme, go_live_definition="RPO owns hiring in the UK only."
    )
    assert selectors.current_signatures(programme) == []
    assert selectors.signature_history(programme).count() == 1
    services.go_live_sign(programme=programme, by=in_a.lead)
    services.go_live_sign(programme=programme, by=in_a.recruiter)
    programme.refresh_from_db()
    assert programme.is_live
    assert {s.definition_text for s in selectors.current_signatures(programme)} == {
        "RPO owns hiring in the UK only."
    }
    with pytest.raises(Conflict):
        services.programme_update(programme=programme, go_live_definition="Changed after go-live")


def test_objective_achieved_gets_its_date(in_a):
    programme = make_programme(in_a)
    objective = services.objective_create(programme=programme, title="Cut time to fill to 30 days")
    services.objective_update(
        objective=objective, status="achieved", celebration_note="Team lunch!"
    )
    objective.refresh_from_db()
    assert objective.achieved_on is not None and objective.celebration_note == "Team lunch!"


def test_owner_must_be_a_member(in_a, tenant_b):
    programme = make_programme(in_a)
    with pytest.raises(ValidationError) as exc:
        services.checklist_item_create(
            programme=programme, section="process", title="x", owner=tenant_b.lead
        )
    assert "owner" in exc.value.message_dict
