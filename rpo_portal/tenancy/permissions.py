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


# --- The client's targets -------------------------------------------------------------------
# Some values are the client's to set: the go-live date it plans for, and the targets, baselines
# and directions of the metrics it agrees (and of its objectives). The RPO side runs the
# programme against them and may not move them; only a talent lead (the client side) may.
# A change with no person behind it (`by=None`: imports, tasks, the demo) is not a member's
# move and is allowed.
CLIENT_FIELDS: dict[str, frozenset[str]] = {
    "programmes.Programme": frozenset({"go_live_target"}),
    "programmes.AgreedMetric": frozenset({"baseline", "target", "direction"}),
    "programmes.Objective": frozenset({"target"}),
}


def client_fields_of(model_label: str) -> frozenset[str]:
    return CLIENT_FIELDS.get(model_label, frozenset())


def is_client_side(user: Any) -> bool:
    """Whether `user` is a talent lead of the organisation in scope."""
    from .selectors import membership_in_scope  # selectors import this module's neighbours

    membership = membership_in_scope(user) if user is not None else None
    return membership is not None and membership.role == Role.TALENT_LEAD


def client_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that is only a form of the client's targets: other members get the 403 page
    saying why before any typing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_writer(request)
        if not is_client_side(request.user):
            raise PermissionDenied(
                _(
                    "Only the client's talent lead can change the targets the programme is "
                    "measured against. Ask a talent lead of this organisation."
                )
            )
        return view(request, *args, **kwargs)

    return wrapper


def require_client_for(by: Any, model_label: str, fields: Any) -> None:
    """Refuse (PermissionDenied, a 403) a member who is not a talent lead changing any of the
    client's fields of `model_label` among `fields`."""
    touched = sorted(set(fields) & client_fields_of(model_label))
    if not touched or by is None or is_client_side(by):
        return
    raise PermissionDenied(
        _(
            "Only the client's talent lead can change %(fields)s: the RPO side runs the "
            "programme against the client's targets and does not move them."
        )
        % {"fields": ", ".join(touched).replace("_", " ")}
    )
