"""REST API for change plans: serializers check shape, the services hold the rules."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from programmes.selectors import programme_list
from rpo_portal.accounts.models import User
from rpo_portal.api import TenantAPIView
from rpo_portal.http import actor

from . import selectors, services
from .barriers import BARRIER_STATES, Barrier
from .frameworks import FRAMEWORK_ELEMENTS, Framework, element_keys
from .models import Assessment, ChangePlan, Communication, StakeholderGroup

TAGS = ["change plans"]
ELEMENTS_HELP = "Allowed elements by framework: " + "; ".join(
    f"{framework}: {', '.join(e.key for e in elements)}"
    for framework, elements in FRAMEWORK_ELEMENTS.items()
)


def _schema(*methods: str) -> Any:
    return extend_schema_view(**{m: extend_schema(tags=TAGS) for m in methods})


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A related id resolved through a selector at validation time (scoped to the tenant)."""

    def __init__(self, *, model: Any, selector: Any, **kwargs: Any) -> None:
        self._model, self._selector = model, selector
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self) -> Any:
        return self._selector(self)


def _member_users(field: Any) -> QuerySet[User]:
    return selectors.member_users()


def _plan_groups(field: Any) -> QuerySet[StakeholderGroup]:
    plan = field.context.get("plan") if hasattr(field, "context") else None
    if plan is None:
        return StakeholderGroup.objects.none()
    return selectors.group_list(plan=plan)


class ChangePlanSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=programme_list())
    owner = ScopedPrimaryKeyField(
        model=User, selector=_member_users, allow_null=True, required=False
    )
    elements = serializers.SerializerMethodField(
        help_text="The framework's elements, in order: what each group is scored on."
    )

    class Meta:
        model = ChangePlan
        fields = [
            "id",
            "programme",
            "title",
            "kind",
            "framework",
            "description",
            "status",
            "owner",
            "start_date",
            "end_date",
            "elements",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "elements", "created_at", "updated_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_elements(self, plan: ChangePlan) -> list[str]:
        return list(element_keys(plan.framework))


class ChangePlanFilter(filters.FilterSet):
    programme = filters.NumberFilter(field_name="programme_id")
    status = filters.ChoiceFilter(choices=ChangePlan.Status.choices)
    framework = filters.ChoiceFilter(choices=Framework.choices)

    class Meta:
        model = ChangePlan
        fields = ["programme", "status", "framework"]


@_schema("get", "post")
class ChangePlanListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = ChangePlanSerializer
    filterset_class = ChangePlanFilter

    def get_queryset(self) -> QuerySet[ChangePlan]:
        return selectors.changeplan_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.changeplan_create(
            by=actor(self.request), **serializer.validated_data
        )


@_schema("get", "put", "patch", "delete")
class ChangePlanDetail(TenantAPIView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ChangePlanSerializer
    lookup_url_kwarg = "plan_id"

    def get_queryset(self) -> QuerySet[ChangePlan]:
        return selectors.changeplan_list()

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.changeplan_update(
            plan=serializer.instance, by=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: ChangePlan) -> None:
        services.changeplan_delete(plan=instance, by=actor(self.request))


# Views under change-plans/<plan_id>/: the plan comes from the scoped manager (else 404).
class PlanChildMixin(TenantAPIView):
    kwargs: dict[str, Any]

    @property
    def plan(self) -> ChangePlan:
        if not hasattr(self, "_plan"):
            try:
                self._plan = selectors.changeplan_get(self.kwargs["plan_id"])
            except (ChangePlan.DoesNotExist, KeyError) as exc:
                raise Http404 from exc
        return self._plan

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        if getattr(self, "swagger_fake_view", False):
            return context
        context["plan"] = self.plan
        return context


class BarrierPointSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=BARRIER_STATES,
        help_text="barrier: `element` is the first ADKAR element scoring 3 or less; clear: all "
        "five score 4 or more; unknown: `element` is unassessed and could be the barrier.",
    )
    element = serializers.CharField(
        allow_null=True, help_text="The barrier element, or the element to assess next."
    )


class StakeholderGroupSerializer(serializers.ModelSerializer):
    barrier_point = serializers.SerializerMethodField(
        help_text="ADKAR plans: where the group's change stalls, from each element's latest "
        "score (as on the plan page). Null for other frameworks."
    )

    class Meta:
        model = StakeholderGroup
        fields = [
            "id",
            "plan",
            "name",
            "kind",
            "size",
            "influence",
            "notes",
            "barrier_point",
            "created_at",
        ]
        read_only_fields = ["id", "plan", "barrier_point", "created_at"]

    def _barriers(self, group: StakeholderGroup) -> dict[int, Barrier | None]:
        # The plan page's grid, built once per response (after any write) for every group.
        barriers = self.context.get("barriers")
        if barriers is None:
            plan = self.context.get("plan") or group.plan
            grid = selectors.plan_grid(plan=plan)
            barriers = {row.group.pk: row.barrier for row in grid.rows}
            self.context["barriers"] = barriers
        return barriers

    @extend_schema_field(BarrierPointSerializer(allow_null=True))
    def get_barrier_point(self, group: StakeholderGroup) -> dict[str, Any] | None:
        barrier = self._barriers(group).get(group.pk)
        if barrier is None:
            return None
        return {"state": barrier.state, "element": barrier.element}


@_schema("get", "post")
class GroupListCreate(PlanChildMixin, generics.ListCreateAPIView):
    serializer_class = StakeholderGroupSerializer

    def get_queryset(self) -> QuerySet[StakeholderGroup]:
        if getattr(self, "swagger_fake_view", False):
            return StakeholderGroup.objects.none()
        return selectors.group_list(plan=self.plan)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.stakeholder_group_create(
            plan=self.plan, by=actor(self.request), **serializer.validated_data
        )


@_schema("get", "put", "patch", "delete")
class GroupDetail(PlanChildMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = StakeholderGroupSerializer
    lookup_url_kwarg = "group_id"

    def get_queryset(self) -> QuerySet[StakeholderGroup]:
        if getattr(self, "swagger_fake_view", False):
            return StakeholderGroup.objects.none()
        return selectors.group_list(plan=self.plan)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.stakeholder_group_update(
            group=serializer.instance, by=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: StakeholderGroup) -> None:
        services.stakeholder_group_delete(group=instance, by=actor(self.request))


class AssessmentSerializer(serializers.ModelSerializer):
    group = ScopedPrimaryKeyField(model=StakeholderGroup, selector=_plan_groups)
    element = serializers.CharField(max_length=30, help_text=ELEMENTS_HELP)
    assessed_on = serializers.DateField(
        required=False, help_text="Defaults to today in the organisation's time zone."
    )

    class Meta:
        model = Assessment
        fields = ["id", "group", "element", "score", "assessed_on", "note", "assessed_by"]
        read_only_fields = ["id", "assessed_by"]


class AssessmentFilter(filters.FilterSet):
    group = filters.NumberFilter(field_name="group_id")
    element = filters.CharFilter()

    class Meta:
        model = Assessment
        fields = ["group", "element"]


@_schema("get", "post")
class AssessmentListCreate(PlanChildMixin, generics.ListCreateAPIView):
    """Every assessment of the plan's groups (the history); POST records a new one."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self) -> QuerySet[Assessment]:
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        return selectors.assessment_list(plan=self.plan)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.assessment_record(
            by=actor(self.request), **serializer.validated_data
        )


class CommunicationSerializer(serializers.ModelSerializer):
    audience = ScopedPrimaryKeyField(
        model=StakeholderGroup, selector=_plan_groups, many=True, required=False
    )
    owner = ScopedPrimaryKeyField(
        model=User, selector=_member_users, allow_null=True, required=False
    )

    class Meta:
        model = Communication
        fields = [
            "id",
            "plan",
            "audience",
            "channel",
            "message",
            "planned_date",
            "owner",
            "status",
            "sent_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "plan", "sent_at", "created_at", "updated_at"]


class CommunicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Communication.Status.choices)
    channel = filters.ChoiceFilter(choices=Communication.Channel.choices)

    class Meta:
        model = Communication
        fields = ["status", "channel"]


@_schema("get", "post")
class CommunicationListCreate(PlanChildMixin, generics.ListCreateAPIView):
    serializer_class = CommunicationSerializer
    filterset_class = CommunicationFilter

    def get_queryset(self) -> QuerySet[Communication]:
        if getattr(self, "swagger_fake_view", False):
            return Communication.objects.none()
        return selectors.communication_list(plan=self.plan)

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.communication_create(
            plan=self.plan, by=actor(self.request), **serializer.validated_data
        )


@_schema("get", "put", "patch", "delete")
class CommunicationDetail(PlanChildMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = CommunicationSerializer
    lookup_url_kwarg = "communication_id"

    def get_queryset(self) -> QuerySet[Communication]:
        if getattr(self, "swagger_fake_view", False):
            return Communication.objects.none()
        return selectors.communication_list(plan=self.plan)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.communication_update(
            communication=serializer.instance, by=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: Communication) -> None:
        services.communication_delete(communication=instance, by=actor(self.request))
