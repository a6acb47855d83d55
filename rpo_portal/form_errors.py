"""Showing a service's ValidationError on the form that fed it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import BaseForm


def apply_service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Put each error next to the field it names; errors of other fields go above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
