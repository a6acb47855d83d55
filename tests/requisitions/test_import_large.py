"""A 50,000-row candidate export imports whole, in batches, with a row for each in the report."""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from requisitions.imports import services
from requisitions.imports.models import ImportRow
from requisitions.models import Candidate

ROWS = 50_000


@pytest.mark.slow
def test_a_50000_row_file_imports_with_every_row_reported(in_a, django_capture_on_commit_callbacks):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Candidate ID", "First Name", "Last Name", "Email", "Phone", "Source"])
    for n in range(ROWS):
        source = "LinkedIn" if n % 3 else "Employee referral"
        email = f"person{n}@example.test" if n != 777 else "not an email"
        writer.writerow([f"C{n}", "Person", str(n), email, "+44 7700 900000", source])
    upload = SimpleUploadedFile("greenhouse-candidates.csv", out.getvalue().encode())

    started = time.perf_counter()
    job = services.import_upload(kind="candidates", file=upload, by=in_a.recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=job, mapping=job.mapping, by=in_a.recruiter)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    print(f"\n50,000-row import: {elapsed:.1f}s")  # the figure for the README, not an assertion

    assert (job.status, job.total_rows, job.processed_rows) == ("done", ROWS, ROWS)
    assert (job.imported_count, job.rejected_count) == (ROWS - 1, 1)
    assert Candidate.objects.count() == ROWS - 1
    assert ImportRow.objects.filter(job=job).count() == ROWS
    bad = ImportRow.objects.get(job=job, outcome="rejected")
    assert (bad.row_number, bad.column) == (779, "Email")
    assert Candidate.objects.get(external_id="C1").source == "job_board"
    assert Candidate.objects.get(external_id="C3").source == "referral"
