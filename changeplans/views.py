from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rpo_portal import inline
from rpo_portal.form_errors import apply_service_errors
from rpo_portal.form_submit import form_submit
from rpo_portal.http import TenantRequest
from rpo_portal.tenancy.clock import organisation_today
from rpo_portal.tenancy.permissions import writer_required, writer_required_for_unsafe

from . import selectors, services
from .forms import (
    AssessmentForm,
    ChangePlanForm,
    CommunicationForm,
    CommunicationStatusForm,
    PlanFilterForm,
    StakeholderGroupForm,
)
from .models import ChangePlan, Communication

TEMPLATE_DETAIL = "changeplans/plan_detail.html"


def _plan_or_404(plan_id: int) -> ChangePlan:
    try:
        return selectors.changeplan_get(plan_id)
    except ChangePlan.DoesNotExist as exc:
        raise Http404 from exc


def plan_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    filters = PlanFilterForm(request.GET or None)
    programme_id = status = None
    if filters.is_valid():
        programme = filters.cleaned_data["programme"]
        programme_id = programme.pk if programme else None
        status = filters.cleaned_data["status"]
    plans = selectors.changeplan_list(programme_id=programme_id, status=status or "")
    template = "changeplans/plan_list.html"
    if request.htmx:
        template += "#plan-table"
    return render(
        request,
        template,
        {"plans": plans, "filters": filters, "filtered": bool(programme_id or status)},
    )


@writer_required
def plan_create(request: TenantRequest, org_slug: str) -> HttpResponse:
    initial: dict[str, Any] = {"owner": request.user.pk}
    if programme := request.GET.get("programme"):
        initial["programme"] = programme
    form = ChangePlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.changeplan_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Change plan “%(title)s” created.") % {"title": plan.title})
            return redirect("changeplans:detail", org_slug=org_slug, plan_id=plan.pk)
    return render(request, "changeplans/plan_form.html", {"form": form, "plan": None})


@writer_required
def plan_edit(request: TenantRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    form = ChangePlanForm(request.POST or None, instance=plan)

    def save(data: dict[str, Any]) -> ChangePlan:
        plan.refresh_from_db()  # the form wrote to the instance; the service decides
        return services.changeplan_update(plan=plan, by=request.user, **data)

    saved, status = form_submit(request, form, save, _("Change plan saved."), editing=True)
    if saved:
        return redirect("changeplans:detail", org_slug=org_slug, plan_id=plan.pk)
    return render(
        request, "changeplans/plan_form.html", {"form": form, "plan": plan}, status=status
    )


def _detail_context(plan: ChangePlan, **forms: Any) -> dict[str, Any]:
    grid = selectors.plan_grid(plan=plan)
    communications = list(selectors.communication_list(plan=plan))
    today = organisation_today()
    planned = [c for c in communications if c.status == Communication.Status.PLANNED]
    context = {
        "plan": plan,
        "grid": grid,
        "groups": [row.group for row in grid.rows],
        "barrier_rows": [r for r in grid.rows if r.barrier and r.barrier.state == "barrier"],
        "communications": communications,
        "overdue_count": sum(1 for c in planned if c.planned_date < today),
        "next_communication": next((c for c in planned if c.planned_date >= today), None),
        "today": today,
        "status_choices": Communication.Status.choices,
        "assessment_form": AssessmentForm(plan=plan, initial={"assessed_on": today}),
        "group_form": StakeholderGroupForm(),
        "communication_form": CommunicationForm(plan=plan),
    }
    context.update(forms)
    return context


def plan_detail(request: TenantRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    return render(request, TEMPLATE_DETAIL, _detail_context(plan))


@writer_required_for_unsafe
def assessment_create(request: TenantRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    if request.method != "POST":
        return redirect("changeplans:detail", org_slug=org_slug, plan_id=plan.pk)
    form = AssessmentForm(request.POST, plan=plan)
    recorded = None
    if form.is_valid():
        try:
            recorded = services.assessment_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
    if recorded is not None and not request.htmx:
        messages.success(request, _("Assessment recorded."))
        return redirect(reverse("changeplans:detail", args=[org_slug, plan.pk]) + "#grid")
    context = _detail_context(plan)
    if recorded is not None:
        # A fresh form keeps the group and date, so the next element is one choice away.
        context["assessment_form"] = AssessmentForm(
            plan=plan,
            initial={"group": recorded.group_id, "assessed_on": recorded.assessed_on},
        )
        context["recorded"] = recorded
    else:
        context["assessment_form"] = form
    template = TEMPLATE_DETAIL + "#assessment-panel" if request.htmx else TEMPLATE_DETAIL
    return render(request, template, context, status=200 if recorded or request.htmx else 400)


@writer_required_for_unsafe
def group_create(request: TenantRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    if request.method != "POST":
        return redirect("changeplans:detail", org_slug=org_slug, plan_id=plan.pk)
    form = StakeholderGroupForm(request.POST)
    if form.is_valid():
        try:
            group = services.stakeholder_group_create(
                plan=plan, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Group “%(name)s” added.") % {"name": group.name})
            return redirect(reverse("changeplans:detail", args=[org_slug, plan.pk]) + "#groups")
    return render(request, TEMPLATE_DETAIL, _detail_context(plan, group_form=form), status=400)


@writer_required_for_unsafe
def communication_create(request: TenantRequest, org_slug: str, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    if request.method != "POST":
        return redirect("changeplans:detail", org_slug=org_slug, plan_id=plan.pk)
    form = CommunicationForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.communication_create(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Communication added to the plan."))
            return redirect(
                reverse("changeplans:detail", args=[org_slug, plan.pk]) + "#communications"
            )
    return render(
        request, TEMPLATE_DETAIL, _detail_context(plan, communication_form=form), status=400
    )


@require_POST
@writer_required_for_unsafe
def communication_status(
    request: TenantRequest, org_slug: str, plan_id: int, communication_id: int
) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    try:
        communication = selectors.communication_get(plan=plan, communication_id=communication_id)
    except Communication.DoesNotExist as exc:
        raise Http404 from exc
    form = CommunicationStatusForm(request.POST)
    saved = inline.change_status(
        request,
        obj=communication,
        form=form,
        update=lambda status: services.communication_set_status(
            communication=communication, status=status, by=request.user
        ),
        what=Truncator(communication.message).chars(60),
        url=request.path,
        target=f"#communication-{communication.pk}",
    )
    if not request.htmx:
        return redirect(reverse("changeplans:detail", args=[org_slug, plan.pk]) + "#communications")
    context = {
        "plan": plan,
        "communication": selectors.communication_get(plan=plan, communication_id=communication.pk),
        "status_choices": Communication.Status.choices,
        "today": organisation_today(),
        "saved": saved,
        "oob": True,
    }
    return render(request, TEMPLATE_DETAIL + "#communication-row-update", context)
