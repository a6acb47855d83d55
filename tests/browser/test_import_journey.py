"""A recruiter imports candidates from an ATS export: upload, map columns, watch the progress bar
(a real Celery worker imports in batches while the page polls), then read the report."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from requisitions.models import Candidate
from tests.conftest import Tenant
from tests.worker import CeleryWorker, celery_app

from .conftest import axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

PASSWORD = "import-journey-password-1"
ROWS = 3000


@pytest.fixture
def worker(transactional_db: None) -> Iterator[CeleryWorker]:
    """A real worker importing 150 rows per batch, so the progress bar has steps to show."""
    worker = CeleryWorker(env={"IMPORT_BATCH_SIZE": "150"})
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        celery_app.conf.task_always_eager = previous


@pytest.fixture
def recruiter(transactional_db: None) -> Tenant:
    tenant = Tenant("acme")
    tenant.recruiter.set_password(PASSWORD)
    tenant.recruiter.save()
    return tenant


def _export(path: Path) -> Path:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["Candidate ID", "First Name", "Last Name", "Email", "Mobile Number", "Source"]
        )
        for n in range(ROWS):
            source = "Carrier pigeon" if n == 10 else "LinkedIn"
            writer.writerow(
                [f"GH-{n}", "Sam", f"Example {n}", f"sam{n}@example.test", "07700 900123", source]
            )
        writer.writerow(["GH-5", "Sam", "Again", "again@example.test", "", "LinkedIn"])
    return path


def test_recruiter_imports_candidates_and_reads_the_report(
    page: Page, recruiter: Tenant, worker: CeleryWorker, tmp_path: Path
):
    # given: the imports page, with nothing imported yet
    login(page, recruiter.recruiter.email, PASSWORD)
    page.goto(f"/orgs/{recruiter.slug}/requisitions/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports")
    expect(page.get_by_text("No imports yet")).to_be_visible()
    axe_check(page)
    screenshot(page, "imports-empty")

    # when: a Greenhouse-style candidate export is uploaded
    page.get_by_label("The file holds").select_option("candidates")
    page.locator("#id_file").set_input_files(_export(tmp_path / "greenhouse-candidates.csv"))
    page.get_by_role("button", name="Upload and map columns").click()

    # then: the columns it could recognise are matched; the recruiter matches the phone column
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")
    expect(page.get_by_label("External id")).to_have_value("Candidate ID")
    expect(page.get_by_label("First name")).to_have_value("First Name")
    expect(page.get_by_label("Email", exact=True)).to_have_value("Email")
    expect(page.get_by_label("Phone", exact=True)).to_have_value("")
    page.get_by_label("Phone", exact=True).select_option("Mobile Number")
    axe_check(page)
    screenshot(page, "import-map")
    page.get_by_role("button", name="Start import").click()

    # then: the progress bar moves while the worker imports, and reaches 100%
    progress = page.get_by_role("progressbar", name="Import progress")
    expect(progress).to_be_visible()
    screenshot(page, "import-progress")
    expect(progress).to_have_attribute("aria-valuenow", "100", timeout=60_000)

    # and the report lists every row: the bad source and the duplicate id with their column
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    counts = page.locator(".import-counts")
    expect(counts.get_by_role("link", name=f"Imported {ROWS - 1}")).to_be_visible()
    expect(counts.get_by_role("link", name="Rejected 2")).to_be_visible()
    axe_check(page)
    screenshot(page, "import-report")
    counts.get_by_role("link", name="Rejected 2").click()
    table = page.locator(".report-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text("“Carrier pigeon” is not one of")
    expect(table).to_contain_text("Duplicate: row 7 of this file")
    screenshot(page, "import-report-rejected")

    # and the import can be found again from the list of imports
    page.get_by_role("link", name="All imports").click()
    expect(page.get_by_role("link", name="greenhouse-candidates.csv")).to_be_visible()
    with recruiter.scope():
        assert Candidate.objects.count() == ROWS - 1
        assert Candidate.objects.get(external_id="GH-3").phone == "07700 900123"
