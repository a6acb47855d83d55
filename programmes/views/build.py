"""Programme pages: list, create, overview, go-live checklist, sign-off, metrics, objectives.

Each view calls a service for writes and a selector for reads. With htmx, a view renders the
partial of its own template (`template#partial`); without JavaScript, the same URL answers
the full page or redirects after a POST.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programmes import forms, selectors, services
from programmes.extensions import overview_sections
from programmes.models import AgreedMetric, ChecklistItem, Objective, Programme
from rpo_portal import inline
from rpo_portal.errors import Conflict
from rpo_portal.form_submit import form_submit
from rpo_portal.http import TenantRequest
from rpo_portal.inline import InlineSaved
from rpo_portal.tenancy.permissions import (
    client_fields_of,
    client_required,
    is_client_side,
    require_writer,
    writer_required,
    writer_required_for_unsafe,
)


def _programme(programme_id: int) -> Programme:
    return get_object_or_404(Programme.objects.all(), pk=programme_id)


def _change_status(
    request: TenantRequest,
    form: BaseForm,
    update: Callable[[str], Any],
    programme: Programme,
    view: str,
    *,
    obj: Any,
    url: str,
    target: str,
) -> tuple[HttpResponse | None, InlineSaved]:
    """Apply a POSTed status through `update` (see rpo_portal.inline). Without htmx, redirect
    back to `view`; with htmx, return no response so the caller answers with the changed row
    and the live region saying what was saved, with an Undo."""
    saved = inline.change_status(
        request, obj=obj, form=form, update=update, what=str(obj), url=url, target=target
    )
    return (None if request.htmx else _back_to(programme, view)), saved


def _back_to(programme: Programme, view: str) -> HttpResponse:
    return redirect(
        f"programmes:{view}", org_slug=programme.organisation.slug, programme_id=programme.pk
    )


# --- List and create ----------------------------------------------------------------------------


def programme_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    programmes = selectors.programme_list()
    template = "programmes/programme_list.html"
    if request.htmx:
        template += "#programme-table"
    return render(request, template, {"programmes": programmes})


def _client_fields_read_only(request: TenantRequest, form: forms.ProgrammeForm) -> None:
    """The RPO side sees the client's fields (the go-live target) but cannot set them."""
    if not is_client_side(request.user):
        for name in client_fields_of("programmes.Programme") & set(form.fields):
            form.fields[name].disabled = True
            form.fields[name].help_text = _("Set by the client's talent lead.")


@writer_required
def programme_create(request: TenantRequest, org_slug: str) -> HttpResponse:
    form = forms.ProgrammeForm(request.POST or None)
    _client_fields_read_only(request, form)
    programme, status = form_submit(
        request,
        form,
        lambda data: services.programme_create(by=request.user, **data),
        _("Programme created with its go-live checklist."),
    )
    if programme:
        return _back_to(programme, "detail")
    return render(request, "programmes/programme_form.html", {"form": form}, status=status)


@writer_required
def programme_edit(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = forms.ProgrammeForm(request.POST or None, instance=programme)
    _client_fields_read_only(request, form)

    def save(data: dict[str, Any]) -> Programme:
        programme.refresh_from_db()  # the form wrote to the instance; the service decides
        return services.programme_update(programme=programme, by=request.user, **data)

    saved, status = form_submit(request, form, save, _("Programme saved."), editing=True)
    if saved:
        return _back_to(programme, "detail")
    context = {"form": form, "programme": programme}
    return render(request, "programmes/programme_form.html", context, status=status)


# --- Overview -----------------------------------------------------------------------------------


def programme_detail(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    items = list(selectors.checklist_items(programme))
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "tab": "overview",
            "readiness": selectors.readiness(programme, items),
            "objectives": list(selectors.objectives(programme)),
            "metrics": _metric_rows(selectors.agreed_metrics(programme)),
            "signatures": selectors.current_signatures(programme),
            # A refused objective comes back here bound, its errors beside its fields.
            "objective_form": getattr(request, "objective_form", None) or forms.ObjectiveForm(),
            "heat_map": selectors.risk_heat_map(programme),
            "exposure": selectors.risk_exposure(programme),
            "sections": overview_sections(programme),
        },
    )


