"""Request types for views, so type checking knows what the middlewares attach."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from rpo_portal.accounts.models import User
    from rpo_portal.tenancy.models import Membership, Organisation


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails


class TenantRequest(AuthedRequest):
    organisation: Organisation
    membership: Membership | None


def actor(request: Any) -> User:
    """The logged-in user of a Django or DRF request (views run only for authenticated users)."""
    return cast("User", request.user)
