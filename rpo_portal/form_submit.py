"""Handing a POSTed form to a service, the same way on every page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rpo_portal.errors import Conflict
from rpo_portal.form_errors import add_rule_errors, apply_service_errors

NOTHING_CHANGED = _("Nothing was changed.")


def form_submit(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    *,
    editing: bool = False,
    warnings: Callable[[Any], list[str]] | None = None,
) -> tuple[Any, int]:
    """Validate a POSTed form and hand its data to a service.

    Returns (what the service returned, None when nothing was saved) and the status to render
    the page with when it was not: 400 for invalid input, 409 for a state conflict. Service
    errors land next to the fields they name, and the form keeps what the user typed. An edit
    form (`editing`) hands the service only the fields the person changed; sent back untouched,
    it calls no service and says that nothing was changed. `warnings` names what the saved object
    has that is merely unusual (a target date already past): shown after the success message.
    """
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        add_rule_errors(form, save)  # the service's rules too, so one submit shows every error
        return None, 400
    data = form.cleaned_data
    if editing:
        if not form.has_changed():
            messages.info(request, NOTHING_CHANGED)
            return True, 200
        # Only what the person changed goes to the service: a value shown with less precision
        # than it is stored with (a time to the minute) is not rewritten, and a colleague's
        # change to another field since the page was opened is not undone.
        data = {name: data[name] for name in form.changed_data}
    try:
        result = save(data)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None, 400
    except Conflict as exc:
        form.add_error(None, exc.message)
        return None, 409
    messages.success(request, success(result) if callable(success) else success)
    # What was saved but looks unusual: said, not refused.
    for warning in warnings(result) if warnings else []:
        messages.warning(request, warning)
    return (result if result is not None else True), 200
