from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from rpo_portal.http import TenantRequest

from . import selectors


def dashboard(request: TenantRequest, org_slug: str) -> HttpResponse:
    """The organisation's home: its agreed early metrics first, then Build and Run."""
    return render(request, "metrics/dashboard.html", {"dashboard": selectors.dashboard()})
