"""REST API for programmes, checklists, go-live, objectives and agreed metrics.

Serializers check the shape of input only; every write goes through programmes.services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_countries.serializer_fields import CountryField
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rpo_portal.accounts.models import User
from rpo_portal.api import TenantAPIView
from rpo_portal.http import actor
from rpo_portal.tenancy.selectors import member_users

from . import selectors, services
from .metric_catalogue import CATALOGUE
from .models import (
    AgreedMetric,
    ChecklistItem,
    GoLiveSignature,
    Improvement,
    Objective,
    Programme,
    Risk,
)

TAG = ["programmes"]


def _tagged(*methods: str, tags: list[str] = TAG) -> Any:
    return extend_schema_view(**{m: extend_schema(tags=tags) for m in methods})


class UserField(serializers.PrimaryKeyRelatedField):
    """A member of this organisation by id: another organisation's user is an unknown id."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", User.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[User]:
        return member_users()


class OwnerFilter(filters.FilterSet):
    """`?owner=<user id>`: matches by id, so any id that is not an owner here finds nothing."""

    owner = filters.NumberFilter(field_name="owner_id")


class ChecklistFilter(OwnerFilter):
    class Meta:
        model = ChecklistItem
        fields = ["section", "owner_side", "owner", "status", "blocks_go_live"]


class RiskFilter(OwnerFilter):
    class Meta:
        model = Risk
        fields = ["programme", "status", "process_area", "owner"]


class ImprovementFilter(OwnerFilter):
    class Meta:
        model = Improvement
        fields = ["programme", "status", "kind", "origin", "process_area", "owner"]


class ProgrammeSerializer(serializers.ModelSerializer):
    countries = serializers.ListField(child=CountryField(), required=False)
    readiness_percent = serializers.SerializerMethodField()
    open_blockers = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "provider_name",
            "scope",
            "category_name",
            "delivery_model",
            "countries",
            "go_live_target",
            "status",
            "went_live_on",
            "go_live_definition",
            "readiness_percent",
            "open_blockers",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "went_live_on", "created_at", "updated_at"]

    def get_readiness_percent(self, obj: Programme) -> int | None:
        applicable = getattr(obj, "items_applicable", None)
        if not applicable:
            return None
        return round(100 * obj.items_done / applicable)  # type: ignore[attr-defined]

    def get_open_blockers(self, obj: Programme) -> int | None:
        return getattr(obj, "blockers_open", None)

    def to_representation(self, instance: Programme) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["countries"] = [c.code for c in instance.countries]
        return data


class ProgrammeScoped(TenantAPIView):
    """Views under programmes/<programme_id>/: the programme comes from the scoped manager."""

    kwargs: dict[str, Any]
    model: Any = None

    def get_programme(self) -> Programme:
        return get_object_or_404(Programme.objects.all(), pk=self.kwargs["programme_id"])

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no programme
            return self.model.objects.none()
        return self.programme_queryset(self.get_programme())

    def programme_queryset(self, programme: Programme) -> Any:
        raise NotImplementedError


@_tagged("get", "post")
class ProgrammeListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = ProgrammeSerializer
    filterset_fields = ["status", "delivery_model", "scope"]

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.programme_create(
            by=actor(self.request), **serializer.validated_data
        )


@_tagged("get", "put", "patch", "delete")
class ProgrammeDetail(TenantAPIView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProgrammeSerializer
    lookup_url_kwarg = "programme_id"

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list()

    def perform_update(self, serializer: Any) -> None:
        programme = services.programme_update(
            programme=serializer.instance, by=actor(self.request), **serializer.validated_data
        )
        # Answer with the same annotated row a GET reads (readiness, open blockers).
        serializer.instance = self.get_queryset().get(pk=programme.pk)

    def perform_destroy(self, instance: Programme) -> None:
        services.programme_delete(programme=instance, by=actor(self.request))


# --- Checklist ----------------------------------------------------------------------------------


class ChecklistItemSerializer(serializers.ModelSerializer):
    owner = UserField()
    completed_by: Any = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "section",
            "title",
            "description",
            "owner_side",
            "owner",
            "due_date",
            "status",
            "blocks_go_live",
            "derived_from",
            "notes",
            "position",
            "completed_by",
            "completed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "derived_from",
            "completed_by",
            "completed_at",
            "created_at",
            "updated_at",
        ]


