"""Every page whose form shows stored values for changing them is a registered edit form."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.forms.edit_forms import EDIT_FORMS, NOT_EDIT_FORMS
from tests.forms.test_api_round_trip import schedule_missing_kickoffs
from tests.tenancy.sweep import prepare_targets

pytestmark = pytest.mark.django_db

TEXT_INPUTS = {"text", "email", "date", "datetime-local", "number", "url", "tel", ""}


class _Forms(HTMLParser):
    """Collects, for each POST form posting to the page itself, whether it shows stored text."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.prefilled: list[bool] = []
        self._in_form = False
        self._in_textarea = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            action = (a.get("action") or "").split("?")[0]
            self._in_form = (a.get("method") or "").lower() == "post" and action in ("", self.path)
            if self._in_form:
                self.prefilled.append(False)
        elif self._in_form and tag == "input":
            kind = (a.get("type") or "").lower()
            if kind in TEXT_INPUTS and (a.get("value") or "").strip():
                self.prefilled[-1] = True
        elif self._in_form and tag == "textarea":
            self._in_textarea = True

    def handle_data(self, data: str) -> None:
        if self._in_textarea and data.strip():
            self.prefilled[-1] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._in_textarea = False


def test_every_page_that_edits_stored_values_is_a_registered_edit_form(tenant_a):
    # given: every UI page filled with A's objects (each requisition with its kick-off)
    targets = [
        t
        for t in prepare_targets(tenant_a.organisation)
        if t.leaf.route.startswith("orgs/") and t.leaf.name
    ]
    schedule_missing_kickoffs(tenant_a)
    client = Client()
    client.force_login(tenant_a.lead)
    # when: each page is read as the talent lead
    editing: set[str] = set()
    for target in targets:
        url = target.url(tenant_a.slug)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms(url)
        parser.feed(response.content.decode())
        if any(parser.prefilled):
            editing.add(str(target.leaf.name))
    # then: each is registered, and each registered edit form was found
    unregistered = editing - EDIT_FORMS - set(NOT_EDIT_FORMS)
    assert not unregistered, (
        f"register these edit forms in tests/forms/edit_forms.py: {unregistered}"
    )
    missing = EDIT_FORMS - editing
    assert not missing, f"these registered edit forms show no stored values: {missing}"
