"""Recording the audit trail.

Every public service that writes is decorated with `@audited("<entity>.<verb>")`. The decorator
watches the SQL the call sends; when the call wrote anything, it records one event in the same
transaction: the actor (`by`, or the running task), the object (the returned instance, or the
keyword argument named by `subject`), and the fields that changed with their old and new values
(gathered by `model_update`, or compared on the subject before and after the call). A call that
wrote nothing (an edit saved untouched) records nothing. Events recorded outside a service
(sign-ins, refusals, exports) call `audit_record` directly; bulk writers use `audit_bulk`.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.db import connection, models
from django.db.models.fields.files import FieldFile

from rpo_portal.tenancy.context import (
    current_organisation_id,
    require_organisation,
    tenant_context,
)
from rpo_portal.tenancy.models import Organisation

from .context import current_request_id, current_task
from .models import AuditEvent

P = ParamSpec("P")
R = TypeVar("R")

AUDIT_TABLE = AuditEvent._meta.db_table
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")

# Personal-data fields per model label ("app_label.modelname"): recorded as changed, no values.
_personal: dict[str, frozenset[str]] = {}


def register_personal_data(registry: dict[type[models.Model], tuple[str, ...]]) -> None:
    """Apps declare their personal-data fields once (their `personal_data` registry)."""
    for model, names in registry.items():
        _personal[model._meta.label_lower] = frozenset(names) | _personal.get(
            model._meta.label_lower, frozenset()
        )


def personal_fields(model: type[models.Model] | models.Model) -> frozenset[str]:
    return _personal.get(model._meta.label_lower, frozenset())


def as_json(value: Any) -> Any:
    """A field value as JSON: related rows by id, dates in ISO form, decimals as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def describe_changes(
    model: type[models.Model] | models.Model, changes: dict[str, tuple[Any, Any]]
) -> dict[str, Any]:
    """{field: [old, new]}, personal-data fields reduced to {"changed": true}."""
    hidden = personal_fields(model)
    return {
        name: {"changed": True} if name in hidden else [as_json(old), as_json(new)]
        for name, (old, new) in changes.items()
    }


def _scope(obj: models.Model | None) -> tuple[int | None, int | None]:
    """(programme id, requisition id) the object belongs to, for the activity pages."""
    if obj is None:
        return None, None
    label = obj._meta.label_lower
    programme_id = obj.pk if label == "programmes.programme" else getattr(obj, "programme_id", None)
    requisition_id = (
        obj.pk if label == "requisitions.requisition" else getattr(obj, "requisition_id", None)
    )
    if programme_id is None and requisition_id is not None:
        requisition = getattr(obj, "requisition", None)
        programme_id = getattr(requisition, "programme_id", None)
    return programme_id, requisition_id


def _actor(by: Any) -> tuple[Any, str]:
    if by is not None and getattr(by, "is_authenticated", False):
        return by, (getattr(by, "full_name", "") or getattr(by, "email", ""))[:200]
    _task_id, task_name = current_task()
    return None, (task_name or "system")[:200]


def build_event(
    *,
    action: str,
    obj: models.Model | None = None,
    by: Any = None,
    changes: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: int | None = None,
    organisation_id: int | None = None,
) -> AuditEvent:
    """An unsaved event (for `audit_bulk`); `changes` is already described (JSON)."""
    actor, label = _actor(by)
    programme_id, requisition_id = _scope(obj)
    task_id, _name = current_task()
    return AuditEvent(
        organisation_id=organisation_id or require_organisation().pk,
        actor=actor,
        actor_label=label,
        action=action,
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=object_id if object_id is not None else (obj.pk if obj is not None else None),
        programme_id=programme_id,
        requisition_id=requisition_id,
        changes=changes or {},
        request_id=current_request_id(),
        task_id=task_id,
    )


def audit_record(**kwargs: Any) -> AuditEvent:
    """Record one event now, in the current transaction (see `build_event` for arguments)."""
    event = build_event(**kwargs)
    event.save()
    return event


def audit_bulk(events: Iterable[AuditEvent], *, batch_size: int = 2000) -> int:
    """Record many events in a few INSERTs (imports, seeding)."""
    rows = list(events)
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


# --- The decorator ----------------------------------------------------------------------------


