"""Every inline status control behaves the same: it saves on change and says so, with an Undo
that restores the previous status through the same service; without JavaScript a submit button
posts the same form and the page comes back with the confirmation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from programmes import services
from programmes.models import ChecklistItem
from tests.changeplans.factories import CommunicationFactory
from tests.programmes.factories import ImprovementFactory, ObjectiveFactory
from tests.requisitions.factories import make_requisition

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _checklist(tenant: Any) -> tuple[Any, str, str, str]:
    programme = services.programme_create(name="P")
    item = ChecklistItem.objects.filter(programme=programme, derived_from="").first()
    base = f"/orgs/{tenant.slug}/programmes/{programme.pk}/"
    return item, base + f"checklist/{item.pk}/status/", base + "checklist/", "done"


def _improvement(tenant: Any) -> tuple[Any, str, str, str]:
    improvement = ImprovementFactory(title="Shorter interview loop")
    base = f"/orgs/{tenant.slug}/programmes/{improvement.programme_id}/"
    return (
        improvement,
        base + f"improvements/{improvement.pk}/status/",
        base + "improvements/",
        ("planned"),
    )


def _communication(tenant: Any) -> tuple[Any, str, str, str]:
    communication = CommunicationFactory(message="Launch email")
    base = f"/orgs/{tenant.slug}/change-plans/{communication.plan_id}/"
    return (
        communication,
        base + f"communications/{communication.pk}/status/",
        base,
        "sent",
    )


CONTROLS = {"checklist": _checklist, "improvement": _improvement, "communication": _communication}


def _status(tenant: Any, obj: Any) -> str:
    with tenant.scope():
        obj.refresh_from_db()
        return str(obj.status)


@pytest.mark.parametrize("control", CONTROLS)
def test_an_inline_change_saves_says_so_and_can_be_undone(client, tenant_a, control):
    with tenant_a.scope():
        obj, url, page, new = CONTROLS[control](tenant_a)
    before = obj.status
    client.force_login(tenant_a.recruiter)
    # the page carries the live region the answers update, and the control posts on change
    body = client.get(page).content.decode()
    assert 'id="inline-saved"' in body and 'aria-live="polite"' in body
    control_form = re.search(rf'<form[^>]*hx-post="{re.escape(url)}"[^>]*>', body)
    assert control_form is not None and 'hx-trigger="change"' in control_form.group(0)

    # when: a new status is picked
    response = client.post(url, {"status": new}, **HTMX)
    body = response.content.decode()
    # then: saved at once, and the live region says so with an Undo restoring the old status
    assert response.status_code == 200 and _status(tenant_a, obj) == new
    region = body[body.index('id="inline-saved"') :]
    assert 'hx-swap-oob="true"' in body
    assert re.search(r"Saved: “[^”]+” is now \w", region)
    undo = re.search(r'<button[^>]*hx-post="([^"]+)"[^>]*>Undo</button>', region)
    assert undo is not None and undo.group(1) == url
    assert f'hx-vals=\'{{"status": "{before}", "undo": "1"}}\'' in undo.group(0)

    # when: Undo is pressed
    undone = client.post(url, {"status": before, "undo": "1"}, **HTMX).content.decode()
    # then: the previous status is back, through the same endpoint and service
    assert _status(tenant_a, obj) == before
    assert "Undone: “" in undone and "Undo</button>" not in undone


@pytest.mark.parametrize("control", CONTROLS)
def test_without_javascript_the_same_form_submits_and_confirms(client, tenant_a, control):
    with tenant_a.scope():
        obj, url, page, new = CONTROLS[control](tenant_a)
    client.force_login(tenant_a.recruiter)
    body = client.get(page).content.decode()
    # the control's own submit button is only for browsers without JavaScript
    form = body[body.index(f'hx-post="{url}"') :]
    form = form[: form.index("</form>")]
    assert "<noscript><button" in form
    response = client.post(url, {"status": new}, follow=True)
    assert response.status_code == 200 and _status(tenant_a, obj) == new
    assert "Saved: “" in response.content.decode()


def test_status_buttons_say_what_was_saved(client, tenant_a):
    with tenant_a.scope():
        objective = ObjectiveFactory(title="Hire 40 engineers")
        requisition = make_requisition()
    client.force_login(tenant_a.lead)
    page = client.post(
        f"/orgs/{tenant_a.slug}/programmes/{objective.programme_id}/objectives/"
        f"{objective.pk}/status/",
        {"status": "achieved"},
        follow=True,
    ).content.decode()
    assert "Saved: “Hire 40 engineers” is now Achieved." in page
    status_url = f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/status/"
    page = client.post(status_url, {"status": "on_hold"}, follow=True).content.decode()
    region = page[page.index('id="inline-saved"') :]
    region = region[: region.index("</div>")]
    assert "Saved: status changed from Open to On hold." in region
    assert f'action="{status_url}"' in region and 'name="status" value="open"' in region
    # the Undo is offered once, right after the change
    again = client.get(f"/orgs/{tenant_a.slug}/requisitions/{requisition.pk}/").content.decode()
    assert "Saved: status changed" not in again
    undone = client.post(status_url, {"status": "open", "undo": "1"}, follow=True).content
    assert "Undone: status is back to Open." in undone.decode()
    with tenant_a.scope():
        requisition.refresh_from_db()
        assert requisition.status == "open"
    # a change that cannot be reversed says what was saved, with no Undo
    cancelled = client.post(
        status_url, {"status": "cancelled", "reason": "Budget cut"}, follow=True
    ).content.decode()
    assert "Saved: status changed from Open to Cancelled." in cancelled
    assert ">Undo</button>" not in cancelled
