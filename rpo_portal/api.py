"""Shared pieces of the REST API: errors, pagination, tenant permissions, base views."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from rpo_portal.errors import Conflict
from rpo_portal.tenancy.models import WRITER_ROLES


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """[{"field": "openings", "message": "..."}] from DRF's nested error detail."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            if isinstance(key, int):  # an item of a list field
                path = f"{prefix}[{key}]"
            else:
                field = key if key != "non_field_errors" else ""
                path = f"{prefix}.{field}".strip(".") if prefix else field
            out += _flatten(value, path)
        return out
    if isinstance(detail, list):
        out = []
        for i, value in enumerate(detail):
            if isinstance(value, dict | list):
                out += _flatten(value, f"{prefix}[{i}]")
            else:
                out += _flatten(value, prefix)
        return out
    return [{"field": prefix, "message": str(detail)}]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error is JSON: `detail` says what is wrong, `errors` names each field at fault."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, Conflict):
        return Response({"detail": exc.message, "reasons": exc.reasons}, status=409)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(response.data)
        summary = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
        )
        response.data = {"detail": f"Invalid input. {summary}", "errors": errors}
    elif isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response


class RejectUnknownFields:
    """A body key the serializer does not know is a 400 naming it: a misspelt field is never a
    silent no-op. Keys in `tolerated` (the object's read-only output fields, such as `id`) are
    accepted and ignored, so a body read with GET can be sent back with PUT."""

    tolerated: ClassVar[frozenset[str]] = frozenset()

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            known = set(self.fields) | self.tolerated  # type: ignore[attr-defined]
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise exceptions.ValidationError({key: ["Unknown field."] for key in unknown})
        return super().to_internal_value(data)  # type: ignore[misc]


class InputSerializer(RejectUnknownFields, serializers.Serializer):
    """The shape of a write's input (HackSoft's InputSerializer): types and required keys only;
    the rules live in the service it feeds."""


class DefaultCursorPagination(pagination.CursorPagination):
    """Cursor pagination: no COUNT(*) over a large table for each page."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


class IsOrganisationMember(permissions.BasePermission):
    """Re-checks the middleware's membership for the DRF-authenticated user.

    Reads need a membership (or the provider-admin flag); writes need a talent lead or
    recruiter membership.
    """

    message = "You do not have permission to change this organisation's data."

    def has_permission(self, request: Request, view: APIView) -> bool:
        django_request = request._request
        organisation = getattr(django_request, "organisation", None)
        membership = getattr(django_request, "membership", None)
        if organisation is None:
            raise exceptions.NotFound()
        user = request.user
        if membership is not None and membership.user_id != user.pk:
            raise exceptions.NotFound()
        if membership is None and not getattr(user, "is_provider_admin", False):
            raise exceptions.NotFound()
        if request.method in permissions.SAFE_METHODS:
            return True
        return membership is not None and membership.role in WRITER_ROLES


class TenantAPIView:
    """Mixin for views under /api/v1/orgs/<slug>/: the member check and the organisation."""

    permission_classes: Any = [permissions.IsAuthenticated, IsOrganisationMember]

    @property
    def organisation(self):  # type: ignore[no-untyped-def]
        return self.request._request.organisation  # type: ignore[attr-defined]
