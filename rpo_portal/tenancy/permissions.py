"""Role checks for UI views (the API uses rpo_portal.api.IsOrganisationMember)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .models import WRITER_ROLES


def can_write(request: HttpRequest) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in WRITER_ROLES


def require_writer(request: HttpRequest) -> None:
    if not can_write(request):
        raise PermissionDenied(_("Your role in this organisation can read but not change data."))


def writer_required_for_unsafe(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Viewers (and provider admins without a membership) may GET; other methods are 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            require_writer(request)
        return view(request, *args, **kwargs)

    return wrapper
