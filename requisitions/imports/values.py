"""Turning a cell's text into a value, or a RowRejected that names the column and the fix."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, time
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ..countries import COUNTRIES
from .fields import normalise


class RowRejected(Exception):
    """The row cannot be imported; `target` is the field whose column is at fault."""

    def __init__(self, target: str, message: str) -> None:
        super().__init__(message)
        self.target = target
        self.message = message


DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%Y/%m/%d",
)
DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def parse_date(target: str, text: str) -> date:
    """ISO dates, or day first (the British way) with slashes, dots or month names."""
    text = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date, no time zone)
        except ValueError:
            continue
    try:
        return parse_datetime(target, text, tz=None).date()
    except RowRejected:
        pass
    raise RowRejected(
        target,
        _("“%(value)s” is not a date. Use YYYY-MM-DD (e.g. 2025-03-31) or DD/MM/YYYY.")
        % {"value": text},
    )


def parse_datetime(target: str, text: str, tz: zoneinfo.ZoneInfo | None) -> datetime:
    """A time-zone-aware datetime; text without an offset is read in `tz` (the organisation's)."""
    text = text.strip()
    value: datetime | None = None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for fmt in DATETIME_FORMATS:
            try:
                value = datetime.strptime(text, fmt)  # noqa: DTZ007 (made aware below)
                break
            except ValueError:
                continue
    if value is None:
        if tz is None:
            raise RowRejected(target, "")
        day = parse_date(target, text)
        value = datetime.combine(day, time(9, 0))
    if timezone.is_naive(value):
        value = value.replace(tzinfo=tz or zoneinfo.ZoneInfo("UTC"))
    return value


def parse_int(target: str, text: str, *, minimum: int = 0) -> int:
    cleaned = text.strip().replace(",", "")
    if re.fullmatch(r"\d+(\.0+)?", cleaned):
        number = int(float(cleaned))
        if number >= minimum:
            return number
    raise RowRejected(
        target,
        _("“%(value)s” is not a whole number of at least %(min)s.")
        % {"value": text, "min": minimum},
    )


def parse_choice(target: str, text: str, table: dict[str, Any], allowed: list[str]) -> Any:
    value = table.get(normalise(text))
    if value is None:
        raise RowRejected(
            target,
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(allowed)},
        )
    return value


_COUNTRY_NAMES = {normalise(name): code for code, name in COUNTRIES.items()}
_COUNTRY_NAMES.update(
    {
        "uk": "GB",
        "united kingdom": "GB",
        "great britain": "GB",
        "england": "GB",
        "scotland": "GB",
        "wales": "GB",
        "northern ireland": "GB",
        "usa": "US",
        "us": "US",
        "united states": "US",
        "united states of america": "US",
        "america": "US",
        "uae": "AE",
        "holland": "NL",
        "the netherlands": "NL",
        "czech republic": "CZ",
        "south korea": "KR",
        "korea": "KR",
        "russia": "RU",
        "bosnia and herzegovina": "BA",
        "trinidad and tobago": "TT",
    }
)


def parse_country(target: str, text: str) -> str:
    """An ISO 3166 alpha-2 code from a code or an English name ("GB", "United Kingdom")."""
    cleaned = text.strip()
    if cleaned.upper() in COUNTRIES:
        return cleaned.upper()
    code = _COUNTRY_NAMES.get(normalise(cleaned).replace(" and ", " "))
    if code is None:
        code = _COUNTRY_NAMES.get(normalise(cleaned))
    if code is None:
        raise RowRejected(
            target,
            _(
                "“%(value)s” is not a country. Use an ISO code such as GB, DE or US, or the English "
                "name."
            )
            % {"value": text},
        )
    return code
