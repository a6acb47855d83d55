from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import Role
from .selectors import accessible_organisations


def tenancy(request: HttpRequest) -> dict[str, Any]:
    """The organisation in scope, the user's role there, and the organisation switcher."""
    user = getattr(request, "user", None)
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)

    def switcher() -> list[Any]:
        return accessible_organisations(user) if user is not None else []

    return {
        "organisation": organisation,
        "membership": membership,
        "can_write": bool(membership and membership.can_write),
        # The client's targets (go-live date, metric targets) are the talent lead's to set.
        "can_set_targets": bool(membership and membership.role == Role.TALENT_LEAD),
        "organisation_switcher": switcher,  # called lazily by the template
    }
