"""A binary file uploaded under a text name is refused with what is wrong with it, not with "a
header row but no rows". The files are real bytes of each kind."""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from requisitions.imports import services
from requisitions.imports.models import ImportJob

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Job ID, Title) Tj ET")
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length "
        + str(len(stream)).encode()
        + b" /Filter /FlateDecode >>\nstream\n"
        + stream
        + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = zlib.compress(b"\x00\xff\x00\x00" * 1)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("candidates.csv", "Name,Email\nAna,ana@example.test\n")
    return out.getvalue()


def _xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Name", "Email"])
    workbook.active.append(["Ana", "ana@example.test"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _random_bytes() -> bytes:
    return random.Random(8).randbytes(4096)


def _random_without_nul() -> bytes:
    # No NUL byte and no ZIP/PDF signature: only the decoding tells it is not text.
    return bytes(b or 1 for b in random.Random(9).randbytes(600))


def _utf16() -> bytes:
    return "Name,Email\r\nAna,ana@example.test\r\n".encode("utf-16")


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("export.txt", _pdf, "it looks like a PDF document"),
        ("export.csv", _png, "it looks like a PNG image"),
        ("export.txt", _zip, "it looks like a ZIP archive"),
        ("export.csv", _xlsx, "it looks like an Excel workbook (.xlsx)"),
        ("export.txt", _random_bytes, "is not text"),
        ("export.txt", _random_without_nul, "is not text"),
        ("export.csv", _utf16, "is a NUL byte"),
    ],
)
def test_a_binary_file_named_as_text_is_refused_saying_what_it_is(in_a, name, make, expected):
    upload = SimpleUploadedFile(name, make())
    with pytest.raises(ValidationError) as excinfo:
        services.import_upload(kind="candidates", file=upload, by=None)
    (message,) = excinfo.value.message_dict["file"]
    assert expected in message
    assert f"“{name}” is not text" in message  # names the file it was found in
    assert "Upload a CSV or XLSX export" in message
    assert "header row" not in message
    assert not ImportJob.objects.exists()


def test_the_message_says_where_in_the_file_the_binary_data_is(in_a):
    data = b"Name,Email\nAna,ana@example.test\n" + b"\x00" * 10
    with pytest.raises(ValidationError) as excinfo:
        services.import_upload(
            kind="candidates", file=SimpleUploadedFile("export.csv", data), by=None
        )
    assert "byte 33 (line 3) is a NUL byte" in excinfo.value.message_dict["file"][0]


@pytest.mark.parametrize(
    "data",
    [
        "Name,Email\nZoë Brontë,zoe@example.test\n".encode(),
        "Name,Email\nZoë Brontë,zoe@example.test\n".encode("cp1252"),
        "\ufeffName;Email\r\nJosé Núñez;jose@example.test\r\n".encode(),
    ],
    ids=["utf-8", "windows-1252", "utf-8 with BOM and semicolons"],
)
def test_text_exports_in_the_usual_encodings_are_still_read(in_a, data):
    job = services.import_upload(
        kind="candidates", file=SimpleUploadedFile("export.csv", data), by=None
    )
    assert job.headers == ["Name", "Email"]
