"""The one update rule every update service follows.

`model_update` refuses a field the service does not allow, changes only the fields whose value
differs, and returns their names: a form or an API body sent back untouched changes nothing and
saves nothing (not even `updated_at`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def model_update(
    instance: models.Model, *, allowed: Iterable[str], changes: dict[str, Any]
) -> list[str]:
    """Set the allowed fields in `changes` that differ on `instance` (unsaved); return their
    names in the order given. A field outside `allowed` is a ValidationError naming it."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in unknown})
    fields = []
    for field, value in changes.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            fields.append(field)
    return fields


def save_changed(instance: models.Model, fields: list[str], *, touch: bool = True) -> None:
    """Validate and save only `fields` (and `updated_at` when the model has it); nothing when
    nothing changed."""
    if not fields:
        return
    instance.full_clean()
    extra = ["updated_at"] if touch and hasattr(instance, "updated_at") else []
    instance.save(update_fields=[*dict.fromkeys([*fields, *extra])])
