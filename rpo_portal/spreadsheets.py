"""CSV and XLSX files from rows of objects, shared by every list that exports.

Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe; datetimes
are written in the local time zone without an offset (spreadsheets have no zones).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def display(field: str) -> Callable[[Any], Any]:
    """A column value: the human label of a choices field."""
    return lambda obj: getattr(obj, f"get_{field}_display")()


def safe(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(columns: Sequence[Column], objects: Iterable[Any], out: IO[bytes]) -> int:
    """Write a header row and one row per object (UTF-8 with BOM, for spreadsheets)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([c.header for c in columns])
    count = 0
    for obj in objects:
        writer.writerow([_text(safe(c.value(obj))) for c in columns])
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(
    columns: Sequence[Column], objects: Iterable[Any], out: IO[bytes], *, sheet: str = "Sheet1"
) -> int:
    from openpyxl import Workbook  # heavy import, only when a workbook is written

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append([c.header for c in columns])
    count = 0
    for obj in objects:
        worksheet.append([safe(c.value(obj)) for c in columns])
        count += 1
    workbook.save(out)
    return count


def download(
    columns: Sequence[Column], objects: Iterable[Any], *, file_format: str, name: str
) -> HttpResponse:
    """A small list as an attachment (large ones are built by a task, not in the request)."""
    buffer = io.BytesIO()
    if file_format == "xlsx":
        write_xlsx(columns, objects, buffer, sheet=name)
    else:
        write_csv(columns, objects, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
    return response