@_tagged("get", "post")
class ChecklistListCreate(ProgrammeScoped, generics.ListCreateAPIView):
    serializer_class = ChecklistItemSerializer
    pagination_class = None  # a checklist is tens of items, read whole
    filterset_class = ChecklistFilter

    model = ChecklistItem

    def programme_queryset(self, programme: Programme) -> QuerySet[ChecklistItem]:
        return selectors.checklist_items(programme)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.checklist_item_create(
            programme=self.get_programme(), by=actor(self.request), **serializer.validated_data
        )


@_tagged("get", "put", "patch", "delete")
class ChecklistDetail(ProgrammeScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ChecklistItemSerializer
    lookup_url_kwarg = "item_id"

    model = ChecklistItem

    def programme_queryset(self, programme: Programme) -> QuerySet[ChecklistItem]:
        return selectors.checklist_items(programme)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.checklist_item_update(
            item=serializer.instance, by=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: ChecklistItem) -> None:
        services.checklist_item_delete(item=instance, by=actor(self.request))


# --- Go-live ------------------------------------------------------------------------------------


class SignatureSerializer(serializers.ModelSerializer):
    signed_by = serializers.EmailField(source="signed_by.email", read_only=True)

    class Meta:
        model = GoLiveSignature
        fields = ["side", "signed_by", "signed_at", "definition_text"]
        read_only_fields = fields


class GoLiveStateSerializer(serializers.Serializer):
    definition = serializers.CharField()
    status = serializers.CharField()
    went_live_on = serializers.DateField(allow_null=True)
    signatures = SignatureSerializer(many=True)
    blockers = serializers.ListField(child=serializers.CharField())


class GoLiveState(ProgrammeScoped, APIView):
    @extend_schema(responses=GoLiveStateSerializer, tags=TAG)
    def get(self, request: Request, org_slug: str, programme_id: int) -> Response:
        state = selectors.go_live_state(self.get_programme())
        return Response(GoLiveStateSerializer(state).data)


class GoLiveSign(ProgrammeScoped, APIView):
    @extend_schema(
        request=None,
        responses={
            201: GoLiveStateSerializer,
            409: inline_serializer(
                "GoLiveConflict",
                {
                    "detail": serializers.CharField(),
                    "reasons": serializers.ListField(child=serializers.CharField()),
                },
            ),
        },
        tags=TAG,
        description="Sign the go-live definition for the caller's side: a talent lead signs for "
        "the client, a recruiter for the RPO. 409 lists what is missing.",
    )
    def post(self, request: Request, org_slug: str, programme_id: int) -> Response:
        programme = self.get_programme()
        services.go_live_sign(programme=programme, by=actor(request))
        programme.refresh_from_db()
        state = selectors.go_live_state(programme)
        return Response(GoLiveStateSerializer(state).data, status=status.HTTP_201_CREATED)


# --- Objectives ---------------------------------------------------------------------------------


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objective
        fields = [
            "id",
            "title",
            "description",
            "origin",
            "target",
            "status",
            "achieved_on",
            "celebrated_on",
            "celebration_note",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]


@_tagged("get", "post")
class ObjectiveListCreate(ProgrammeScoped, generics.ListCreateAPIView):
    serializer_class = ObjectiveSerializer
    pagination_class = None
    filterset_fields = ["status", "origin"]

    model = Objective

    def programme_queryset(self, programme: Programme) -> QuerySet[Objective]:
        return selectors.objectives(programme)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.objective_create(
            programme=self.get_programme(), by=actor(self.request), **serializer.validated_data
        )


@_tagged("get", "put", "patch", "delete")
class ObjectiveDetail(ProgrammeScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ObjectiveSerializer
    lookup_url_kwarg = "objective_id"

    model = Objective

    def programme_queryset(self, programme: Programme) -> QuerySet[Objective]:
        return selectors.objectives(programme)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.objective_update(
            objective=serializer.instance, by=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: Objective) -> None:
        services.objective_delete(objective=instance, by=actor(self.request))


# --- Agreed metrics -----------------------------------------------------------------------------


class AgreedMetricSerializer(serializers.ModelSerializer):
    owner = UserField()
    metric_key = serializers.ChoiceField(choices=sorted(CATALOGUE))
    name = serializers.SerializerMethodField()
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        help_text="Required when changing a metric after go-live (a new version is made).",
    )

    class Meta:
        model = AgreedMetric
        fields = [
            "id",
            "metric_key",
            "name",
            "definition_version",
            "tier",
            "slot",
            "baseline",
            "target",
            "direction",
            "owner",
            "version",
            "previous",
            "change_reason",
            "is_current",
            "created_at",
            "reason",
        ]
        read_only_fields = [
            "id",
            "definition_version",
            "slot",
            "version",
            "previous",
            "change_reason",
            "is_current",
            "created_at",
        ]
        extra_kwargs = {"direction": {"required": False}}

    def get_name(self, obj: AgreedMetric) -> str:
        return selectors.metric_name(obj.metric_key)


@_tagged("get", "post")
class AgreedMetricListCreate(ProgrammeScoped, generics.ListCreateAPIView):
    serializer_class = AgreedMetricSerializer
    pagination_class = None
    filterset_fields = ["tier", "is_current", "metric_key"]

    model = AgreedMetric

    def programme_queryset(self, programme: Programme) -> QuerySet[AgreedMetric]:
        return selectors.agreed_metrics(programme, include_history=True)

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("reason", None)
        serializer.instance = services.agreed_metric_create(
            programme=self.get_programme(), by=actor(self.request), **data
        )


@_tagged("get", "put", "patch", "delete")
class AgreedMetricDetail(ProgrammeScoped, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = AgreedMetricSerializer
    lookup_url_kwarg = "metric_id"

    model = AgreedMetric

    def programme_queryset(self, programme: Programme) -> QuerySet[AgreedMetric]:
        return selectors.agreed_metrics(programme, include_history=True)

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        reason = data.pop("reason", "")
        for fixed in ("metric_key", "tier"):
            if fixed in data and data[fixed] == getattr(serializer.instance, fixed):
                data.pop(fixed)
        if {"metric_key", "tier"} & set(data):
            raise serializers.ValidationError(
                {
                    f: "Agree a new metric instead of changing this one's metric or tier."
                    for f in {"metric_key", "tier"} & set(data)
                }
            )
        serializer.instance = services.agreed_metric_change(
            metric=serializer.instance, by=actor(self.request), reason=reason, **data
        )

    def perform_destroy(self, instance: AgreedMetric) -> None:
        services.agreed_metric_remove(metric=instance, by=actor(self.request))


# --- Risk log and improvement backlog -----------------------------------------------------------

BACKLOG_TAG = ["risks and improvements"]


class ProgrammeField(serializers.PrimaryKeyRelatedField):
    """A programme of this organisation (the scoped manager: another tenant's id is a 400)."""

    def get_queryset(self) -> QuerySet[Programme]:
        return Programme.objects.all()


class RequisitionIdsField(serializers.ListField):
    """Requisition ids in and out; the service checks they belong to this organisation."""

    child = serializers.IntegerField(min_value=1)

    def to_representation(self, data: Any) -> list[int]:
        return sorted(r.pk for r in data.all())


class RiskSerializer(serializers.ModelSerializer):
    programme = ProgrammeField()
    owner = UserField()
    rating = serializers.CharField(read_only=True)
    requisitions = RequisitionIdsField(
        required=False, help_text="Ids of the requisitions this risk affects."
    )
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = [
            "id",
            "programme",
            "title",
            "description",
            "likelihood",
            "impact",
            "score",
            "rating",
            "owner",
            "mitigation",
            "status",
            "review_date",
            "process_area",
            "requisitions",
            "warnings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "score", "rating", "created_at", "updated_at"]

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="What is allowed but unusual, e.g. a review date already past.",
        )
    )
    def get_warnings(self, obj: Risk) -> list[str]:
        return services.risk_warnings(obj)


@_tagged("get", "post", tags=BACKLOG_TAG)
class RiskListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = RiskSerializer
    filterset_class = RiskFilter

    def get_queryset(self) -> QuerySet[Risk]:
        return selectors.risk_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.risk_create(
            by=actor(self.request), **serializer.validated_data
        )


@_tagged("get", "put", "patch", "delete", tags=BACKLOG_TAG)
class RiskDetail(TenantAPIView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = RiskSerializer
    lookup_url_kwarg = "risk_id"

    def get_queryset(self) -> QuerySet[Risk]:
        return selectors.risk_list()

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "programme" in data and data.pop("programme") != serializer.instance.programme:
            raise serializers.ValidationError({"programme": "A risk stays in its programme."})
        serializer.instance = services.risk_update(
            risk=serializer.instance, by=actor(self.request), **data
        )

    def perform_destroy(self, instance: Risk) -> None:
        services.risk_delete(risk=instance, by=actor(self.request))


class ImprovementSerializer(serializers.ModelSerializer):
    programme = ProgrammeField()
    owner = UserField()
    origin_risk: Any = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Improvement
        fields = [
            "id",
            "programme",
            "title",
            "description",
            "kind",
            "priority",
            "effort",
            "owner",
            "status",
            "done_at",
            "process_area",
            "origin",
            "origin_risk",
            "origin_ref",
            "metric_key",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "done_at",
            "origin",
            "origin_risk",
            "origin_ref",
            "created_at",
            "updated_at",
        ]


@_tagged("get", "post", tags=BACKLOG_TAG)
class ImprovementListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = ImprovementSerializer
    filterset_class = ImprovementFilter

    def get_queryset(self) -> QuerySet[Improvement]:
        return selectors.improvement_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.improvement_create(
            by=actor(self.request), **serializer.validated_data
        )


@_tagged("get", "put", "patch", "delete", tags=BACKLOG_TAG)
class ImprovementDetail(TenantAPIView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ImprovementSerializer
    lookup_url_kwarg = "improvement_id"

    def get_queryset(self) -> QuerySet[Improvement]:
        return selectors.improvement_list()

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        if "programme" in data and data.pop("programme") != serializer.instance.programme:
            raise serializers.ValidationError(
                {"programme": "An improvement stays in its programme."}
            )
        serializer.instance = services.improvement_update(
            improvement=serializer.instance, by=actor(self.request), **data
        )

    def perform_destroy(self, instance: Improvement) -> None:
        services.improvement_delete(improvement=instance, by=actor(self.request))


class RiskToImprovement(TenantAPIView, APIView):
    @extend_schema(
        request=None,
        responses={201: ImprovementSerializer, 200: ImprovementSerializer},
        tags=BACKLOG_TAG,
        description="Turn the risk into an improvement that links back to it (once: a risk "
        "that already became one returns it with 200).",
    )
    def post(self, request: Request, org_slug: str, risk_id: int) -> Response:
        risk = get_object_or_404(Risk.objects.all(), pk=risk_id)
        improvement, created = services.improvement_from_risk(risk=risk, by=actor(request))
        return Response(
            ImprovementSerializer(improvement).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
