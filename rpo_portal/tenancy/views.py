from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from rpo_portal.http import AuthedRequest

from .selectors import accessible_organisations


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The user's organisations; with exactly one, straight to it."""
    organisations = accessible_organisations(request.user)
    if len(organisations) == 1:
        return redirect("dashboard", org_slug=organisations[0].organisation.slug)
    return render(request, "tenancy/home.html", {"organisations": organisations})
