"""Every create and edit form, submitted empty, reports every required field's error in one
response, each beside its field: the field says it is invalid (aria-invalid) and points at its
message (aria-describedby), which is there.

The forms are found, not listed: every page of the organisation's UI in the URL configuration is
opened as a talent lead (with its ids filled as the isolation sweep fills them), and every POST
form on it that marks a field required is submitted empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from tests.factories import ProgrammeFactory
from tests.programmes.factories import ImprovementFactory, RiskFactory
from tests.sweep_registry import SWEEP_KWARGS
from tests.tenancy.sweep import Leaf, build_url, iter_leaves

pytestmark = pytest.mark.django_db

ORG_UI = "orgs/<slug:org_slug>/"

# Filled like the sweep, except that a risk and an improvement belong to the URL's programme.
KWARGS = {
    **SWEEP_KWARGS,
    "programme_id": lambda made: ProgrammeFactory(name="Empty-submit programme"),
    "risk_id": lambda made: RiskFactory(programme=made["programme_id"], title="A risk"),
    "improvement_id": lambda made: ImprovementFactory(
        programme=made["programme_id"], title="An improvement"
    ),
}

# Inline status controls (one select that saves at once) answer with a message, not a form page.
NOT_EDIT_FORMS = ("/status/",)

# Forms that must be found, so the test cannot pass by finding nothing.
EXPECTED_ACTIONS = (
    "/programmes/new/",
    "/requisitions/new/",
    "/hiring-managers/new/",
    "/kickoff/",
    "/risks/",
    "/improvements/",
    "/checklist/",
    "/metrics/",
    "/change-plans/new/",
    "/objectives/",
    "/board/add/",
    "/requisitions/imports/",
)


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]


@dataclass
class Form:
    attrs: dict[str, str]
    controls: list[Control] = field(default_factory=list)


class FormParser(HTMLParser):
    """POST forms and their controls, and every element id on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.ids: set[str] = set()
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "form" and values.get("method", "get").lower() == "post":
            self._open = Form(values)
            self.forms.append(self._open)
        elif tag in ("input", "select", "textarea") and self._open is not None:
            self._open.controls.append(Control(tag, values))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def _required(form: Form) -> list[Control]:
    return [c for c in form.controls if "required" in c.attrs and c.attrs.get("name")]


def _org_pages(tenant: Any) -> list[str]:
    urls: list[str] = []
    with tenant.scope():
        for leaf in iter_leaves():
            if not leaf.route.startswith(ORG_UI) or not leaf.name:
                continue
            url = _fill(leaf, tenant.slug)
            if url is not None:
                urls.append(url)
    return urls


def _fill(leaf: Leaf, slug: str) -> str | None:
    made: dict[str, Any] = {"__model__": None, "__route__": leaf.route}
    values = {"org_slug": slug}
    for kwarg in leaf.kwarg_names:
        if kwarg == "org_slug":
            continue
        value = KWARGS[kwarg](made)
        made[kwarg] = value
        values[kwarg] = str(getattr(value, "pk", value))
    return build_url(leaf, values)


def test_every_form_submitted_empty_names_every_required_field_at_once(client: Client, tenant_a):
    client.force_login(tenant_a.lead)
    submitted: list[str] = []
    findings: list[str] = []
    for url in _org_pages(tenant_a):
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        for form in parse(page.content.decode()).forms:
            required = _required(form)
            if not required:
                continue
            action = form.attrs.get("action") or url
            if action.endswith(NOT_EDIT_FORMS):
                continue
            # Only what the page itself put there (hidden values), nothing the user would type.
            data = {
                c.attrs["name"]: c.attrs.get("value", "")
                for c in form.controls
                if c.attrs.get("type") == "hidden" and c.attrs.get("name")
            }
            response = client.post(action, data)
            submitted.append(action)
            label = f"{url} -> POST {action}"
            if response.status_code in (301, 302, 303):
                findings.append(f"{label}: redirected to {response['Location']} (errors lost)")
                continue
            answer = parse(response.content.decode())
            controls = {c.attrs.get("name"): c for f in answer.forms for c in f.controls if c.attrs}
            for wanted in required:
                name = wanted.attrs["name"]
                control = controls.get(name)
                if control is None:
                    findings.append(f"{label}: {name} is gone from the answer")
                    continue
                if control.attrs.get("aria-invalid") != "true":
                    findings.append(f"{label}: {name} is not marked invalid")
                    continue
                error_id = f"{control.attrs.get('id', '')}_error"
                described = control.attrs.get("aria-describedby", "").split()
                if error_id not in described or error_id not in answer.ids:
                    findings.append(f"{label}: {name} does not point at its error message")
    assert not findings, "\n".join(findings)
    missing = [a for a in EXPECTED_ACTIONS if not any(s.endswith(a) for s in submitted)]
    assert not missing, f"forms not found: {missing}; found: {sorted(set(submitted))}"
