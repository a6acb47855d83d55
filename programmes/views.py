from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rpo_portal.http import TenantRequest
from rpo_portal.tenancy.permissions import writer_required_for_unsafe

from . import selectors, services
from .forms import ProgrammeForm


def programme_list(request: TenantRequest, org_slug: str) -> HttpResponse:
    programmes = selectors.programme_list()
    template = "programmes/programme_list.html"
    if request.htmx:
        template += "#programme-table"
    return render(request, template, {"programmes": programmes})


@writer_required_for_unsafe
def programme_create(request: TenantRequest, org_slug: str) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(name=form.cleaned_data["name"], by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Programme “%(name)s” created.") % {"name": programme.name})
            return redirect("programmes:list", org_slug=org_slug)
    return render(request, "programmes/programme_form.html", {"form": form})
