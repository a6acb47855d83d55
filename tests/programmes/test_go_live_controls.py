"""The go-live sign button tells the truth: disabled, with the reason beside it, while signing
cannot succeed; a refused sign-off lists its reasons once, as a list."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from programmes import services
from programmes.models import ChecklistItem

pytestmark = pytest.mark.django_db

SIGN_BUTTON = re.compile(r"<button[^>]*>\s*Sign for the (?:RPO|client)\s*</button>")


def _page(client, tenant, programme):  # type: ignore[no-untyped-def]
    return client.get(f"/orgs/{tenant.slug}/programmes/{programme.pk}/go-live/").content.decode()


def _ready(programme):  # type: ignore[no-untyped-def]
    for key in ["hires", "time_to_fill", "candidate_nps"]:
        services.agreed_metric_create(programme=programme, metric_key=key, target=Decimal("1"))
    for item in ChecklistItem.objects.filter(programme=programme, blocks_go_live=True):
        if item.is_open:
            services.checklist_item_update(item=item, status="done")


def test_sign_button_is_disabled_with_the_reason_beside_it_while_blockers_are_open(
    client, tenant_a
):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
    client.force_login(tenant_a.recruiter)
    body = _page(client, tenant_a, programme)
    button = SIGN_BUTTON.search(body)
    assert button is not None
    assert " disabled" in button.group(0)
    assert 'aria-describedby="sign-blocked"' in button.group(0)
    assert "You can sign once the 8 things listed above are done." in body


def test_sign_button_is_enabled_when_signing_can_succeed(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        _ready(programme)
    client.force_login(tenant_a.recruiter)
    body = _page(client, tenant_a, programme)
    button = SIGN_BUTTON.search(body)
    assert button is not None and " disabled" not in button.group(0)
    assert "You sign the definition exactly as shown above." in body


def test_sign_button_is_disabled_once_the_side_has_signed(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
        _ready(programme)
        services.go_live_sign(programme=programme, by=tenant_a.recruiter)
    client.force_login(tenant_a.recruiter)
    body = _page(client, tenant_a, programme)
    button = SIGN_BUTTON.search(body)
    assert button is not None and " disabled" in button.group(0)
    assert "The RPO side has already signed." in body


def test_a_refused_sign_off_lists_its_reasons_once_as_a_list(client, tenant_a):
    with tenant_a.scope():
        programme = services.programme_create(name="P")
    client.force_login(tenant_a.lead)
    response = client.post(f"/orgs/{tenant_a.slug}/programmes/{programme.pk}/go-live/sign/")
    body = response.content.decode()
    assert response.status_code == 409
    alert = body[body.index('role="alert"') :]
    alert = alert[: alert.index("</div>")]
    assert "Go-live cannot be signed yet." in alert
    reasons = re.findall(r"<li>(.*?)</li>", alert)
    assert len(reasons) == 8
    assert "Three early metrics must be agreed; 0 agreed so far." in reasons
    # the derived checklist item restates that reason: it is not listed a second time
    assert "Blocking checklist item open: Three early metrics agreed" not in reasons
    # each reason appears once on the page, not again in a second list or a run-on paragraph
    assert body.count("Three early metrics must be agreed") == 1
