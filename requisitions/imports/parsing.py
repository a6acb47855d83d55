"""Reading CSV and XLSX files into a header row and rows of text cells.

Every cell comes back as a stripped string ("" for an empty cell): dates from XLSX as ISO text,
whole numbers without ".0", so the row checks see one shape whatever the file was.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024


class ImportFileError(ValueError):
    """The file cannot be imported at all (wrong type, empty, no header)."""


def detect_format(name: str, head: bytes) -> str:
    """ "csv" or "xlsx" from the name and the first bytes; ImportFileError for anything else."""
    lower = name.lower()
    if not head:
        raise ImportFileError(_("The file is empty. Export the list again and upload that file."))
    if lower.endswith(".xlsx"):
        if not head.startswith(XLSX_MAGIC):
            raise ImportFileError(
                _(
                    "This file is named .xlsx but is not an Excel workbook. Save it as .xlsx or .csv."
                )
            )
        return "xlsx"
    if lower.endswith((".csv", ".txt", ".tsv")):
        if head.startswith(XLSX_MAGIC) or b"\x00" in head:
            raise ImportFileError(
                _(
                    "This file is named .csv but holds binary data. Save it as CSV (comma "
                    "separated values) or upload the .xlsx itself."
                )
            )
        return "csv"
    if lower.endswith(".xls"):
        raise ImportFileError(
            _(
                "Old Excel files (.xls) cannot be read. Save the sheet as .xlsx or .csv and upload that."
            )
        )
    raise ImportFileError(
        _("“%(name)s” is not a CSV or XLSX file. Upload the export as .csv or .xlsx.")
        % {"name": name}
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") if value.time() != time.min else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _unique_headers(raw: list[str]) -> list[str]:
    """Blank headers become "Column N"; a repeated header gets " (2)", " (3)"."""
    headers: list[str] = []
    seen: dict[str, int] = {}
    for i, header in enumerate(raw, start=1):
        header = header.strip() or _("Column %(n)s") % {"n": i}
        if header in seen:
            seen[header] += 1
            header = f"{header} ({seen[header]})"
        else:
            seen[header] = 1
        headers.append(header)
    return headers


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    text = _decode(stream.read())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:SNIFF_BYTES], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for row in reader:
            yield [cell.strip() for cell in row]
    except csv.Error as exc:
        # A malformed file (an unclosed quote, a cell over the size limit): say where.
        raise ImportFileError(
            _("Row %(row)d of the file cannot be read as CSV (%(error)s).")
            % {"row": reader.line_num, "error": exc}
        ) from exc


def _xlsx_rows(stream: IO[bytes]) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _("This Excel file cannot be opened (%(error)s). Save it again as .xlsx or .csv.")
            % {"error": exc}
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_text(cell) for cell in row]
    finally:
        workbook.close()


def read_rows(
    stream: IO[bytes], file_format: str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """(headers, iterator of (row number, {header: cell})); blank rows are skipped.

    Row numbers are as a spreadsheet shows them: the header is row 1. Raises ImportFileError
    when there is no header row.
    """
    rows = _csv_rows(stream) if file_format == "csv" else _xlsx_rows(stream)
    first = next(rows, None)
    if first is None or not any(cell for cell in first):
        raise ImportFileError(
            _("The first row must name the columns (e.g. “Job ID”, “Job Title”), and it is empty.")
        )
    headers = _unique_headers(first)
    if len(headers) < 2 and all(c.isdigit() for c in headers[0].replace(" ", "")):
        raise ImportFileError(_("The first row must name the columns; it holds data."))

    def body() -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in enumerate(rows, start=2):
            if not any(row):
                continue
            cells = row + [""] * (len(headers) - len(row))
            yield number, dict(zip(headers, cells, strict=False))

    return headers, body()
