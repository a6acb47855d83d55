from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from rpo_portal.api import TenantAPIView
from rpo_portal.http import actor

from . import selectors, services
from .models import Programme


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "name", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


@extend_schema_view(get=extend_schema(tags=["programmes"]), post=extend_schema(tags=["programmes"]))
class ProgrammeListCreate(TenantAPIView, generics.ListCreateAPIView):
    serializer_class = ProgrammeSerializer
    filterset_fields = ["name"]

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list()

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = services.programme_create(
            by=actor(self.request), **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(tags=["programmes"]),
    patch=extend_schema(tags=["programmes"]),
    put=extend_schema(tags=["programmes"]),
    delete=extend_schema(tags=["programmes"]),
)
class ProgrammeDetail(TenantAPIView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ProgrammeSerializer
    lookup_url_kwarg = "programme_id"

    def get_queryset(self) -> QuerySet[Programme]:
        return selectors.programme_list()

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.programme_update(
            programme=serializer.instance, by=actor(self.request), **serializer.validated_data
        )

    def perform_destroy(self, instance: Programme) -> None:
        services.programme_delete(programme=instance, by=actor(self.request))
