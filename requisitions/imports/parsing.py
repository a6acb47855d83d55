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
from django.utils.translation import gettext_lazy

XLSX_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = 64 * 1024
NEWLINE = b"\n"


class ImportFileError(ValueError):
    """The file cannot be imported at all (wrong type, empty, no header)."""


# The first bytes of file types people upload by mistake, and what to call them.
SIGNATURES: tuple[tuple[bytes, Any], ...] = (
    (b"%PDF-", gettext_lazy("a PDF document")),
    (b"\x89PNG\r\n\x1a\n", gettext_lazy("a PNG image")),
    (b"\xff\xd8\xff", gettext_lazy("a JPEG image")),
    (b"GIF87a", gettext_lazy("a GIF image")),
    (b"GIF89a", gettext_lazy("a GIF image")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_lazy("an old Office file (.xls or .doc)")),
    (b"\x1f\x8b", gettext_lazy("a gzip archive")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_lazy("a 7-Zip archive")),
)
# Control characters that never appear in a text export (tab, newline and carriage return do).
_CONTROL = frozenset(range(0, 32)) - {9, 10, 12, 13, 26}


def _zip_kind(head: bytes) -> str:
    """What a ZIP file is, from the names of its first entries (in the local headers)."""
    if b"xl/" in head or b"[Content_Types].xml" in head and b"xl" in head:
        return _("an Excel workbook (.xlsx)")
    if b"word/" in head:
        return _("a Word document (.docx)")
    return _("a ZIP archive")


def binary_reason(head: bytes) -> str | None:
    """Why `head` (the first bytes of a file named as text) is not text, saying where in the
    file it was seen; None when it reads as text."""
    if head.startswith(XLSX_MAGIC):
        return _("it looks like %(kind)s (its first bytes are a ZIP signature).") % {
            "kind": _zip_kind(head)
        }
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return _("it looks like %(kind)s (its first bytes are “%(magic)s”).") % {
                "kind": kind,
                "magic": signature.decode("latin-1").encode("unicode_escape").decode("ascii"),
            }
    nul = head.find(b"\x00")
    if nul >= 0:
        return _(
            "byte %(offset)s (line %(line)s) is a NUL byte, which text never holds (it may be "
            "UTF-16 text or another program's file)."
        ) % {"offset": f"{nul + 1:,}", "line": f"{head.count(NEWLINE, 0, nul) + 1:,}"}
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut at the end of the sample
            try:
                text = head.decode("cp1252")
            except UnicodeDecodeError as cp_exc:
                return _("byte %(offset)s cannot be read as text in UTF-8 or Windows-1252.") % {
                    "offset": f"{cp_exc.start + 1:,}"
                }
        else:
            text = head[: exc.start].decode("utf-8")
    for index, char in enumerate(text):
        if ord(char) in _CONTROL:
            return _(
                "character %(offset)s is a control character (code %(code)s), which a text "
                "export does not hold."
            ) % {"offset": f"{index + 1:,}", "code": ord(char)}
    return None


def detect_format(name: str, head: bytes) -> str:
    """ "csv" or "xlsx" from the name and the first bytes (up to SNIFF_BYTES of them);
    ImportFileError for anything else, saying what is wrong with the file."""
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
        reason = binary_reason(head)
        if reason is not None:
            raise ImportFileError(
                _(
                    "“%(name)s” is not text: %(reason)s Upload a CSV or XLSX export from your "
                    "applicant tracking system or spreadsheet."
                )
                % {"name": name, "reason": reason}
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
