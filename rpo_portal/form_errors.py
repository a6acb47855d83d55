"""Showing a service's ValidationError on the form that fed it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.forms import BaseForm

from rpo_portal.errors import Conflict

logger = logging.getLogger(__name__)


def apply_service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put each error next to the field it names; errors of other fields go above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class _DryRun(Exception):
    """Raised to roll back a service call made only to learn what it would refuse."""


def _empty(field: forms.Field) -> Any:
    """What a field left empty gives a service, standing in for a value that failed its shape."""
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return []
    if isinstance(field, forms.ModelChoiceField):
        return None
    if isinstance(field, forms.CharField | forms.ChoiceField):
        return getattr(field, "empty_value", "")
    return None


def add_rule_errors(form: BaseForm, save: Callable[[dict[str, Any]], object]) -> None:
    """Call on a form with shape errors (a required field empty, a malformed date): run the
    service on the rest of the input anyway, in a savepoint that is always rolled back, and show
    the rules it breaks beside their fields too. One submit then reports every problem, instead
    of the shape errors first and the service's on the next submit.

    Fields that already carry an error keep only that one; the service's errors about the whole
    form are left out, since it saw stand-ins for the fields at fault.
    """
    data: dict[str, Any] = dict(getattr(form, "cleaned_data", {}))
    for name, field in form.fields.items():
        if name not in data:
            data[name] = _empty(field)
    try:
        with transaction.atomic():
            save(data)
            raise _DryRun
    except _DryRun:
        return
    except ValidationError as exc:
        found = exc.error_dict if hasattr(exc, "error_dict") else {}
        for name, errors in found.items():
            if name != NON_FIELD_ERRORS and name in form.fields and name not in form.errors:
                form.add_error(name, errors)
    except Conflict:
        return
    except (TypeError, ValueError, AttributeError, LookupError, ObjectDoesNotExist, DatabaseError):
        # The stand-ins may not suit every service: the form's own errors stand.
        logger.debug("Rule check on an invalid form did not run", exc_info=True)
