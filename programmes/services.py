"""Writes for programmes. Every service validates with full_clean() and saves in scope."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from rpo_portal.accounts.models import User

from .models import Programme

PROGRAMME_EDITABLE = ("name",)


def programme_create(*, name: str, by: User | None = None) -> Programme:
    """Create a programme in the organisation in scope."""
    programme = Programme(name=name.strip())
    programme.claim_organisation()
    programme.full_clean()
    programme.save()
    return programme


@transaction.atomic
def programme_update(*, programme: Programme, by: User | None = None, **changes: Any) -> Programme:
    """Change the given fields (only those in PROGRAMME_EDITABLE)."""
    fields = [f for f in changes if f in PROGRAMME_EDITABLE]
    for field in fields:
        setattr(programme, field, changes[field])
    programme.full_clean()
    programme.save(update_fields=[*fields, "updated_at"])
    return programme


def programme_delete(*, programme: Programme, by: User | None = None) -> None:
    programme.delete()
