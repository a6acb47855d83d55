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


class MinuteDateTimeField(forms.DateTimeField):
    """A date-time shown and entered to the minute: a stored value with seconds is unchanged
    when the minute shown comes back (the kick-off is not moved, nobody is re-invited)."""

    widget = DateTimeInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            submitted = self.to_python(data)
        except forms.ValidationError:
            return True
        initial_value = self.to_python(initial) if initial not in (None, "") else None

        def minute(value: Any) -> Any:
            return value.replace(second=0, microsecond=0) if value is not None else None

        return minute(initial_value) != minute(submitted)
