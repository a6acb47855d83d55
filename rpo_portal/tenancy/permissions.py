"""Role checks for UI views (the API uses rpo_portal.api.IsOrganisationMember).

The one policy: talent leads and recruiters change data (WRITER_ROLES); viewers and provider
admins without a membership read. A reader is refused with a reason that names their role, and
is never shown a form they could not submit: pages that are only a form (`new`, `edit`,
`kickoff`...) refuse them before any typing (`writer_required`); pages that list and add
(`writer_required_for_unsafe`) hide their forms behind `can_write`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import WRITER_ROLES, Role


def can_write(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in WRITER_ROLES


def refusal_reason(request: HttpRequest) -> str:
    """Why this user may read but not change the organisation's data, in their own terms."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return _(
            "Provider admins can read every organisation but not change its data. "
            "Ask a talent lead or recruiter of this organisation to make the change."
        )
    if membership.role == Role.VIEWER:
        return _(
            "Viewers can read this organisation's programmes and requisitions but not change "
            "them. Ask a talent lead if you need to make changes."
        )
    return _("Your role in this organisation can read but not change data.")


def require_writer(request: HttpRequest) -> None:
    if not can_write(request):
        raise PermissionDenied(refusal_reason(request))


def writer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that is only a form: readers get the 403 page saying why, even on GET, so they
    never type into a form they cannot submit."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_writer(request)
        return view(request, *args, **kwargs)

    return wrapper


def writer_required_for_unsafe(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Viewers (and provider admins without a membership) may GET; other methods are 403.

    For pages that show data and, to writers only, a form to add to it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            require_writer(request)
        return view(request, *args, **kwargs)

    return wrapper
