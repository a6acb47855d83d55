"""One behaviour for inline status changes: they save at once and say so, with an Undo.

A status control (a select) posts on change with htmx; the view calls the entity's update
service and answers the changed row plus, out of band, the page's live region
(templates/components/inline_saved.html): "Saved: “Item” is now Done. Undo". Undo posts the
previous status to the same URL, through the same service. Without JavaScript the same form has
a submit button and the view redirects back with the confirmation as a message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest
from django.utils.translation import gettext as _

from rpo_portal.errors import Conflict


@dataclass
class InlineSaved:
    """What the live region says after an inline change (rendered by inline_saved.html)."""

    message: str = ""
    error: str = ""
    undo_url: str = ""  # empty: nothing to undo
    undo_status: str = ""  # the status Undo restores
    undo_target: str = ""  # the element Undo's answer replaces (CSS selector)
    undo_label: str = ""  # what Undo says to a screen reader
    undo_form: bool = False  # Undo as a plain form (a page answered after a redirect)


def change_status(
    request: HttpRequest,
    *,
    obj: Any,
    form: BaseForm,
    update: Callable[[str], Any],
    what: str,
    url: str,
    target: str,
) -> InlineSaved:
    """Apply a POSTed `status` to `obj` through `update` (its service) and describe the result.

    `obj` is refreshed afterwards, so the row renders what was saved (or what stands, when the
    service refused). Without htmx the result also becomes a message for the redirect.
    """
    previous = obj.status
    previous_label = str(obj.get_status_display())
    undoing = request.POST.get("undo") == "1"
    result = InlineSaved()
    if not form.is_valid():
        result.error = _("Choose one of the listed statuses.")
    else:
        try:
            update(form.cleaned_data["status"])
        except ValidationError as exc:
            result.error = " ".join(exc.messages)
        except Conflict as exc:
            result.error = " ".join([exc.message, *exc.reasons])
    obj.refresh_from_db()
    if not result.error and obj.status != previous:
        label = str(obj.get_status_display())
        if undoing:
            result.message = _("Undone: “%(what)s” is back to %(status)s.") % {
                "what": what,
                "status": label,
            }
        else:
            result.message = _("Saved: “%(what)s” is now %(status)s.") % {
                "what": what,
                "status": label,
            }
            result.undo_url, result.undo_status, result.undo_target = url, previous, target
            result.undo_label = _("Undo: put “%(what)s” back to %(status)s") % {
                "what": what,
                "status": previous_label,
            }
    if not getattr(request, "htmx", False):
        if result.error:
            messages.error(request, result.error)
        elif result.message:
            messages.success(request, result.message)
    return result
