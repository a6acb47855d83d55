"""Requests under /orgs/<slug>/ and /api/v1/orgs/<slug>/ run inside their tenant.

The middleware resolves the organisation, requires a membership (a provider admin may read),
and runs the view in one transaction inside `tenant_context`. A non-member gets the same 404 as
a slug that does not exist. Anonymous requests are refused before the slug is looked up, so
they cannot tell one from the other either.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .context import tenant_context
from .selectors import membership_in_scope, organisation_by_slug

ORG_PATH = re.compile(r"^/(?P<api>api/v1/)?orgs/(?P<slug>[^/]+)/")


def api_not_found() -> JsonResponse:
    return JsonResponse({"detail": "Not found."}, status=404)


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.organisation = None  # type: ignore[attr-defined]
        request.membership = None  # type: ignore[attr-defined]
        match = ORG_PATH.match(request.path_info)
        if match is None:
            return self.get_response(request)
        is_api = bool(match["api"])
        if is_api and not request.user.is_authenticated:
            self._authenticate_token(request)
        if not request.user.is_authenticated:
            if is_api:
                return JsonResponse(
                    {"detail": "Authentication credentials were not provided."}, status=401
                )
            return redirect_to_login(request.get_full_path())
        organisation = organisation_by_slug(match["slug"])
        if organisation is None:
            if is_api:
                return api_not_found()
            raise Http404
        try:
            with tenant_context(organisation):
                membership = membership_in_scope(request.user)
                if membership is None and not request.user.is_provider_admin:
                    raise Http404
                request.organisation = organisation  # type: ignore[attr-defined]
                request.membership = membership  # type: ignore[attr-defined]
                response = self.get_response(request)
                if response.status_code >= 400:
                    # A refused or failed request keeps nothing it wrote on the way (DRF's and
                    # Django's handlers turned the error into this response, so no exception
                    # reaches the transaction): no half-saved rows, no queued email.
                    transaction.set_rollback(True)
                return response
        except Http404:
            if is_api:
                return api_not_found()
            raise

    @staticmethod
    def _authenticate_token(request: HttpRequest) -> None:
        if not request.headers.get("Authorization", "").startswith("Token "):
            return
        try:
            result = TokenAuthentication().authenticate(request)  # type: ignore[arg-type]
        except AuthenticationFailed:
            return
        if result is not None:
            request.user = result[0]
            request.token_auth = result  # type: ignore[attr-defined]  # reused by DRF
