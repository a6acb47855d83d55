from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rpo_portal.api import TenantAPIView
from rpo_portal.http import actor

from .models import Organisation
from .selectors import accessible_organisations


class OrganisationSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["slug", "name", "timezone", "locale", "brand_colour", "role"]
        read_only_fields = fields

    def get_role(self, obj: Organisation) -> str | None:
        return self.context.get("roles", {}).get(obj.pk)


class OrganisationListView(APIView):
    """The organisations the caller may open."""

    @extend_schema(responses=OrganisationSerializer(many=True), tags=["organisations"])
    def get(self, request: Request) -> Response:
        access = accessible_organisations(actor(request))
        roles = {a.organisation.pk: a.role for a in access}
        data = OrganisationSerializer(
            [a.organisation for a in access], many=True, context={"roles": roles}
        ).data
        return Response(data)


class OrganisationDetailView(TenantAPIView, APIView):
    @extend_schema(responses=OrganisationSerializer, tags=["organisations"])
    def get(self, request: Request, org_slug: str) -> Response:
        organisation = self.organisation
        if organisation is None:
            raise NotFound()
        membership = request._request.membership  # type: ignore[attr-defined]
        roles = {organisation.pk: membership.role if membership else None}
        return Response(OrganisationSerializer(organisation, context={"roles": roles}).data)
