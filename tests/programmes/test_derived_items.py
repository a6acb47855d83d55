"""A checklist item that restates a fact the product knows follows that fact.

"Three early metrics agreed" is done exactly when three early metrics are agreed; nobody can
tick it by hand, in the UI or the API.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from programmes import services
from programmes.models import AgreedMetric, ChecklistItem

pytestmark = pytest.mark.django_db

TITLE = "Three early metrics agreed"
EXPLANATION = "Done automatically when three early metrics are agreed."


def _item(programme):  # type: ignore[no-untyped-def]
    return ChecklistItem.objects.get(programme=programme, title=TITLE)


def _agree(programme, keys=("hires", "time_to_fill", "candidate_nps")):  # type: ignore[no-untyped-def]
    return [
        services.agreed_metric_create(programme=programme, metric_key=k, target=Decimal("1"))
        for k in keys
    ]


def test_every_delivery_model_marks_the_early_metrics_item_as_derived(in_a):
    for model in ["project", "category", "multi_country"]:
        programme = services.programme_create(name=model, delivery_model=model)
        item = _item(programme)
        assert item.derived_from == "early_metrics_agreed"
        assert item.status == "todo"
        derived = ChecklistItem.objects.filter(programme=programme).exclude(derived_from="")
        assert list(derived) == [item]


def test_the_item_follows_the_agreed_metrics_both_ways(in_a):
    programme = services.programme_create(name="P")
    first, second = _agree(programme, ("hires", "time_to_fill"))
    assert _item(programme).status == "todo"
    third = services.agreed_metric_create(
        programme=programme, metric_key="candidate_nps", target=Decimal("1"), by=in_a.lead
    )
    item = _item(programme)
    assert item.status == "done" and item.completed_by == in_a.lead
    assert item.completed_at is not None
    services.agreed_metric_remove(metric=second, by=in_a.lead)
    item = _item(programme)
    assert item.status == "todo" and item.completed_at is None
    # a nice-to-have does not count towards the three
    services.agreed_metric_create(
        programme=programme, metric_key="time_to_hire", target=Decimal("1"), tier="nice_to_have"
    )
    assert _item(programme).status == "todo"
    assert {first.pk, third.pk} <= set(AgreedMetric.objects.values_list("pk", flat=True))


def test_the_item_cannot_be_ticked_by_hand_while_no_metric_is_agreed(in_a):
    programme = services.programme_create(name="P")
    item = _item(programme)
    with pytest.raises(ValidationError) as exc:
        services.checklist_item_update(item=item, status="done", by=in_a.lead)
    assert EXPLANATION in exc.value.message_dict["status"][0]
    assert _item(programme).status == "todo"
    # restating the status it has is no change and no error (an untouched PUT)
    services.checklist_item_update(item=_item(programme), status="todo", notes="n")
    assert _item(programme).notes == "n"


def _api(user):  # type: ignore[no-untyped-def]
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_refuses_to_tick_the_item_with_a_clear_400(tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        item = _item(programme)
    url = f"/api/v1/orgs/{tenant_a.slug}/programmes/{programme.pk}/checklist/{item.pk}/"
    shown = _api(tenant_a.lead).get(url).json()
    assert shown["derived_from"] == "early_metrics_agreed"
    response = _api(tenant_a.lead).patch(url, {"status": "done"}, format="json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "status" and EXPLANATION in error["message"]
    # the same body back (GET then PUT) is accepted and changes nothing
    body = {k: v for k, v in shown.items() if k not in ("id", "completed_by", "completed_at")}
    assert _api(tenant_a.lead).put(url, body, format="json").status_code == 200
    with tenant_a.scope():
        assert _item(programme).status == "todo"


def test_the_checklist_page_shows_the_item_as_derived_without_a_status_control(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        item = _item(programme)
    client.force_login(tenant_a.lead)
    body = client.get(f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/checklist/").content
    row = body.decode().split(f'id="item-{item.pk}"')[1].split("</tr>")[0]
    assert EXPLANATION in row
    assert "<select" not in row


def test_the_ui_refuses_to_tick_the_item_and_says_why(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        item = _item(programme)
    client.force_login(tenant_a.lead)
    url = f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/checklist/{item.pk}/status/"
    response = client.post(url, {"status": "done"}, follow=True)
    assert EXPLANATION in response.content.decode()
    htmx = client.post(url, {"status": "done"}, HTTP_HX_REQUEST="true").content.decode()
    region = htmx[htmx.index('id="inline-saved"') :]
    assert EXPLANATION in region and "Saved" not in region
    with tenant_a.scope():
        assert _item(programme).status == "todo"
