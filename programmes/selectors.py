"""Reads for programmes, scoped to the organisation in scope."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Programme


def programme_list() -> QuerySet[Programme]:
    return Programme.objects.order_by("name", "id")


def programme_get(programme_id: int) -> Programme:
    """The programme, or Programme.DoesNotExist (a 404: other tenants' rows are invisible)."""
    return Programme.objects.get(pk=programme_id)