@dataclass
class _Frame:
    # The object acted on, when known on entry: a nested audited call on the same object (an
    # open that changes the status through the status service) is part of this event.
    key: tuple[str, Any] | None = None
    writes: int = 0
    # (model label, pk) -> {field: (old, new)}, as reported by model_update / note_changes.
    changes: dict[tuple[str, Any], dict[str, tuple[Any, Any]]] = field(default_factory=dict)


_frames: ContextVar[tuple[_Frame, ...]] = ContextVar("rpo_audit_frames", default=())


def note_changes(instance: models.Model, changes: dict[str, tuple[Any, Any]]) -> None:
    """Tell the audited call(s) in progress which fields of `instance` changed."""
    for frame in _frames.get():
        key = (instance._meta.label_lower, instance.pk)
        merged = frame.changes.setdefault(key, {})
        for name, (old, new) in changes.items():
            merged[name] = (merged[name][0], new) if name in merged else (old, new)


@contextmanager
def _watch(frame: _Frame) -> Iterator[None]:
    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        head = sql.lstrip()[:6].upper()
        if head in WRITE_VERBS and AUDIT_TABLE not in sql[:200]:
            frame.writes += 1
        return execute(sql, params, many, context)

    token = _frames.set((*_frames.get(), frame))
    try:
        with connection.execute_wrapper(count):
            yield
    finally:
        _frames.reset(token)


def _field_values(obj: models.Model) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname, None) for f in obj._meta.concrete_fields}


def audited(
    action: str, *, subject: str | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record `action` when the decorated service writes (see the module docstring).

    `subject` names the keyword argument holding the object acted on (for services that return
    nothing, such as deletes); otherwise the returned model instance is the object."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            target = kwargs.get(subject) if subject else None
            target = target if isinstance(target, models.Model) else None
            before = _field_values(target) if target is not None else None
            target_key = (target._meta.label_lower, target.pk) if target is not None else None
            if target_key is not None and any(f.key == target_key for f in _frames.get()):
                return service(*args, **kwargs)  # recorded by the enclosing call
            frame = _Frame(key=target_key)
            with _watch(frame):
                result = service(*args, **kwargs)
            if not frame.writes:
                return result
            obj = result if isinstance(result, models.Model) else target
            created = obj is result and target is None
            changes = _changes_for(frame, obj, target, target_key, before, created)
            with _organisation_scope(kwargs.get("organisation"), result):
                audit_record(
                    action=action,
                    obj=obj,
                    by=kwargs.get("by"),
                    changes=describe_changes(obj, changes) if obj is not None else {},
                    # A deleted row has lost its pk by now: name it by the pk it had.
                    object_type=target_key[0] if obj is target and target_key else "",
                    object_id=target_key[1] if obj is target and target_key else None,
                )
            return result

        run.__audited__ = action  # type: ignore[attr-defined]
        return run

    return decorate


@contextmanager
def _organisation_scope(given: Any, result: Any) -> Iterator[None]:
    """The organisation whose trail gets the event: the one in scope; else the service's
    `organisation` argument; else the organisation it created."""
    if current_organisation_id() is not None:
        yield
        return
    for candidate in (given, result):
        if isinstance(candidate, Organisation):
            with tenant_context(candidate):
                yield
            return
    yield  # no organisation: build_event refuses with TenantScopeError


def _changes_for(
    frame: _Frame,
    obj: models.Model | None,
    target: models.Model | None,
    target_key: tuple[str, Any] | None,
    before: dict[str, Any] | None,
    created: bool,
) -> dict[str, tuple[Any, Any]]:
    if obj is None:
        return {}
    noted = frame.changes.get((obj._meta.label_lower, obj.pk))
    if noted is None and target_key is not None:
        noted = frame.changes.get(target_key)
    if noted:
        return noted
    if created:
        # A new row: the values it was created with (empty ones left out).
        return {
            f.name: (None, getattr(obj, f.attname))
            for f in obj._meta.concrete_fields
            if not f.primary_key
            and f.name != "organisation"
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
            and getattr(obj, f.attname) not in (None, "", [], {})
        }
    if before is not None and target_key == (obj._meta.label_lower, obj.pk):
        # The same row (perhaps re-read under a lock inside the service): compare.
        after = _field_values(obj)
        return {
            f.name: (before[f.attname], after[f.attname])
            for f in obj._meta.concrete_fields
            if before.get(f.attname) != after[f.attname] and not getattr(f, "auto_now", False)
        }
    return {}
