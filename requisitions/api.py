"""REST API for hiring managers, requisitions, kick-offs, candidates and applications.

Serializers check the shape of input and call the same services as the UI. Related fields read
from scoped querysets, so another organisation's id is a 400 like an unknown one. Lists are
cursor-paginated (no COUNT over a big table) and cost a fixed number of queries per page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from programmes.selectors import programme_list
from rpo_portal.api import TenantAPIView
from rpo_portal.http import actor

from . import selectors, services, slas
from .countries import COUNTRIES
from .models import (
    ACTIVE_STATUSES,
    Application,
    Candidate,
    HiringManager,
    KickOff,
    Requisition,
    RequisitionStatus,
    Stage,
)
from .pipeline import allowed_moves

# --- Hiring managers ----------------------------------------------------------------------


class HiringManagerSerializer(serializers.ModelSerializer):
    class Meta:
        model = HiringManager
        fields = [
            "id",
            "name",
            "email",
            "department",
            "seniority",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness is decided by the service (within the organisation).
        validators: list[Any] = []


class HiringManagerFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Name or email contains")

    class Meta:
        model = HiringManager
        fields = ["department", "seniority"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name__icontains=value) | queryset.filter(email__iexact=value)


@extend_schema_view(
    get=extend_schema(tags=["requisitions"], summary="List hiring managers"),
    post=extend_schema(tags=["requisitions"], summary="Add a hiring manager"),
)
class HiringManagerListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = HiringManagerSerializer
    filterset_class = HiringManagerFilter

    def get_queryset(self) -> QuerySet[HiringManager]:
        return selectors.hiring_manager_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.hiring_manager_create(
            by=actor(self.request), **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(tags=["requisitions"]),
    put=extend_schema(tags=["requisitions"]),
    patch=extend_schema(tags=["requisitions"]),
)
class HiringManagerDetail(TenantAPIView, generics.RetrieveUpdateAPIView):
    serializer_class = HiringManagerSerializer
    lookup_url_kwarg = "hiring_manager_id"

    def get_queryset(self) -> QuerySet[HiringManager]:
        return selectors.hiring_manager_list()

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.hiring_manager_update(
            hiring_manager=serializer.instance, by=actor(self.request), **serializer.validated_data
        )


# --- Requisitions -------------------------------------------------------------------------


class RequisitionSerializer(serializers.ModelSerializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=programme_list())
    hiring_manager = serializers.PrimaryKeyRelatedField(queryset=selectors.hiring_manager_list())
    recruiter = serializers.PrimaryKeyRelatedField(
        queryset=selectors.recruiter_users(),
        help_text="A user with the recruiter role in this organisation.",
    )
    country = serializers.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. GB or DE."
    )
    open_now = serializers.BooleanField(
        write_only=True, required=False, default=False, help_text="Open at once (else a draft)."
    )
    is_overdue = serializers.BooleanField(read_only=True, help_text="Active and past target.")
    flag_stale = serializers.BooleanField(read_only=True, help_text="No movement for N days.")
    flag_kickoff_late = serializers.BooleanField(
        read_only=True, help_text="Kick-off not held within 5 working days of opening."
    )
    flag_feedback_overdue = serializers.BooleanField(
        read_only=True, help_text="Hiring-manager feedback overdue against the agreed level."
    )
    stage_counts = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Requisition
        fields = [
            "id",
            "programme",
            "title",
            "department",
            "location",
            "country",
            "seniority",
            "band",
            "openings",
            "hiring_manager",
            "recruiter",
            "reason",
            "priority",
            "target_date",
            "status",
            "cancellation_reason",
            "first_opened_at",
            "status_changed_at",
            "last_activity_at",
            "external_id",
            "open_now",
            "is_overdue",
            "flag_stale",
            "flag_kickoff_late",
            "flag_feedback_overdue",
            "stage_counts",
            "warnings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "cancellation_reason",
            "first_opened_at",
            "status_changed_at",
            "last_activity_at",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []

    def validate_country(self, value: str) -> str:
        value = value.strip().upper()
        if value not in COUNTRIES:
            raise serializers.ValidationError(
                f"“{value}” is not an ISO 3166 country code; use two capital letters such as GB."
            )
        return value

    @extend_schema_field(
        serializers.DictField(child=serializers.IntegerField(), help_text="Applications by stage.")
    )
    def get_stage_counts(self, obj: Requisition) -> dict[str, int]:
        return getattr(obj, "stage_counts", {})

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="What is allowed but unusual, e.g. a target fill date already past.",
        )
    )
    def get_warnings(self, obj: Requisition) -> list[str]:
        return services.requisition_warnings(obj)


def _requisition_payload(requisition_id: int) -> Requisition:
    requisition = selectors.requisition_get(requisition_id)
    selectors.attach_stage_counts([requisition])
    return requisition


class RequisitionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=RequisitionStatus.choices)
    country = filters.CharFilter(method="by_country")
    overdue = filters.BooleanFilter(method="by_overdue", label="Active and past target date")
    flagged = filters.BooleanFilter(method="by_flagged", label="Has a service-level flag")
    q = filters.CharFilter(method="search", label="Title, location or department contains")
    # By id, not a user lookup: another organisation's user id finds nothing, like an unknown id.
    recruiter = filters.NumberFilter(field_name="recruiter_id")
    # Resolved among the organisation's programmes: another organisation's id is a 400.
    programme = filters.ModelChoiceFilter(queryset=lambda request: programme_list())

    class Meta:
        model = Requisition
        fields = ["status", "recruiter", "hiring_manager", "programme", "priority", "external_id"]

    def by_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(country=value.upper())

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        return queryset.filter(is_overdue=value) if value is not None else queryset

    def by_flagged(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        flagged = slas.stale_q() | slas.kickoff_late_q() | slas.feedback_overdue_q()
        return queryset.filter(flagged) if value else queryset.exclude(flagged)

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(location__icontains=value)
            | Q(department__icontains=value)
            | Q(external_id=value)
        )


class StageCountsListMixin:
    """Adds the per-stage counts of a page of requisitions in one grouped query."""

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        if page is not None:
            selectors.attach_stage_counts(page)
        return page


@extend_schema_view(
    get=extend_schema(tags=["requisitions"], summary="List requisitions"),
    post=extend_schema(tags=["requisitions"], summary="Create a requisition (draft or open)"),
)
class RequisitionListCreate(TenantAPIView, StageCountsListMixin, generics.ListCreateAPIView):
    serializer_class = RequisitionSerializer
    filterset_class = RequisitionFilter

    def get_queryset(self) -> QuerySet[Requisition]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no tenant in scope
            return Requisition.objects.none()
        return selectors.requisition_list()

    def perform_create(self, serializer: Any) -> None:
        requisition = services.requisition_create(
            by=actor(self.request), **serializer.validated_data
        )
        serializer.instance = _requisition_payload(requisition.pk)


@extend_schema_view(
    get=extend_schema(tags=["requisitions"]),
    put=extend_schema(tags=["requisitions"]),
    patch=extend_schema(tags=["requisitions"]),
)
class RequisitionDetail(TenantAPIView, generics.RetrieveUpdateAPIView):
    serializer_class = RequisitionSerializer
    lookup_url_kwarg = "requisition_id"

    def get_queryset(self) -> QuerySet[Requisition]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no tenant in scope
            return Requisition.objects.none()
        return selectors.requisition_list()

    def get_object(self) -> Requisition:
        requisition = super().get_object()
        selectors.attach_stage_counts([requisition])
        return requisition

    def perform_update(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        data.pop("open_now", None)
        requisition = services.requisition_update(
            requisition=serializer.instance, by=actor(self.request), **data
        )
        serializer.instance = _requisition_payload(requisition.pk)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            RequisitionStatus.OPEN,
            RequisitionStatus.ON_HOLD,
            RequisitionStatus.CANCELLED,
            RequisitionStatus.FILLED,
        ]
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RequisitionStatusView(TenantAPIView, APIView):
    @extend_schema(
        tags=["requisitions"],
        summary="Change a requisition's status",
        description="draft -> open <-> on_hold; open/on_hold/draft -> cancelled (with a reason). "
        "`filled` happens by itself when accepted offers reach the openings.",
        request=StatusChangeSerializer,
        responses={200: RequisitionSerializer},
    )
    def post(self, request: Request, org_slug: str, requisition_id: int) -> Response:
        requisition = get_object_or_404(Requisition.objects.all(), pk=requisition_id)
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.requisition_change_status(
            requisition=requisition, by=actor(request), **payload.validated_data
        )
        return Response(RequisitionSerializer(_requisition_payload(requisition.pk)).data)


# --- Kick-offs ----------------------------------------------------------------------------


class InterviewStageSerializer(serializers.Serializer):
    stage = serializers.CharField(max_length=200)
    interviewers = serializers.ListField(child=serializers.CharField(max_length=200))


class KickOffSerializer(serializers.ModelSerializer):
    talent_lead = serializers.PrimaryKeyRelatedField(
        queryset=selectors.talent_lead_users(), required=False, allow_null=True
    )
    must_haves = serializers.ListField(child=serializers.CharField(max_length=300), required=False)
    nice_to_haves = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False
    )
    interview_plan = InterviewStageSerializer(many=True, required=False)
    held_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Set once the meeting took place."
    )
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = KickOff
        fields = [
            "id",
            "requisition",
            "scheduled_at",
            "duration_minutes",
            "held_at",
            "talent_lead_joined",
            "talent_lead",
            "must_haves",
            "nice_to_haves",
            "interview_plan",
            "salary_currency",
            "salary_min",
            "salary_max",
            "cv_shortlist_days",
            "hm_feedback_hours",
            "notes",
            "ics_sequence",
            "created_at",
            "updated_at",
            "warnings",
        ]
        read_only_fields = ["id", "requisition", "ics_sequence", "created_at", "updated_at"]
        validators: list[Any] = []

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="What is allowed but unusual, e.g. a time earlier today, already gone.",
        )
    )
    def get_warnings(self, obj: KickOff) -> list[str]:
        return services.kickoff_warnings(obj)


@extend_schema_view(
    get=extend_schema(tags=["requisitions"], summary="The requisition's kick-off"),
    put=extend_schema(
        tags=["requisitions"],
        summary="Schedule or change the kick-off",
        description="Scheduling, and every change of time or length, emails the attendees a "
        "calendar invitation (.ics). Giving `held_at` records that the meeting took place.",
    ),
    patch=extend_schema(tags=["requisitions"], summary="Change part of the kick-off"),
)
class KickOffDetail(TenantAPIView, generics.GenericAPIView):
    serializer_class = KickOffSerializer

    def _requisition(self) -> Requisition:
        return get_object_or_404(Requisition.objects.all(), pk=self.kwargs["requisition_id"])

    def get(self, request: Request, org_slug: str, requisition_id: int) -> Response:
        kickoff = selectors.kickoff_for(self._requisition())
        if kickoff is None:
            return Response({"detail": "No kick-off is scheduled yet."}, status=404)
        return Response(self.get_serializer(kickoff).data)

    def _save(self, request: Request, partial: bool) -> Response:
        requisition = self._requisition()
        existing = selectors.kickoff_for(requisition)
        serializer = self.get_serializer(existing, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        held_at = data.pop("held_at", None)
        if existing is None and "scheduled_at" not in data:
            raise serializers.ValidationError({"scheduled_at": "Say when the kick-off is."})
        kickoff = services.kickoff_schedule(requisition=requisition, by=actor(request), **data)
        if held_at is not None:
            kickoff = services.kickoff_mark_held(
                kickoff=kickoff, held_at=held_at, by=actor(request)
            )
        created = existing is None
        return Response(
            self.get_serializer(selectors.kickoff_for(requisition)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def put(self, request: Request, org_slug: str, requisition_id: int) -> Response:
        return self._save(request, partial=False)

    def patch(self, request: Request, org_slug: str, requisition_id: int) -> Response:
        return self._save(request, partial=True)


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.CharField()
    title = serializers.CharField()
    detail = serializers.CharField()
    actor = serializers.CharField()
    candidate_id = serializers.IntegerField(allow_null=True)


class RequisitionTimeline(TenantAPIView, APIView):
    @extend_schema(
        tags=["requisitions"],
        summary="The requisition's timeline, newest first",
        description=f"Status changes, kick-off milestones and application moves (at most "
        f"{selectors.TIMELINE_LIMIT}).",
        responses={200: TimelineEntrySerializer(many=True)},
    )
    def get(self, request: Request, org_slug: str, requisition_id: int) -> Response:
        requisition = get_object_or_404(Requisition.objects.all(), pk=requisition_id)
        entries = selectors.requisition_timeline(requisition)
        return Response(TimelineEntrySerializer(entries, many=True).data)


# --- Candidates ---------------------------------------------------------------------------


class CandidateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Candidate
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "source",
            "consent_given_at",
            "consent_text_version",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []


class CandidateFilter(filters.FilterSet):
    q = filters.CharFilter(method="search", label="Name contains, or exact email")

    class Meta:
        model = Candidate
        fields = ["source", "external_id"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(pk__in=selectors.candidate_list(q=value).values("pk"))


@extend_schema_view(
    get=extend_schema(tags=["candidates"], summary="List candidates"),
    post=extend_schema(tags=["candidates"], summary="Add a candidate"),
)
class CandidateListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter

    def get_queryset(self) -> QuerySet[Candidate]:
        return selectors.candidate_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.candidate_create(
            by=actor(self.request), **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(tags=["candidates"]),
    put=extend_schema(tags=["candidates"]),
    patch=extend_schema(tags=["candidates"]),
)
class CandidateDetail(TenantAPIView, generics.RetrieveUpdateAPIView):
    serializer_class = CandidateSerializer
    lookup_url_kwarg = "candidate_id"

    def get_queryset(self) -> QuerySet[Candidate]:
        return selectors.candidate_list()

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.candidate_update(
            candidate=serializer.instance, by=actor(self.request), **serializer.validated_data
        )


# --- Applications -------------------------------------------------------------------------


class ApplicationSerializer(serializers.ModelSerializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    requisition = serializers.PrimaryKeyRelatedField(queryset=Requisition.objects.all())
    candidate_name = serializers.CharField(source="candidate.name", read_only=True)
    stage_reached = serializers.CharField(
        read_only=True, help_text="For rejected and withdrawn: the stage the application reached."
    )
    allowed_moves = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "candidate",
            "candidate_name",
            "requisition",
            "stage",
            "stage_entered_at",
            "applied_at",
            "stage_reached",
            "outcome_reason",
            "accepted_on",
            "start_date",
            "external_id",
            "allowed_moves",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "stage",
            "stage_entered_at",
            "applied_at",
            "stage_reached",
            "outcome_reason",
            "accepted_on",
            "start_date",
            "created_at",
            "updated_at",
        ]
        validators: list[Any] = []

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="Stages this application may move to next (values of `stage`).",
        )
    )
    def get_allowed_moves(self, obj: Application) -> list[str]:
        return [move.stage for move in allowed_moves(obj.stage, obj.stage_reached)]


class ApplicationFilter(filters.FilterSet):
    stage = filters.MultipleChoiceFilter(choices=Stage.choices)
    programme = filters.ModelChoiceFilter(
        queryset=lambda request: programme_list(),
        field_name="requisition__programme",
        label="Applications to the programme's requisitions",
    )
    active = filters.BooleanFilter(
        method="by_active", label="Only applications on open and on-hold requisitions"
    )

    class Meta:
        model = Application
        fields = ["requisition", "candidate", "stage", "programme", "external_id"]

    def by_active(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        active = Q(requisition__status__in=ACTIVE_STATUSES)
        return queryset.filter(active) if value else queryset.exclude(active)


@extend_schema_view(
    get=extend_schema(tags=["applications"], summary="List applications"),
    post=extend_schema(tags=["applications"], summary="Put a candidate forward for a requisition"),
)
class ApplicationListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.application_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.application_create(
            by=actor(self.request), **serializer.validated_data
        )


@extend_schema_view(get=extend_schema(tags=["applications"]))
class ApplicationDetail(TenantAPIView, generics.RetrieveAPIView):
    serializer_class = ApplicationSerializer
    lookup_url_kwarg = "application_id"

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.application_list()


class MoveSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Needed to move back, reject or withdraw.",
    )
    accepted_on = serializers.DateField(
        required=False, allow_null=True, help_text="For `accepted`: defaults to today."
    )
    start_date = serializers.DateField(
        required=False, allow_null=True, help_text="For `accepted`: required."
    )


class ApplicationMove(TenantAPIView, APIView):
    @extend_schema(
        tags=["applications"],
        summary="Move an application to another stage",
        description="An illegal move is a 400 whose message names the moves allowed from the "
        "current stage. When accepted offers reach the openings, the requisition fills.",
        request=MoveSerializer,
        responses={200: ApplicationSerializer},
    )
    def post(self, request: Request, org_slug: str, application_id: int) -> Response:
        application = get_object_or_404(Application.objects.all(), pk=application_id)
        payload = MoveSerializer(data=request.data)
        if not payload.is_valid():
            stage_errors = payload.errors.get("stage")
            if stage_errors:
                raise serializers.ValidationError(
                    {
                        "stage": [
                            f"{stage_errors[0]} Allowed moves from {Stage(application.stage).label}: "
                            + ", ".join(
                                m.stage
                                for m in allowed_moves(application.stage, application.stage_reached)
                            )
                            + "."
                        ]
                    }
                )
            raise serializers.ValidationError(payload.errors)
        moved = services.application_move(
            application=application, by=actor(request), **payload.validated_data
        )
        return Response(ApplicationSerializer(selectors.application_get(moved.pk)).data)
