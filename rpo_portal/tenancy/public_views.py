"""`/s/<token>/`: opens a public link inside its organisation and hands it to its purpose's handler.

Unknown tokens and tokens whose purpose has no handler are a 404, expired or used links a 410;
both pages are the same bytes for every organisation, so a token reveals nothing about whose it
would have been.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from .context import tenant_context
from .links import LinkNotFound, link_handler, public_link_lookup


def _neutral(template: str, status: int) -> HttpResponse:
    # Rendered without the request: no user, CSRF token or organisation can reach the page.
    return HttpResponse(render_to_string(template), status=status)


def link_not_found() -> HttpResponse:
    return _neutral("tenancy/public_link_not_found.html", 404)


def link_gone() -> HttpResponse:
    return _neutral("tenancy/public_link_gone.html", 410)


@never_cache
def public_link(request: HttpRequest, link_token: str) -> HttpResponse:
    try:
        organisation, link = public_link_lookup(link_token)
    except LinkNotFound:
        return link_not_found()
    handler = link_handler(link.purpose)
    if handler is None:
        return link_not_found()
    if not link.is_live:
        return link_gone()
    with tenant_context(organisation):
        request.organisation = organisation  # type: ignore[attr-defined]
        response = handler(request, link)
        if response.status_code >= 400:  # as in TenantMiddleware: a refusal keeps nothing
            transaction.set_rollback(True)
    return response
