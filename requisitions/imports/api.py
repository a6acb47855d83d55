"""REST API for imports: upload (and start), status with progress and counts, the report."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from rpo_portal.api import DefaultCursorPagination, TenantAPIView
from rpo_portal.http import actor

from . import selectors, services
from .models import ImportJob, ImportKind, ImportRow, RowOutcome


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(read_only=True, help_text="Per cent of rows processed.")
    finished = serializers.BooleanField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "original_name",
            "file_format",
            "headers",
            "mapping",
            "options",
            "total_rows",
            "processed_rows",
            "imported_count",
            "updated_count",
            "rejected_count",
            "progress",
            "finished",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV or XLSX file whose first row names the columns.")
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    mapping = serializers.CharField(
        required=False,
        help_text='JSON object {field: column header}, e.g. {"external_id": "Job ID"}. Without it '
        "the organisation's remembered mapping and the header synonyms are used.",
    )
    programme = serializers.IntegerField(
        required=False, help_text="Requisitions: the programme they belong to."
    )
    recruiter = serializers.IntegerField(
        required=False, help_text="Requisitions: the default recruiter (a user id)."
    )

    def validate_mapping(self, value: str) -> dict[str, str]:
        try:
            mapping = json.loads(value)
        except json.JSONDecodeError as exc:
            raise serializers.ValidationError(f"Not valid JSON: {exc.msg}.") from exc
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
        ):
            raise serializers.ValidationError("Give an object of field names to column headers.")
        return mapping


class ImportRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRow
        fields = ["row_number", "outcome", "external_id", "column", "message", "object_id"]
        read_only_fields = fields


@extend_schema_view(
    get=extend_schema(tags=["imports"], summary="List imports, newest first"),
)
class ImportListCreate(TenantAPIView, generics.ListAPIView):
    serializer_class = ImportJobSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[ImportJob]:
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        return selectors.import_list()

    @extend_schema(
        tags=["imports"],
        summary="Upload a file and start importing it",
        description="Multipart upload. The columns are mapped by `mapping`, else by the "
        "organisation's remembered mapping and the header synonyms of the usual applicant "
        "tracking systems; a required field without a column is a 400 naming it. The import "
        "runs in the background: poll the import for `progress`, then read its report.",
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportJobSerializer},
    )
    def post(self, request: Request, org_slug: str) -> Response:
        payload = ImportUploadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with transaction.atomic():
            job = services.import_upload(kind=data["kind"], file=data["file"], by=actor(request))
            mapping = data.get("mapping", job.mapping)
            options = {k: data[k] for k in ("programme", "recruiter") if data.get(k)}
            job = services.import_start(
                job=job, mapping=mapping, options=options, by=actor(request)
            )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)


@extend_schema_view(get=extend_schema(tags=["imports"], summary="An import's status and counts"))
class ImportDetail(TenantAPIView, generics.RetrieveAPIView):
    serializer_class = ImportJobSerializer
    lookup_url_kwarg = "import_id"

    def get_queryset(self) -> QuerySet[ImportJob]:
        if getattr(self, "swagger_fake_view", False):
            return ImportJob.objects.none()
        return selectors.import_list()


class ReportPagination(DefaultCursorPagination):
    ordering = "row_number"
    page_size = 100


@extend_schema_view(
    get=extend_schema(
        tags=["imports"],
        summary="An import's report: every row with its outcome",
        parameters=[
            OpenApiParameter("outcome", str, enum=RowOutcome.values, description="Only these rows.")
        ],
    )
)
class ImportReport(TenantAPIView, generics.ListAPIView):
    serializer_class = ImportRowSerializer
    pagination_class = ReportPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ImportRow]:
        if getattr(self, "swagger_fake_view", False):
            return ImportRow.objects.none()
        job = generics.get_object_or_404(selectors.import_list(), pk=self.kwargs["import_id"])
        return selectors.import_report(job, self.request.query_params.get("outcome", ""))
