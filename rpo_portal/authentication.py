"""API authentication (its own module: DRF imports it while its settings load)."""

from __future__ import annotations

from typing import Any

from rest_framework import authentication
from rest_framework.request import Request


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, reusing the check the tenant middleware already made for
    this request (one query less on every API call under /api/v1/orgs/)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        checked = getattr(request._request, "token_auth", None)
        if checked is not None:
            return checked
        return super().authenticate(request)