def _metric_rows(metrics: QuerySet[AgreedMetric]) -> list[dict[str, Any]]:
    return [{"metric": m, "name": selectors.metric_name(m.metric_key)} for m in metrics]


# --- Checklist ----------------------------------------------------------------------------------


@writer_required_for_unsafe
def checklist(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    add_form = forms.ChecklistItemForm(request.POST or None)
    saved, status = form_submit(
        request,
        add_form,
        lambda data: services.checklist_item_create(programme=programme, by=request.user, **data),
        _("Checklist item added."),
    )
    if saved:
        return _back_to(programme, "checklist")
    filters = forms.ChecklistFilterForm(request.GET or None)
    criteria: dict[str, Any] = {}
    if filters.is_valid():
        data = filters.cleaned_data
        criteria = {
            "section": data["section"],
            "owner_side": data["owner_side"],
            "owner_id": data["owner"].pk if data["owner"] else None,
            "status": data["status"],
        }
    all_items = list(selectors.checklist_items(programme))
    items = list(selectors.checklist_items(programme, **criteria)) if criteria else all_items
    context = {
        "programme": programme,
        "tab": "checklist",
        "items": items,
        "filters": filters,
        "readiness": selectors.readiness(programme, all_items),
        "add_form": add_form,
        "status_choices": ChecklistItem.Status.choices,
        "filtered": bool(criteria and any(criteria.values())),
    }
    template = "programmes/checklist.html"
    if request.htmx and request.method == "GET":
        template += "#checklist-results"
    return render(request, template, context)


@require_POST
def checklist_item_status(
    request: TenantRequest, org_slug: str, programme_id: int, item_id: int
) -> HttpResponse:
    """Change one item's status; with htmx, answer the row, the readiness summary and the live
    region (saved, with an Undo)."""
    require_writer(request)
    programme = _programme(programme_id)
    item = get_object_or_404(selectors.checklist_items(programme), pk=item_id)
    form = forms.ChecklistStatusForm(request.POST)
    redirect_back, saved = _change_status(
        request,
        form,
        lambda status: services.checklist_item_update(item=item, status=status, by=request.user),
        programme,
        "checklist",
        obj=item,
        url=request.path,
        target=f"#item-{item.pk}",
    )
    if redirect_back:
        return redirect_back
    context = {
        "programme": programme,
        "item": item,
        "status_choices": ChecklistItem.Status.choices,
        "readiness": selectors.readiness(programme),
        "oob": True,
        "saved": saved,
    }
    return render(request, "programmes/checklist.html#checklist-row-update", context)


@require_POST
def checklist_item_delete(
    request: TenantRequest, org_slug: str, programme_id: int, item_id: int
) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    item = get_object_or_404(selectors.checklist_items(programme), pk=item_id)
    services.checklist_item_delete(item=item, by=request.user)
    messages.success(request, _("Checklist item “%(title)s” removed.") % {"title": item.title})
    return _back_to(programme, "checklist")


# --- Go-live ------------------------------------------------------------------------------------


@writer_required_for_unsafe
def go_live(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = forms.GoLiveDefinitionForm(
        request.POST or None, initial={"go_live_definition": programme.go_live_definition}
    )
    saved, status = form_submit(
        request,
        form,
        lambda data: services.programme_update(programme=programme, by=request.user, **data),
        _("Go-live definition saved."),
        editing=True,
    )
    if saved:
        return _back_to(programme, "go_live")
    return _go_live_page(request, programme, form=form, status=status)


def _go_live_page(
    request: TenantRequest,
    programme: Programme,
    *,
    form: BaseForm | None = None,
    refused: Conflict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The go-live page. The sign button is disabled, with the reason beside it, whenever the
    service would refuse this user's signature; `refused` is a refusal that just happened."""
    membership = request.membership
    my_side = services.side_for_role(membership.role if membership else None)
    cannot_sign = (
        services.go_live_sign_refusal(programme=programme, by=request.user)
        if my_side and not programme.is_live
        else None
    )
    state = selectors.go_live_state(programme)
    return render(
        request,
        "programmes/go_live.html",
        {
            "programme": programme,
            "tab": "go_live",
            "form": form
            or forms.GoLiveDefinitionForm(
                initial={"go_live_definition": programme.go_live_definition}
            ),
            "state": state,
            "signed_sides": [s.side for s in state["signatures"]],
            "history": selectors.signature_history(programme),
            "my_side": my_side,
            "cannot_sign": cannot_sign,
            "refused": refused,
        },
        status=status,
    )


@require_POST
def go_live_sign(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    try:
        services.go_live_sign(programme=programme, by=request.user)
    except Conflict as exc:
        # Answer with the page itself: the refusal heads it, its reasons as a list.
        return _go_live_page(request, programme, refused=exc, status=409)
    programme.refresh_from_db()
    if programme.is_live:
        messages.success(
            request, _("Both sides have signed: %(name)s is live.") % {"name": programme.name}
        )
    else:
        messages.success(request, _("Signed. Go-live needs the other side's signature too."))
    return _back_to(programme, "go_live")


# --- Agreed metrics -----------------------------------------------------------------------------


@writer_required_for_unsafe
def metrics(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = _programme(programme_id)
    form = forms.AgreedMetricForm(request.POST or None)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.agreed_metric_create(
            programme=programme, by=request.user, **{**data, "direction": data["direction"] or None}
        ),
        _("Metric agreed."),
    )
    if saved:
        return _back_to(programme, "metrics")
    history = list(selectors.agreed_metrics(programme, include_history=True))
    current = [m for m in history if m.is_current]
    early = [m for m in current if m.tier == AgreedMetric.Tier.EARLY]
    return render(
        request,
        "programmes/metrics.html",
        {
            "programme": programme,
            "tab": "metrics",
            "form": form,
            "early": _metric_rows(early),  # type: ignore[arg-type]
            "empty_slots": range(3 - len(early)),
            "nice": _metric_rows([m for m in current if m.tier != AgreedMetric.Tier.EARLY]),  # type: ignore[arg-type]
            "history": _metric_rows([m for m in history if not m.is_current]),  # type: ignore[arg-type]
        },
        status=status,
    )


@client_required
def metric_change(
    request: TenantRequest, org_slug: str, programme_id: int, metric_id: int
) -> HttpResponse:
    programme = _programme(programme_id)
    metric = get_object_or_404(selectors.agreed_metrics(programme), pk=metric_id)
    form = forms.MetricChangeForm(
        request.POST or None, initial={"baseline": metric.baseline, "target": metric.target}
    )
    saved, status = form_submit(
        request,
        form,
        lambda data: services.agreed_metric_change(metric=metric, by=request.user, **data),
        _("Metric changed."),
        editing=True,
    )
    if saved:
        return _back_to(programme, "metrics")
    return render(
        request,
        "programmes/metric_change.html",
        {
            "programme": programme,
            "tab": "metrics",
            "metric": metric,
            "form": form,
            "name": selectors.metric_name(metric.metric_key),
        },
        status=status,
    )


@require_POST
def metric_remove(
    request: TenantRequest, org_slug: str, programme_id: int, metric_id: int
) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    metric = get_object_or_404(selectors.agreed_metrics(programme), pk=metric_id)
    try:
        services.agreed_metric_remove(metric=metric, by=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Metric removed."))
    return _back_to(programme, "metrics")


# --- Objectives ---------------------------------------------------------------------------------


@require_POST
def objective_create(request: TenantRequest, org_slug: str, programme_id: int) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    form = forms.ObjectiveForm(request.POST)
    _saved, status = form_submit(
        request,
        form,
        lambda data: services.objective_create(programme=programme, by=request.user, **data),
        _("Objective added."),
    )
    if status == 200:
        return _back_to(programme, "detail")
    request.objective_form = form  # type: ignore[attr-defined]
    response = programme_detail(request, org_slug, programme_id)
    response.status_code = status
    return response


@require_POST
def objective_status(
    request: TenantRequest, org_slug: str, programme_id: int, objective_id: int
) -> HttpResponse:
    require_writer(request)
    programme = _programme(programme_id)
    objective = get_object_or_404(selectors.objectives(programme), pk=objective_id)
    status = request.POST.get("status", "")
    if status not in Objective.Status.values:
        messages.error(request, _("Choose open, achieved or dropped."))
    else:
        services.objective_update(objective=objective, status=status, by=request.user)
        messages.success(
            request,
            _("Saved: “%(what)s” is now %(status)s.")
            % {"what": objective.title, "status": objective.get_status_display()},
        )
    return _back_to(programme, "detail")
