"""UI for requisitions, kick-offs, the pipeline board, candidates and hiring managers.

One view serves a full page and, for htmx requests, its named partial. Views read through
selectors and write through services; a ValidationError from a service lands next to the field
it names, and nothing the user typed is lost.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rpo_portal.form_errors import apply_service_errors
from rpo_portal.form_submit import form_submit
from rpo_portal.http import TenantRequest, actor
from rpo_portal.inline import InlineSaved
from rpo_portal.tenancy.permissions import writer_required, writer_required_for_unsafe

from . import selectors, services
from .forms import (
    AddCandidateForm,
    ApplicationFilterForm,
    CandidateForm,
    HeldForm,
    HiringManagerForm,
    KickOffForm,
    MoveForm,
    RequisitionFilterForm,
    RequisitionForm,
    StatusForm,
)
from .models import (
    ACTIVE_STATUSES,
    Application,
    Candidate,
    HiringManager,
    Requisition,
    RequisitionStatus,
    Stage,
)
from .pipeline import allowed_moves, allowed_statuses

PAGE_SIZE = 25


def _requisition(requisition_id: int) -> Requisition:
    try:
        return selectors.requisition_get(requisition_id)
    except Requisition.DoesNotExist as exc:
        raise Http404 from exc


# --- Requisitions -------------------------------------------------------------------------


def requisition_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    """Answer first: how many are overdue or need attention; then the filtered list."""
    form = RequisitionFilterForm(request.GET or None, countries=selectors.requisition_countries())
    # A filter that cannot be applied (e.g. another organisation's programme id) shows nothing
    # and says why beside the field, rather than silently showing every requisition.
    invalid = form.is_bound and not form.is_valid()
    data: dict[str, Any] = form.cleaned_data if form.is_bound and not invalid else {}
    status = data.get("status") or ""
    filters = selectors.RequisitionFilters(
        status=None
        if status == "all"
        else [status]
        if status
        else [s.value for s in ACTIVE_STATUSES],
        recruiter=data.get("recruiter"),
        hiring_manager=data.get("hiring_manager"),
        programme=data.get("programme"),
        country=data.get("country") or "",
        overdue=bool(data.get("overdue")),
        flagged=bool(data.get("flagged")),
        flag=data.get("flag") or "",
        q=data.get("q") or "",
        ordering=data.get("ordering") or selectors.DEFAULT_REQUISITION_ORDERING,
    )
    requisitions = selectors.requisition_list(filters)
    paginator = Paginator(requisitions.none() if invalid else requisitions, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    selectors.attach_stage_counts(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "requisitions": page.object_list,
        "summary": selectors.overdue_summary(),
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k not in ("page", "ordering")),
    }
    template = "requisitions/requisition_list.html"
    if request.htmx and request.htmx.target == "requisition-results":
        template += "#requisition-results"
    return render(request, template, context, status=400 if invalid else 200)


@writer_required
def requisition_create(request: TenantRequest, org_slug: str) -> HttpResponse:
    form = RequisitionForm(request.POST or None)
    requisition, status = form_submit(
        request,
        form,
        lambda data: services.requisition_create(by=actor(request), **data),
        lambda created: _("Requisition “%(title)s” created.") % {"title": created.title},
        warnings=services.requisition_warnings,
    )
    if requisition:
        return redirect("requisitions:detail", org_slug=org_slug, requisition_id=requisition.pk)
    return render(
        request,
        "requisitions/form.html",
        {
            "form": form,
            "title": _("New requisition"),
            "submit_label": _("Create requisition"),
            "cancel_url": reverse("requisitions:list", kwargs={"org_slug": org_slug}),
        },
        status=status,
    )


@writer_required
def requisition_edit(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    form = RequisitionForm(request.POST or None, instance=requisition, editing=True)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.requisition_update(
            requisition=requisition, by=actor(request), **data
        ),
        _("Requisition updated."),
        editing=True,
        warnings=services.requisition_warnings,
    )
    if saved:
        return redirect("requisitions:detail", org_slug=org_slug, requisition_id=requisition.pk)
    return render(
        request,
        "requisitions/form.html",
        {
            "form": form,
            "title": _("Edit requisition"),
            "eyebrow": requisition.title,
            "submit_label": _("Save changes"),
            "cancel_url": reverse(
                "requisitions:detail",
                kwargs={"org_slug": org_slug, "requisition_id": requisition.pk},
            ),
        },
        status=status,
    )


def requisition_detail(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    selectors.attach_stage_counts([requisition])
    kickoff = selectors.kickoff_for(requisition)
    context = {
        "requisition": requisition,
        "kickoff": kickoff,
        # A kick-off cannot be held before its time (the service refuses it): no button till then.
        "kickoff_started": kickoff is not None and kickoff.scheduled_at <= timezone.now(),
        "status_actions": _status_actions(requisition),
        "status_form": StatusForm(),
        "timeline": selectors.requisition_timeline(requisition, limit=100),
        "saved": _status_undo(request, requisition),
        "stages": [(s, requisition.stage_counts.get(s.value, 0)) for s in Stage],  # type: ignore[attr-defined]
    }
    return render(request, "requisitions/requisition_detail.html", context)


def _status_actions(requisition: Requisition) -> list[dict[str, str]]:
    labels = {
        RequisitionStatus.OPEN: _("Resume")
        if requisition.status == RequisitionStatus.ON_HOLD
        else _("Open requisition"),
        RequisitionStatus.ON_HOLD: _("Put on hold"),
        RequisitionStatus.CANCELLED: _("Cancel requisition"),
    }
    return [
        {"status": status, "label": labels[RequisitionStatus(status)]}
        for status in allowed_statuses(requisition.status)
    ]


# The session remembers one status change the detail page offers to undo (see rpo_portal.inline).
STATUS_UNDO_KEY = "requisition_status_undo"


@writer_required_for_unsafe
def requisition_status(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    if request.method != "POST":
        return redirect("requisitions:detail", org_slug=org_slug, requisition_id=requisition.pk)
    form = StatusForm(request.POST)
    previous, previous_label = requisition.status, requisition.get_status_display()
    if form.is_valid():
        try:
            changed = services.requisition_change_status(
                requisition=requisition, by=actor(request), **form.cleaned_data
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            after = changed.get_status_display()
            if request.POST.get("undo") == "1":
                messages.success(
                    request, _("Undone: status is back to %(after)s.") % {"after": after}
                )
            elif previous in allowed_statuses(changed.status):
                # Reversible (open <-> on hold): the detail page says so with an Undo.
                request.session[STATUS_UNDO_KEY] = {
                    "organisation": request.organisation.pk,
                    "requisition": requisition.pk,
                    "status": previous,
                    "label": str(previous_label),
                    "message": _("Saved: status changed from %(before)s to %(after)s.")
                    % {"before": previous_label, "after": after},
                }
            else:
                messages.success(
                    request,
                    _("Saved: status changed from %(before)s to %(after)s.")
                    % {"before": previous_label, "after": after},
                )
    else:
        messages.error(request, _("Choose a status."))
    return redirect("requisitions:detail", org_slug=org_slug, requisition_id=requisition.pk)


def _status_undo(request: TenantRequest, requisition: Requisition) -> InlineSaved | None:
    """The status change just made to this requisition, with its Undo, once."""
    pending = request.session.pop(STATUS_UNDO_KEY, None)
    if (
        not pending
        or pending["organisation"] != request.organisation.pk
        or pending["requisition"] != requisition.pk
        or pending["status"] not in allowed_statuses(requisition.status)
    ):
        return None
    return InlineSaved(
        message=pending["message"],
        undo_url=reverse(
            "requisitions:status",
            kwargs={"org_slug": request.organisation.slug, "requisition_id": requisition.pk},
        ),
        undo_status=pending["status"],
        undo_label=_("Undo: put the status back to %(status)s") % {"status": pending["label"]},
        undo_form=True,
    )


# --- Kick-off -----------------------------------------------------------------------------


@writer_required
def kickoff_edit(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    kickoff = selectors.kickoff_for(requisition)
    form = KickOffForm(request.POST or None, instance=kickoff)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.kickoff_schedule(requisition=requisition, by=actor(request), **data),
        _("Kick-off saved. Attendees receive a calendar invitation when it is scheduled or moved."),
        editing=kickoff is not None,
        warnings=services.kickoff_warnings,
    )
    if saved:
        return redirect("requisitions:detail", org_slug=org_slug, requisition_id=requisition.pk)
    return render(
        request,
        "requisitions/form.html",
        {
            "form": form,
            "title": _("Kick-off") if kickoff else _("Schedule the kick-off"),
            "eyebrow": f"{requisition.title}, {requisition.location}",
            "intro": _(
                "Agree the profile, the interview plan, the salary band and the service levels with %(hm)s."
            )
            % {"hm": requisition.hiring_manager.name},
            "submit_label": _("Save kick-off") if kickoff else _("Schedule and send invitations"),
            "cancel_url": reverse(
                "requisitions:detail",
                kwargs={"org_slug": org_slug, "requisition_id": requisition.pk},
            ),
        },
        status=status,
    )


@writer_required_for_unsafe
def kickoff_held(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    kickoff = selectors.kickoff_for(requisition)
    if kickoff is None:
        raise Http404
    if request.method == "POST":
        form = HeldForm(request.POST)
        if form.is_valid():
            try:
                services.kickoff_mark_held(
                    kickoff=kickoff, held_at=form.cleaned_data.get("held_at"), by=actor(request)
                )
            except ValidationError as exc:
                for errors in exc.message_dict.values():
                    for error in errors:
                        messages.error(request, error)
            else:
                messages.success(request, _("Kick-off recorded as held."))
    return redirect("requisitions:detail", org_slug=org_slug, requisition_id=requisition.pk)


# --- Pipeline board -----------------------------------------------------------------------


def _board_context(
    request: TenantRequest, requisition: Requisition, **extra: Any
) -> dict[str, Any]:
    columns = selectors.board(requisition)
    cards = {
        stage: [
            {"application": a, "moves": allowed_moves(a.stage, a.stage_reached)}
            for a in applications
        ]
        for stage, applications in columns.items()
    }
    return {
        "requisition": requisition,
        "columns": [(Stage(stage), cards[stage]) for stage in columns],
        "add_form": AddCandidateForm(),
        "can_add": requisition.status in ACTIVE_STATUSES,
        **extra,
    }


def board(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    template = "requisitions/board.html"
    if request.htmx and request.htmx.target == "board":
        template += "#board"
    return render(request, template, _board_context(request, requisition))


@writer_required_for_unsafe
def application_move(request: TenantRequest, org_slug: str, application_id: int) -> HttpResponse:
    try:
        application = selectors.application_get(application_id)
    except Application.DoesNotExist as exc:
        raise Http404 from exc
    board_url = reverse(
        "requisitions:board",
        kwargs={"org_slug": org_slug, "requisition_id": application.requisition_id},
    )
    if request.method != "POST":
        return redirect(board_url)
    form = MoveForm(request.POST)
    error = ""
    notice = ""
    if form.is_valid():
        try:
            services.application_move(
                application=application,
                stage=form.cleaned_data["stage"],
                reason=form.cleaned_data["reason"],
                start_date=form.cleaned_data.get("start_date"),
                by=actor(request),
            )
        except ValidationError as exc:
            error = " ".join(m for ms in exc.message_dict.values() for m in ms)
        else:
            notice = _("%(name)s moved to %(stage)s.") % {
                "name": application.candidate.name,
                "stage": Stage(form.cleaned_data["stage"]).label,
            }
    else:
        error = _("Choose a stage.")
    if request.htmx:
        requisition = _requisition(application.requisition_id)
        context = _board_context(
            request, requisition, move_error=error, move_error_for=application.pk, notice=notice
        )
        return render(request, "requisitions/board.html#board", context)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(board_url)


@writer_required_for_unsafe
def application_add(request: TenantRequest, org_slug: str, requisition_id: int) -> HttpResponse:
    requisition = _requisition(requisition_id)
    form = AddCandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                candidate = selectors.candidate_by_email(
                    data["email"]
                ) or services.candidate_create(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    source=data["source"],
                    by=actor(request),
                )
                services.application_create(
                    candidate=candidate, requisition=requisition, by=actor(request)
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s added at Applied.") % {"name": candidate.name})
            return redirect("requisitions:board", org_slug=org_slug, requisition_id=requisition.pk)
    context = _board_context(request, requisition, add_form=form)
    return render(request, "requisitions/board.html", context)


# --- Applications -------------------------------------------------------------------------


def application_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    """Applications across requisitions, e.g. a programme's live pipeline at one stage."""
    form = ApplicationFilterForm(request.GET or None)
    invalid = form.is_bound and not form.is_valid()
    data: dict[str, Any] = form.cleaned_data if form.is_bound and not invalid else {}
    applications = selectors.application_list(
        programme=data.get("programme"),
        stage=data.get("stage") or "",
        active=bool(data.get("active")),
    ).order_by("stage_entered_at", "id")
    paginator = Paginator(applications.none() if invalid else applications, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "applications": page.object_list,
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    template = "requisitions/application_list.html"
    if request.htmx and request.htmx.target == "application-results":
        template += "#application-results"
    return render(request, template, context, status=400 if invalid else 200)


# --- Candidates ---------------------------------------------------------------------------


def candidate_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    paginator = Paginator(selectors.candidate_list(q=q), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    template = "requisitions/candidate_list.html"
    if request.htmx and request.htmx.target == "candidate-results":
        template += "#candidate-results"
    return render(request, template, {"page": page, "candidates": page.object_list, "q": q})


def candidate_detail(request: TenantRequest, org_slug: str, candidate_id: int) -> HttpResponse:
    try:
        candidate = selectors.candidate_get(candidate_id)
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc
    applications = list(selectors.candidate_applications(candidate))
    return render(
        request,
        "requisitions/candidate_detail.html",
        {"candidate": candidate, "applications": applications},
    )


@writer_required
def candidate_edit(request: TenantRequest, org_slug: str, candidate_id: int) -> HttpResponse:
    try:
        candidate = selectors.candidate_get(candidate_id)
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc
    form = CandidateForm(request.POST or None, instance=candidate)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.candidate_update(candidate=candidate, by=actor(request), **data),
        _("Candidate updated."),
        editing=True,
    )
    if saved:
        return redirect("requisitions:candidate", org_slug=org_slug, candidate_id=candidate.pk)
    return render(
        request,
        "requisitions/form.html",
        {
            "form": form,
            "title": _("Edit candidate"),
            "eyebrow": candidate.name,
            "submit_label": _("Save changes"),
            "cancel_url": reverse(
                "requisitions:candidate",
                kwargs={"org_slug": org_slug, "candidate_id": candidate.pk},
            ),
        },
        status=status,
    )


# --- Hiring managers ----------------------------------------------------------------------


def hiring_manager_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    paginator = Paginator(selectors.hiring_manager_list(), PAGE_SIZE * 2)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "requisitions/hiring_manager_list.html",
        {"page": page, "hiring_managers": page.object_list},
    )


