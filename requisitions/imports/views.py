"""UI for imports: the list of imports, upload, column mapping, and progress with the report.

The progress partial polls itself every second (htmx) until the import finishes, then reloads
the page to show the report; the page can be left and found again from the imports list.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from rpo_portal.form_errors import apply_service_errors
from rpo_portal.http import TenantRequest, actor
from rpo_portal.tenancy.permissions import writer_required, writer_required_for_unsafe

from . import selectors, services
from .forms import MappingForm, UploadForm
from .models import ImportJob, ImportStatus, RowOutcome

REPORT_PAGE_SIZE = 100


def _job(import_id: int) -> ImportJob:
    try:
        return selectors.import_get(import_id)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc


@writer_required_for_unsafe
def import_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    """Every import of the organisation, newest first, with the upload form on top."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_upload(
                kind=form.cleaned_data["kind"], file=form.cleaned_data["file"], by=actor(request)
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("requisitions:import_map", org_slug=org_slug, import_id=job.pk)
    elif request.method == "GET" and request.GET.get("kind"):
        form = UploadForm(initial={"kind": request.GET["kind"]})
    paginator = Paginator(selectors.import_list(), 25)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "requisitions/imports/import_list.html",
        {"form": form, "page": page, "imports": page.object_list},
        status=400 if form.errors else 200,
    )


@writer_required
def import_map(request: TenantRequest, org_slug: str, import_id: int) -> HttpResponse:
    """Choose the file's column for each field (pre-filled), then start the import."""
    job = _job(import_id)
    if job.status != ImportStatus.MAPPING:
        return redirect("requisitions:import_detail", org_slug=org_slug, import_id=job.pk)
    form = MappingForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            services.import_start(
                job=job, mapping=form.mapping(), options=form.options(), by=actor(request)
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    name = f"map_{field}" if f"map_{field}" in form.fields else field
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Import started. You can leave this page and come back."))
            return redirect("requisitions:import_detail", org_slug=org_slug, import_id=job.pk)
    return render(
        request,
        "requisitions/imports/import_map.html",
        {"job": job, "form": form},
        status=400 if form.errors else 200,
    )


def _outcomes(job: ImportJob) -> list[tuple[str, str, int]]:
    return [
        ("", _("All rows"), job.total_rows),
        (RowOutcome.IMPORTED, _("Imported"), job.imported_count),
        (RowOutcome.UPDATED, _("Updated"), job.updated_count),
        (RowOutcome.REJECTED, _("Rejected"), job.rejected_count),
    ]


def import_detail(request: TenantRequest, org_slug: str, import_id: int) -> HttpResponse:
    """Progress while it runs; the report (every row, filterable by outcome) once done."""
    job = _job(import_id)
    if request.htmx and request.htmx.target == "import-progress":
        if job.finished:
            return HttpResponseClientRefresh()
        return render(
            request,
            "requisitions/imports/import_detail.html#import-progress",
            {"job": job, "outcomes": _outcomes(job)},
        )
    if job.status == ImportStatus.MAPPING:
        return redirect("requisitions:import_map", org_slug=org_slug, import_id=job.pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in RowOutcome.values:
        outcome = ""
    page = None
    if job.finished:
        paginator = Paginator(selectors.import_report(job, outcome), REPORT_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "requisitions/imports/import_detail.html",
        {
            "job": job,
            "page": page,
            "rows": page.object_list if page else [],
            "outcome": outcome,
            "query": f"outcome={outcome}" if outcome else "",
            "outcomes": _outcomes(job),
        },
    )
