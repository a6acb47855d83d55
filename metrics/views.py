from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from programmes import selectors as programme_selectors


def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's home: its programmes now; the early metrics as they are agreed."""
    programmes = list(programme_selectors.programme_list()[:20])
    return render(request, "metrics/dashboard.html", {"programmes": programmes})
