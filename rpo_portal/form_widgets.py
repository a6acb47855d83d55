"""Date and time inputs as browsers read them.

An `<input type="date">` accepts only ISO 8601 (`2027-01-30`) as its value; Django's `DateInput`
renders the active locale's format (`30/01/2027` in en-GB), which the browser rejects and shows as
empty, so an edit form saved untouched would erase the date. Every date and date-time input of the
product uses these widgets.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """A `datetime-local` input; the value is shown in the active (the organisation's) time zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)
