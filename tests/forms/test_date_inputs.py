"""Every date and date-time input of every form renders a value the browser accepts.

`<input type="date">` takes only `2027-01-30`; a locale format such as `30/01/2027` is rejected
by the browser and shown empty, so saving the form untouched would erase the date.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

PROJECT_APPS = ("rpo_portal", "programmes", "changeplans", "requisitions", "feedback", "metrics")
ISO = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$"),
}


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_APPS):
            continue
        for module in pkgutil.walk_packages(config.module.__path__, config.name + "."):
            if module.name.rsplit(".", 1)[-1] in {"forms", "views"} or ".forms" in module.name:
                importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        found = []
        for sub in cls.__subclasses__():
            found.append(sub)
            found.extend(subclasses(sub))
        return found

    return sorted(
        {
            cls
            for cls in subclasses(forms.BaseForm)
            if cls.__module__.startswith(PROJECT_APPS) and hasattr(cls, "base_fields")
        },
        key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
    )


def _date_inputs() -> list[tuple[str, forms.Widget]]:
    found = []
    for cls in _project_form_classes():
        for name, field in cls.base_fields.items():
            input_type = getattr(field.widget, "input_type", None)
            if input_type in ISO:
                found.append((f"{cls.__module__}.{cls.__qualname__}.{name}", field.widget))
    return found


def test_the_project_has_date_inputs_to_check():
    # The walk must find the forms: the programme's go-live target and the kick-off's time at least.
    labels = [label for label, _ in _date_inputs()]
    assert "programmes.forms.ProgrammeForm.go_live_target" in labels
    assert "requisitions.forms.RequisitionForm.target_date" in labels
    assert "requisitions.forms.KickOffForm.scheduled_at" in labels


@pytest.mark.parametrize(
    "label, widget", _date_inputs(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_date_input_renders_iso_8601_in_the_british_locale(label: str, widget: forms.Widget):
    value = (
        dt.datetime(2027, 1, 30, 9, 5, tzinfo=dt.UTC)
        if widget.input_type == "datetime-local"
        else dt.date(2027, 1, 30)
    )
    with translation.override(settings.LANGUAGE_CODE):
        html = widget.render("field", value)
    rendered = re.search(r'value="([^"]*)"', html)
    assert rendered, f"{label}: no value in {html}"
    assert ISO[widget.input_type].match(rendered[1]), f"{label} renders {rendered[1]!r}"
