"""Export a list as CSV or XLSX under the list's current filters.

A list of up to EXPORT_INLINE_MAX_ROWS rows downloads at once; a longer one is built by a Celery
task (a response streamed after the request's transaction would run without the tenant), and
its page offers the download when ready. Only the organisation that made an export can fetch it:
the job is read through the scoped manager.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRefresh

from rpo_portal.http import TenantRequest, actor

from . import services, writers
from .models import ExportJob, ExportStatus

IGNORED_PARAMS = ("format", "page")


def export_list(request: TenantRequest, org_slug: str, kind: str) -> HttpResponse:
    file_format = request.GET.get("format", "csv")
    if file_format not in writers.WRITERS:
        raise Http404
    filters = {k: v for k, v in request.GET.dict().items() if k not in IGNORED_PARAMS and v}
    data = services.export_inline(kind=kind, file_format=file_format, filters=filters)
    if data is None:
        job = services.export_queue(
            kind=kind, file_format=file_format, filters=filters, by=actor(request)
        )
        return redirect("requisitions:export_detail", org_slug=org_slug, export_id=job.pk)
    response = HttpResponse(data, content_type=writers.CONTENT_TYPES[file_format])
    filename = services.export_filename(kind, file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _job(export_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("created_by").filter(pk=export_id).first()
    if job is None:
        raise Http404
    return job


def export_detail(request: TenantRequest, org_slug: str, export_id: int) -> HttpResponse:
    job = _job(export_id)
    if request.htmx and request.htmx.target == "export-status":
        if job.status != ExportStatus.QUEUED:
            return HttpResponseClientRefresh()
        return render(
            request, "requisitions/imports/export_detail.html#export-status", {"job": job}
        )
    return render(request, "requisitions/imports/export_detail.html", {"job": job})


def export_download(request: TenantRequest, org_slug: str, export_id: int) -> HttpResponseBase:
    job = _job(export_id)
    if job.status != ExportStatus.DONE or not job.file:
        return redirect("requisitions:export_detail", org_slug=org_slug, export_id=job.pk)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=services.export_filename(job.kind, job.file_format),
        content_type=writers.CONTENT_TYPES[job.file_format],
    )
