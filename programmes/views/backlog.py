"""Risk log and improvement backlog pages of a programme."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.forms import BaseForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes import forms, selectors, services
from programmes.models import Improvement, Risk
from rpo_portal.form_submit import form_submit
from rpo_portal.http import TenantRequest
from rpo_portal.spreadsheets import CONTENT_TYPES, Column, display, download
from rpo_portal.tenancy.permissions import can_write, require_writer, writer_required_for_unsafe

from .build import _back_to, _change_status, _programme

F = TypeVar("F", bound=BaseForm)


def _read_only_for_viewers(request: TenantRequest, form: F) -> F:
    """Readers see the same page with every field disabled (their POSTs are refused anyway)."""
    if not can_write(request):
        for field in form.fields.values():
            field.disabled = True
    return form


def _risk_data(data: dict[str, Any]) -> dict[str, Any]:
    if "requisitions" not in data:  # an edit that leaves the linked requisitions alone
        return data
    return {**data, "requisitions": [r.pk for r in data["requisitions"] or []]}


@writer_required_for_unsafe
def risk_log(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = forms.RiskForm(request.POST or None, programme=programme)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.risk_create(programme=programme, by=request.user, **_risk_data(data)),
        _("Risk logged."),
        warnings=services.risk_warnings,
    )
    if saved:
        return _back_to(programme, "risks")
    filters = forms.RiskFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    context = {
        "programme": programme,
        "tab": "risks",
        "form": form,
        "filters": filters,
        "risks": selectors.risk_list(programme, **criteria),
        "heat_map": selectors.risk_heat_map(programme),
        "exposure": selectors.risk_exposure(programme),
        "filtered": any(criteria.values()) if criteria else False,
    }
    template = "programmes/risks.html"
    if request.htmx and request.method == "GET":
        template += "#risk-results"
    return render(request, template, context, status=status)


@writer_required_for_unsafe
def risk_edit(
    request: TenantRequest, org_slug: str, programme_id: int, risk_id: int
) -> HttpResponse:
    programme = _programme(programme_id)
    risk = get_object_or_404(selectors.risk_list(programme), pk=risk_id)
    form = _read_only_for_viewers(
        request, forms.RiskForm(request.POST or None, instance=risk, programme=programme)
    )

    def save(data: dict[str, Any]) -> Risk:
        risk.refresh_from_db()  # the form wrote to the instance; the service decides
        return services.risk_update(risk=risk, by=request.user, **_risk_data(data))

    saved, status = form_submit(
        request, form, save, _("Risk saved."), editing=True, warnings=services.risk_warnings
    )
    if saved:
        return _back_to(programme, "risks")
    improvements = list(risk.improvements.all())
    return render(
        request,
        "programmes/risk_form.html",
        {
            "programme": programme,
            "tab": "risks",
            "form": form,
            "risk": risk,
            "improvements": improvements,
        },
        status=status,
    )


@require_POST
def risk_to_improvement(
    request: TenantRequest, org_slug: str, programme_id: int, risk_id: int
) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    risk = get_object_or_404(selectors.risk_list(programme), pk=risk_id)
    improvement, created = services.improvement_from_risk(risk=risk, by=request.user)
    if created:
        messages.success(
            request,
            _("“%(title)s” is now on the improvement backlog.") % {"title": improvement.title},
        )
    else:
        messages.info(
            request,
            _("This risk is already on the backlog as “%(title)s”.") % {"title": improvement.title},
        )
    return _back_to(programme, "improvements")


@writer_required_for_unsafe
def improvements(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = forms.ImprovementForm(request.POST or None)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.improvement_create(programme=programme, by=request.user, **data),
        _("Improvement added to the backlog."),
    )
    if saved:
        return _back_to(programme, "improvements")
    filters = forms.ImprovementFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    context = {
        "programme": programme,
        "tab": "improvements",
        "form": form,
        "filters": filters,
        "improvements": selectors.improvement_list(programme, **criteria),
        "status_choices": Improvement.Status.choices,
        "filtered": any(criteria.values()) if criteria else False,
    }
    template = "programmes/improvements.html"
    if request.htmx and request.method == "GET":
        template += "#improvement-results"
    return render(request, template, context, status=status)


@writer_required_for_unsafe
def improvement_edit(
    request: TenantRequest, org_slug: str, programme_id: int, improvement_id: int
) -> HttpResponse:
    programme = _programme(programme_id)
    improvement = get_object_or_404(selectors.improvement_list(programme), pk=improvement_id)
    form = _read_only_for_viewers(
        request, forms.ImprovementForm(request.POST or None, instance=improvement)
    )

    def save(data: dict[str, Any]) -> Improvement:
        improvement.refresh_from_db()  # the form wrote to the instance; the service decides
        return services.improvement_update(improvement=improvement, by=request.user, **data)

    saved, status = form_submit(request, form, save, _("Improvement saved."), editing=True)
    if saved:
        return _back_to(programme, "improvements")
    return render(
        request,
        "programmes/improvement_form.html",
        {
            "programme": programme,
            "tab": "improvements",
            "form": form,
            "improvement": improvement,
        },
        status=status,
    )


@require_POST
def improvement_status(
    request: TenantRequest, org_slug: str, programme_id: int, improvement_id: int
) -> HttpResponse:
    """Change an improvement's status in place (htmx answers the row)."""
    require_writer(request)
    programme = _programme(programme_id)
    improvement = get_object_or_404(selectors.improvement_list(programme), pk=improvement_id)
    form = forms.ImprovementStatusForm(request.POST)
    redirect_back, saved = _change_status(
        request,
        form,
        lambda status: services.improvement_update(
            improvement=improvement, status=status, by=request.user
        ),
        programme,
        "improvements",
        obj=improvement,
        url=request.path,
        target=f"#improvement-{improvement.pk}",
    )
    if redirect_back:
        return redirect_back
    return render(
        request,
        "programmes/improvements.html#improvement-row-update",
        {
            "programme": programme,
            "improvement": improvement,
            "status_choices": Improvement.Status.choices,
            "saved": saved,
            "oob": True,
        },
    )


