"""Imports: upload checks, column mapping, every rejection reason, re-imports and atomic rows."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from requisitions.imports import fields, services
from requisitions.imports.models import ColumnMapping, ImportJob, ImportRow, ImportStatus
from requisitions.models import Application, Candidate, HiringManager, Requisition
from tests.factories import ProgrammeFactory
from tests.requisitions.factories import CandidateFactory, HiringManagerFactory, make_requisition


def csv_file(rows: list[list[Any]], name: str = "export.csv") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[list[Any]], name: str = "export.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def run_import(
    capture: Any,
    kind: str,
    upload: SimpleUploadedFile,
    *,
    mapping: dict[str, str] | None = None,
    options: dict[str, Any] | None = None,
    by: Any = None,
) -> ImportJob:
    job = services.import_upload(kind=kind, file=upload, by=by)
    with capture(execute=True):
        services.import_start(
            job=job, mapping=mapping if mapping is not None else job.mapping, options=options, by=by
        )
    job.refresh_from_db()
    return job


def report(job: ImportJob) -> dict[int, ImportRow]:
    return {row.row_number: row for row in ImportRow.objects.filter(job=job)}


GREENHOUSE_HMS = [["Employee ID", "Full Name", "Email Address", "Department"]]
WORKDAY_REQS = [
    [
        "Job Requisition ID",
        "Job Posting Title",
        "Primary Location",
        "Country",
        "Hiring Manager Email",
        "Target Hire Date",
        "Number of Openings",
        "Job Requisition Status",
    ]
]


# --- Upload checks ------------------------------------------------------------------------


def test_an_empty_file_is_refused_with_a_clear_message(in_a):
    with pytest.raises(ValidationError) as caught:
        services.import_upload(
            kind="candidates", file=SimpleUploadedFile("empty.csv", b""), by=None
        )
    assert "empty" in caught.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()


def test_a_file_of_the_wrong_type_is_refused(in_a):
    with pytest.raises(ValidationError) as caught:
        services.import_upload(
            kind="candidates", file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 ..."), by=None
        )
    assert "not a CSV or XLSX" in caught.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as caught:
        services.import_upload(
            kind="candidates", file=SimpleUploadedFile("fake.xlsx", b"name,email\n"), by=None
        )
    assert "not an Excel workbook" in caught.value.message_dict["file"][0]


def test_a_file_without_a_header_row_is_refused(in_a):
    with pytest.raises(ValidationError) as caught:
        services.import_upload(
            kind="candidates", file=csv_file([[], ["Ana", "ana@example.test"]]), by=None
        )
    assert "first row must name the columns" in caught.value.message_dict["file"][0]


def test_a_header_without_rows_is_refused(in_a):
    with pytest.raises(ValidationError) as caught:
        services.import_upload(kind="candidates", file=csv_file([["Name", "Email"]]), by=None)
    assert "no rows" in caught.value.message_dict["file"][0]


def test_ats_headers_map_by_synonyms_and_the_confirmed_mapping_is_remembered(in_a):
    job = services.import_upload(
        kind="requisitions", file=csv_file(WORKDAY_REQS + [["R1"] * 8]), by=None
    )
    assert job.mapping == {
        "external_id": "Job Requisition ID",
        "title": "Job Posting Title",
        "location": "Primary Location",
        "country": "Country",
        "hiring_manager": "Hiring Manager Email",
        "target_date": "Target Hire Date",
        "openings": "Number of Openings",
        "status": "Job Requisition Status",
    }
    odd = services.import_upload(
        kind="hiring_managers",
        file=csv_file([["Boss", "Mail", "Code"], ["A", "a@x.test", "1"]]),
        by=None,
    )
    assert odd.mapping == {}
    services.import_start(
        job=odd, mapping={"name": "Boss", "email": "Mail", "external_id": "Code"}, by=None
    )
    assert ColumnMapping.objects.get(kind="hiring_managers").mapping["email"] == "Mail"
    again = services.import_upload(
        kind="hiring_managers",
        file=csv_file([["Boss", "Mail", "Code"], ["B", "b@x.test", "2"]]),
        by=None,
    )
    assert again.mapping == {"name": "Boss", "email": "Mail", "external_id": "Code"}


def test_missing_required_columns_are_named_before_anything_runs(in_a):
    job = services.import_upload(
        kind="requisitions", file=csv_file([["Job ID", "Job Title"], ["R1", "Chef"]]), by=None
    )
    with pytest.raises(ValidationError) as caught:
        services.import_start(job=job, mapping=job.mapping, options={}, by=None)
    assert set(caught.value.message_dict) >= {
        "location",
        "country",
        "hiring_manager",
        "target_date",
    }
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING


def test_synonyms_cover_each_kind_required_fields():
    for kind, targets in fields.TARGETS.items():
        for target in targets:
            assert target.synonyms, (kind, target.name)
            assert all(s == fields.normalise(s) for s in target.synonyms), (kind, target.name)


# --- Rows ---------------------------------------------------------------------------------


def test_hiring_managers_import_then_reimport_updates_without_duplicates(
    in_a, django_capture_on_commit_callbacks
):
    rows = GREENHOUSE_HMS + [
        ["E1", "Ana Ruiz", "Ana@Client.test", "Finance"],
        ["E2", "Tom Becker", "tom@client.test", "Sales"],
    ]
    job = run_import(django_capture_on_commit_callbacks, "hiring_managers", csv_file(rows))
    assert (job.status, job.imported_count, job.updated_count, job.rejected_count) == (
        ImportStatus.DONE,
        2,
        0,
        0,
    )
    assert HiringManager.objects.get(external_id="E1").email == "ana@client.test"

    rows[1][3] = "Treasury"
    again = run_import(django_capture_on_commit_callbacks, "hiring_managers", xlsx_file(rows))
    assert (again.imported_count, again.updated_count) == (0, 2)
    assert HiringManager.objects.count() == 2
    assert HiringManager.objects.get(external_id="E1").department == "Treasury"


def test_duplicates_inside_the_file_are_rejected_with_the_first_row(
    in_a, django_capture_on_commit_callbacks
):
    rows = GREENHOUSE_HMS + [
        ["E1", "Ana Ruiz", "ana@client.test", ""],
        ["E1", "Ana Again", "other@client.test", ""],
        ["E3", "Same Mail", "ANA@client.test", ""],
    ]
    job = run_import(django_capture_on_commit_callbacks, "hiring_managers", csv_file(rows))
    lines = report(job)
    assert lines[2].outcome == "imported"
    assert (lines[3].outcome, lines[3].column) == ("rejected", "Employee ID")
    assert "row 2" in lines[3].message
    assert (lines[4].outcome, lines[4].column) == ("rejected", "Email Address")
    assert HiringManager.objects.count() == 1


def _requisition_setup() -> dict[str, Any]:
    programme = ProgrammeFactory()
    HiringManagerFactory(name="Ana Ruiz", email="ana@client.test", external_id="E1")
    return {"programme": programme.pk}


def test_requisition_rows_name_the_column_at_fault(in_a, django_capture_on_commit_callbacks):
    options = _requisition_setup()
    rows = WORKDAY_REQS + [
        ["R1", "Chef", "Leeds", "United Kingdom", "ana@client.test", "31/03/2030", "2", "Open"],
        ["R2", "Chef", "Paris", "FR", "E1", "2030-13-45", "1", "Open"],
        ["R3", "Chef", "Paris", "Narnia", "E1", "2030-04-01", "1", "Open"],
        ["R4", "Chef", "Paris", "FR", "nobody@client.test", "2030-04-01", "1", "Open"],
        ["R5", "Chef", "Paris", "FR", "Ana Ruiz", "2030-04-01", "0", "Open"],
        ["R6", "", "Paris", "FR", "E1", "2030-04-01", "1", "Open"],
        ["R7", "Baker", "Lyon", "FR", "E1", "1 Apr 2030", "", "On Hold"],
    ]
    job = run_import(
        django_capture_on_commit_callbacks,
        "requisitions",
        csv_file(rows),
        options={**options, "recruiter": in_a.recruiter.pk},
    )
    lines = report(job)
    assert lines[2].outcome == "imported"
    assert (lines[3].column, "not a date") == (
        "Target Hire Date",
        "not a date",
    ) and "not a date" in lines[3].message
    assert lines[4].column == "Country" and "Narnia" in lines[4].message
    assert (
        lines[5].column == "Hiring Manager Email" and "Unknown hiring manager" in lines[5].message
    )
    assert lines[6].column == "Number of Openings"
    assert lines[7].column == "Job Posting Title" and "required" in lines[7].message
    assert lines[8].outcome == "imported"
    assert (job.imported_count, job.rejected_count) == (2, 5)
    leeds = Requisition.objects.get(external_id="R1")
    assert (leeds.country, leeds.status, leeds.openings, str(leeds.target_date)) == (
        "GB",
        "open",
        2,
        "2030-03-31",
    )
    assert Requisition.objects.get(external_id="R7").status == "on_hold"


def test_a_file_with_bad_rows_keeps_what_was_stored_before(
    in_a, django_capture_on_commit_callbacks
):
    options = {**_requisition_setup(), "recruiter": in_a.recruiter.pk}
    before = make_requisition(title="Stored before", external_id="R1")
    rows = WORKDAY_REQS + [
        # Renames R1 and asks for an illegal status move (open -> draft): the whole row is
        # rejected, so R1 keeps its old title too.
        ["R1", "Renamed", "Leeds", "GB", "E1", "2030-03-31", "1", "Draft"],
        ["R2", "Good row", "Leeds", "GB", "E1", "2030-03-31", "1", "Open"],
    ]
    job = run_import(
        django_capture_on_commit_callbacks, "requisitions", csv_file(rows), options=options
    )
    lines = report(job)
    assert lines[2].outcome == "rejected" and lines[2].column == "Job Requisition Status"
    before.refresh_from_db()
    assert (before.title, before.status) == ("Stored before", "open")
    assert Requisition.objects.get(external_id="R2").title == "Good row"


def test_applications_import_walks_the_pipeline_and_reimport_updates(
    in_a, django_capture_on_commit_callbacks
):
    requisition = make_requisition(external_id="R1", openings=1)
    CandidateFactory(external_id="C1", email="c1@example.test")
    CandidateFactory(external_id="C2", email="c2@example.test")
    CandidateFactory(external_id="C3", email="c3@example.test")
    header = [
        "Application ID",
        "Candidate ID",
        "Job ID",
        "Current Stage",
        "Applied Date",
        "Rejection Reason",
        "Start Date",
    ]
    rows = [
        header,
        ["A1", "C1", "R1", "Hired", "2030-01-02", "", "2030-03-01"],
        ["A2", "c2@example.test", "R1", "Phone Screen", "2030-01-03", "", ""],
        ["A3", "C3", "R1", "Rejected", "2030-01-04", "", ""],
        ["A4", "C9", "R1", "Applied", "2030-01-04", "", ""],
        ["A5", "C3", "R404", "Applied", "2030-01-04", "", ""],
        ["A6", "C3", "R1", "Daydreaming", "2030-01-04", "", ""],
    ]
    job = run_import(django_capture_on_commit_callbacks, "applications", csv_file(rows))
    lines = report(job)
    assert [lines[n].outcome for n in range(2, 8)] == [
        "imported",
        "imported",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
    ]
    assert lines[4].column == "Rejection Reason"
    assert lines[5].column == "Candidate ID" and "Unknown candidate" in lines[5].message
    assert lines[6].column == "Job ID" and "Unknown requisition" in lines[6].message
    assert lines[7].column == "Current Stage"
    requisition.refresh_from_db()
    assert requisition.status == "filled"
    assert Application.objects.get(external_id="A2").stage == "screening"

    rows = [header, ["A2", "C2", "R1", "Interview", "2030-01-03", "", ""]]
    again = run_import(django_capture_on_commit_callbacks, "applications", csv_file(rows))
    assert (again.imported_count, again.updated_count) == (0, 1)
    assert Application.objects.get(external_id="A2").stage == "interview"
    assert Application.objects.count() == 2


def test_candidates_from_first_and_last_name_columns(in_a, django_capture_on_commit_callbacks):
    rows = [
        ["Candidate ID", "First Name", "Last Name", "Email", "Source"],
        ["C1", "Ana", "Ruiz", "ana@example.test", "LinkedIn"],
        ["C2", "Tom", "", "tom@example.test", "Carrier pigeon"],
    ]
    job = run_import(django_capture_on_commit_callbacks, "candidates", csv_file(rows))
    lines = report(job)
    assert Candidate.objects.get(external_id="C1").name == "Ana Ruiz"
    assert Candidate.objects.get(external_id="C1").source == "job_board"
    assert lines[3].outcome == "rejected" and lines[3].column == "Source"


def test_a_redelivered_batch_does_nothing(in_a, django_capture_on_commit_callbacks):
    rows = GREENHOUSE_HMS + [["E1", "Ana Ruiz", "ana@client.test", ""]]
    job = run_import(django_capture_on_commit_callbacks, "hiring_managers", csv_file(rows))
    assert services.import_run_batch(job_id=job.pk, start=0) is None
    job.refresh_from_db()
    assert (job.imported_count, HiringManager.objects.count()) == (1, 1)


def test_an_import_whose_file_is_lost_fails_with_a_message_instead_of_waiting_forever(
    in_a, django_capture_on_commit_callbacks
):
    # given an upload whose stored file disappears before the task runs (storage lost)
    upload = csv_file([["Name", "Email"], ["Ada Lovelace", "ada@example.test"]])
    job = services.import_upload(kind="hiring_managers", file=upload, by=in_a.recruiter)
    job.file.storage.delete(job.file.name)
    # when the import starts and its task runs
    with django_capture_on_commit_callbacks(execute=True):
        services.import_start(job=job, mapping=job.mapping, options=None, by=in_a.recruiter)
    # then the job is failed with a message, and nothing was imported
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "stopped unexpectedly" in job.error
    assert not HiringManager.objects.exists()