@writer_required
def hiring_manager_create(request: TenantRequest, org_slug: str) -> HttpResponse:
    form = HiringManagerForm(request.POST or None)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.hiring_manager_create(by=actor(request), **data),
        lambda created: _("Hiring manager “%(name)s” added.") % {"name": created.name},
    )
    if saved:
        return redirect("requisitions:hiring_managers", org_slug=org_slug)
    return render(
        request,
        "requisitions/form.html",
        {
            "form": form,
            "title": _("New hiring manager"),
            "intro": _("A contact at the client who owns requisitions; they need no login."),
            "submit_label": _("Add hiring manager"),
            "cancel_url": reverse("requisitions:hiring_managers", kwargs={"org_slug": org_slug}),
        },
        status=status,
    )


@writer_required
def hiring_manager_edit(
    request: TenantRequest, org_slug: str, hiring_manager_id: int
) -> HttpResponse:
    try:
        hiring_manager = selectors.hiring_manager_list().get(pk=hiring_manager_id)
    except HiringManager.DoesNotExist as exc:
        raise Http404 from exc
    form = HiringManagerForm(request.POST or None, instance=hiring_manager)
    saved, status = form_submit(
        request,
        form,
        lambda data: services.hiring_manager_update(
            hiring_manager=hiring_manager, by=actor(request), **data
        ),
        _("Hiring manager updated."),
        editing=True,
    )
    if saved:
        return redirect("requisitions:hiring_managers", org_slug=org_slug)
    return render(
        request,
        "requisitions/form.html",
        {
            "form": form,
            "title": _("Edit hiring manager"),
            "eyebrow": hiring_manager.name,
            "submit_label": _("Save changes"),
            "cancel_url": reverse("requisitions:hiring_managers", kwargs={"org_slug": org_slug}),
        },
        status=status,
    )