@require_POST
def risk_delete(
    request: TenantRequest, org_slug: str, programme_id: int, risk_id: int
) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    risk: Risk = get_object_or_404(selectors.risk_list(programme), pk=risk_id)
    services.risk_delete(risk=risk, by=request.user)
    messages.success(request, _("Risk “%(title)s” removed from the log.") % {"title": risk.title})
    return _back_to(programme, "risks")


RISK_COLUMNS = (
    Column("Title", lambda r: r.title),
    Column("Likelihood", lambda r: r.likelihood),
    Column("Impact", lambda r: r.impact),
    Column("Score", lambda r: r.score),
    Column("Rating", lambda r: r.rating),
    Column("Status", display("status")),
    Column("Process area", display("process_area")),
    Column("Owner", lambda r: r.owner.email if r.owner else ""),
    Column("Mitigation", lambda r: r.mitigation),
    Column("Review date", lambda r: r.review_date),
    Column("Linked requisitions", lambda r: "; ".join(q.title for q in r.requisitions.all())),
    Column("Description", lambda r: r.description),
    Column("Portal id", lambda r: r.pk),
)
IMPROVEMENT_COLUMNS = (
    Column("Title", lambda i: i.title),
    Column("Kind", display("kind")),
    Column("Priority", display("priority")),
    Column("Effort", display("effort")),
    Column("Status", display("status")),
    Column("Process area", display("process_area")),
    Column("Origin", display("origin")),
    Column("Risk it came from", lambda i: i.origin_risk.title if i.origin_risk else ""),
    Column("Metric it should move", lambda i: i.get_metric_key_display() if i.metric_key else ""),
    Column("Owner", lambda i: i.owner.email if i.owner else ""),
    Column("Done", lambda i: i.done_at),
    Column("Description", lambda i: i.description),
    Column("Portal id", lambda i: i.pk),
)


def _export_format(request: TenantRequest) -> str:
    file_format = request.GET.get("format", "csv")
    if file_format not in CONTENT_TYPES:
        raise Http404
    return file_format


def risk_export(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The risk log under the page's filters, as CSV or XLSX (a programme's log is small)."""
    programme = _programme(programme_id)
    filters = forms.RiskFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    risks = selectors.risk_list(programme, **criteria)
    return download(RISK_COLUMNS, risks, file_format=_export_format(request), name="risk-log")


def improvement_export(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    """The improvement backlog under the page's filters, as CSV or XLSX."""
    programme = _programme(programme_id)
    filters = forms.ImprovementFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    improvements = selectors.improvement_list(programme, **criteria)
    return download(
        IMPROVEMENT_COLUMNS, improvements, file_format=_export_format(request), name="improvements"
    )
