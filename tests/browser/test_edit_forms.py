"""Every edit form, opened in Chromium and saved untouched, changes nothing and says so.

The forms are the registered ones of tests/forms/edit_forms.py (a registry test keeps it
complete from the URL configuration). The data is the demo's, on its second day: the stored
names and titles are as long as their fields allow, with accents, and every date is filled in.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.db.models import Count
from django.urls import reverse
from playwright.sync_api import Page, expect

from changeplans.models import ChangePlan
from programmes.models import AgreedMetric, Improvement, Programme, Risk
from requisitions.models import Candidate, HiringManager, Requisition
from rpo_portal.tenancy.context import tenant_context
from rpo_portal.tenancy.models import Organisation
from tests.forms.edit_forms import EDIT_FORMS
from tests.forms.test_api_round_trip import changes_between
from tests.tenancy.sweep import iter_leaves, snapshot

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TEXT_FIELDS = ("name", "title")


def _first(queryset: models.QuerySet[Any], what: str) -> Any:
    found = queryset.order_by("pk").first()
    if found is None:
        pytest.fail(f"the demo data has no {what} to edit")
    return found


# Each URL keyword, filled from the demo data (objects to the left in the URL come first).
def _programme(made: dict[str, Any]) -> Programme:
    if made["__name__"] == "programmes:go_live":  # the definition is editable until go-live
        return _first(Programme.objects.filter(went_live_on__isnull=True), "programme in build")
    return _first(
        Programme.objects.annotate(n=Count("risks")).filter(n__gt=0, go_live_target__isnull=False),
        "programme with a go-live target and risks",
    )


DEMO_KWARGS = {
    "programme_id": _programme,
    "metric_id": lambda made: _first(
        AgreedMetric.objects.filter(programme=made["programme_id"], is_current=True), "metric"
    ),
    "risk_id": lambda made: _first(Risk.objects.filter(programme=made["programme_id"]), "risk"),
    "improvement_id": lambda made: _first(
        Improvement.objects.filter(programme=made["programme_id"]), "improvement"
    ),
    "plan_id": lambda made: _first(ChangePlan.objects.all(), "change plan"),
    "requisition_id": lambda made: _first(
        Requisition.objects.filter(kickoffs__isnull=False, target_date__isnull=False),
        "requisition with a kick-off",
    ),
    "candidate_id": lambda made: _first(Candidate.objects.all(), "candidate"),
    "hiring_manager_id": lambda made: _first(HiringManager.objects.all(), "hiring manager"),
}


def _lengthen(obj: models.Model) -> None:
    """Names and titles as long as the field allows, as users leave them on day two."""
    values = {}
    for name in LONG_TEXT_FIELDS:
        try:
            field = obj._meta.get_field(name)
        except Exception:
            continue
        if isinstance(field, models.CharField) and field.max_length:
            text = f"Équipe régionale {name} " + "très longue désignation " * 20
            values[name] = text[: field.max_length].strip()
    if values:
        type(obj)._default_manager.filter(pk=obj.pk).update(**values)


def _edit_form_urls(organisation: Organisation) -> dict[str, str]:
    leaves = {leaf.name: leaf for leaf in iter_leaves() if leaf.name in EDIT_FORMS}
    assert set(leaves) == EDIT_FORMS, f"not in the URL configuration: {EDIT_FORMS - set(leaves)}"
    urls = {}
    with tenant_context(organisation):
        for name, leaf in sorted(leaves.items()):
            made: dict[str, Any] = {"__name__": name}
            for kwarg in leaf.kwarg_names:
                if kwarg != "org_slug":
                    made[kwarg] = DEMO_KWARGS[kwarg](made)
            del made["__name__"]
            for obj in made.values():
                _lengthen(obj)
            kwargs = {k: v.pk for k, v in made.items()} | {"org_slug": organisation.slug}
            urls[name] = reverse(name, kwargs=kwargs)
    return urls


def _submit_untouched(page: Page) -> None:
    """Press the form's own submit button, as a person would, with the browser's validation."""
    form = page.locator("main form[method=post]:not([action])").first
    folded = page.locator("main details:not([open]):has(form[method=post]:not([action])) > summary")
    if folded.count():
        folded.first.click()  # a form folded away behind "Change …" is opened first
    expect(form).to_be_visible()
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").last.click()


def test_every_edit_form_saved_untouched_changes_nothing_and_says_so(page: Page, transactional_db):
    # given: the demo organisation on its second day, and the talent lead signed in
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    organisation = Organisation.objects.get(slug="acme")
    urls = _edit_form_urls(organisation)
    login(page, "lead@acme.example", settings.DEMO_PASSWORD)
    failures: list[str] = []
    for name, url in urls.items():
        before = snapshot(organisation)
        page.goto(url)
        assert page.url.endswith(url), f"{name}: {url} went to {page.url}"
        axe_check(page)
        screenshot(page, f"edit-form-{name.replace(':', '-')}")
        # when: the form is sent back as it was shown
        _submit_untouched(page)
        # then: the page says so, and no stored value changed, field by field
        toasts = " ".join(page.locator(".toast").all_inner_texts())
        if "Nothing was changed." not in toasts:
            errors = page.locator(".errorlist, .form-errors, [role=alert]").all_inner_texts()
            failures.append(f"{name} {url}: toasts {toasts!r}, errors {errors!r}")
        failures += [f"{name} {url}: {c}" for c in changes_between(before, snapshot(organisation))]
    assert not failures, "\n".join(failures)
