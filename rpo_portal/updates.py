"""The one update rule every update service follows.

`model_update` refuses a field the service does not allow, changes only the fields whose value
differs, validates, saves only those fields, and returns what changed (old and new values) for
the audit event: a form or an API body sent back untouched changes nothing and saves nothing
(not even `updated_at`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from rpo_portal.audit.services import note_changes


class Changes(dict[str, tuple[Any, Any]]):
    """{field: (old, new)} in the order the fields changed."""

    def set(self, instance: models.Model, field: str, value: Any) -> bool:
        """Set `field` on `instance` when `value` differs; record it. True when it changed."""
        old = getattr(instance, field)
        if old == value:
            return False
        setattr(instance, field, value)
        self[field] = (self[field][0], value) if field in self else (old, value)
        return True


def gather(
    errors: dict[str, list[Any]], check: Callable[..., Any], *args: Any, **kwargs: Any
) -> None:
    """Run one check and keep its errors with the others (field -> messages), so one
    ValidationError names every field at fault (a form shows them all after one submit)."""
    try:
        check(*args, **kwargs)
    except ValidationError as exc:
        exc.update_error_dict(errors)


def apply_changes(
    instance: models.Model, *, fields: Iterable[str], data: dict[str, Any]
) -> Changes:
    """Set the fields of `data` that differ on `instance` without saving (a new version of a
    row is built this way). A key outside `fields` is a ValidationError naming it."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValidationError({f: _("This field cannot be changed here.") for f in unknown})
    changes = Changes()
    for name, value in data.items():
        changes.set(instance, name, value)
    return changes


def model_update(
    instance: models.Model,
    *,
    fields: Iterable[str],
    data: dict[str, Any],
    check: Callable[[Changes], Any] | None = None,
    touch: bool = True,
) -> Changes:
    """Apply `data` to `instance`, which must allow every key (`fields`), and save what differs.

    `check(changes)` runs after the values are set and before saving: it may refuse (raise
    ValidationError, gathered with `full_clean`'s errors into one, or any other exception) and
    may set derived fields through `changes.set`. Nothing is saved when nothing changed; a save
    writes only the changed fields (and `updated_at` when the model has it and `touch`)."""
    changes = apply_changes(instance, fields=fields, data=data)
    errors: dict[str, list[Any]] = {}
    if check is not None and changes:
        gather(errors, check, changes)
    if not changes:
        return changes
    gather(errors, instance.full_clean)
    if errors:
        raise ValidationError(errors)
    extra = ["updated_at"] if touch and hasattr(instance, "updated_at") else []
    instance.save(update_fields=[*dict.fromkeys([*changes, *extra])])
    note_changes(instance, changes)
    return changes
