from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rpo_portal.api import TenantAPIView
from rpo_portal.http import actor

from .models import Membership, Organisation, Role
from .selectors import accessible_organisations, membership_list


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


class MemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(
        source="user_id",
        read_only=True,
        help_text="The user's id: what `recruiter`, `owner` and `talent_lead` fields take.",
    )
    name = serializers.CharField(source="user.display_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "role"]
        read_only_fields = fields


class MemberFilter(filters.FilterSet):
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["role"]


@extend_schema_view(
    get=extend_schema(
        tags=["organisations"],
        summary="List the organisation's members",
        description="Every member with their role, readable by every member (viewers "
        "included). `?role=recruiter` lists the users a requisition may be assigned to.",
    )
)
class MemberList(TenantAPIView, generics.ListAPIView):
    serializer_class = MemberSerializer
    filterset_class = MemberFilter

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no tenant in scope
            return Membership.objects.none()
        return membership_list()
