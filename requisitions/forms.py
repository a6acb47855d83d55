"""Forms check the shape of input only; the services decide the rules."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.selectors import programme_list
from rpo_portal.form_widgets import DateInput, DateTimeInput, MinuteDateTimeField

from . import selectors
from .countries import COUNTRY_CHOICES
from .models import (
    Candidate,
    HiringManager,
    KickOff,
    Priority,
    Requisition,
    RequisitionStatus,
    Source,
    Stage,
)


class RequisitionFilterForm(forms.Form):
    """The filter bar of the requisition list (GET)."""

    q = forms.CharField(label=_("Search"), required=False)
    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open and on hold")), ("all", _("Any status")), *RequisitionStatus.choices],
    )
    recruiter = forms.TypedChoiceField(
        label=_("Recruiter"), required=False, coerce=int, empty_value=None
    )
    hiring_manager = forms.TypedChoiceField(
        label=_("Hiring manager"), required=False, coerce=int, empty_value=None
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    overdue = forms.BooleanField(label=_("Past target date"), required=False)
    flagged = forms.BooleanField(label=_("Needs attention"), required=False)
    flag = forms.ChoiceField(
        label=_("Flag"),
        required=False,
        choices=[
            ("", _("Any flag or none")),
            ("kickoff_late", _("Kick-off late")),
            ("feedback_overdue", _("HM feedback overdue")),
            ("stale", _("No movement")),
        ],
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("target", _("Target date, soonest first")),
            ("-target", _("Target date, latest first")),
            ("priority", _("Priority")),
            ("newest", _("Newest")),
            ("title", _("Title")),
        ],
    )

    def __init__(self, *args: Any, countries: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        # Only the organisation's programmes: another organisation's id is an invalid choice.
        fields["programme"].choices = [("", _("Any programme"))] + [
            (pk, name) for pk, name in programme_list().values_list("pk", "name")
        ]
        fields["recruiter"].choices = [("", _("Anyone"))] + [
            (u.pk, u.display_name) for u in selectors.recruiter_users()
        ]
        fields["hiring_manager"].choices = [("", _("Anyone"))] + [
            (h.pk, h.name) for h in selectors.hiring_manager_list()
        ]
        names = dict(COUNTRY_CHOICES)
        fields["country"].choices = [("", _("Any country"))] + [
            (code, names.get(code, code)) for code in countries
        ]


class ApplicationFilterForm(forms.Form):
    """The filter bar of the applications list (GET)."""

    programme = forms.TypedChoiceField(
        label=_("Programme"), required=False, coerce=int, empty_value=None
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("Any stage")), *Stage.choices]
    )
    active = forms.BooleanField(label=_("Open and on-hold requisitions only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [("", _("Any programme"))] + [  # type: ignore[attr-defined]
            (pk, name) for pk, name in programme_list().values_list("pk", "name")
        ]


class RequisitionForm(forms.ModelForm):
    open_now = forms.BooleanField(
        label=_("Open it now"),
        required=False,
        initial=True,
        help_text=_("Leave unticked to save a draft that nobody recruits for yet."),
    )

    class Meta:
        model = Requisition
        fields = [
            "programme",
            "title",
            "department",
            "location",
            "country",
            "seniority",
            "band",
            "openings",
            "hiring_manager",
            "recruiter",
            "reason",
            "priority",
            "target_date",
        ]
        widgets = {"target_date": DateInput()}

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programme_list()  # type: ignore[attr-defined]
        self.fields["hiring_manager"].queryset = selectors.hiring_manager_list()  # type: ignore[attr-defined]
        self.fields["recruiter"].queryset = selectors.recruiter_users()  # type: ignore[attr-defined]
        self.fields["recruiter"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["priority"].initial = Priority.NORMAL
        self.fields["openings"].widget.attrs["min"] = 1
        if editing:
            del self.fields["open_now"]

    def _post_clean(self) -> None:
        # The service validates the model (full_clean) once; the form only checks the shape.
        pass


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=RequisitionStatus.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LinesField(forms.CharField):
    """One item per line in a textarea; a list of strings in cleaned_data."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class InterviewPlanField(forms.CharField):
    """'Stage: interviewer, interviewer' per line <-> [{"stage", "interviewers"}]."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("["):
            value = json.loads(value)
        if isinstance(value, list):
            return "\n".join(
                f"{item['stage']}: {', '.join(item.get('interviewers', []))}".rstrip(": ")
                for item in value
            )
        return value

    def to_python(self, value: Any) -> list[dict[str, Any]]:  # type: ignore[override]
        text = super().to_python(value) or ""
        plan = []
        for line in text.splitlines():
            if not line.strip():
                continue
            stage, _sep, people = line.partition(":")
            plan.append(
                {
                    "stage": stage.strip(),
                    "interviewers": [p.strip() for p in people.split(",") if p.strip()],
                }
            )
        return plan


class KickOffForm(forms.ModelForm):
    must_haves = LinesField(label=_("Must-haves"), required=False, help_text=_("One per line."))
    nice_to_haves = LinesField(
        label=_("Nice-to-haves"), required=False, help_text=_("One per line.")
    )
    interview_plan = InterviewPlanField(
        label=_("Interview plan"),
        required=False,
        help_text=_("One stage per line: “Stage: interviewer, interviewer”."),
    )

    class Meta:
        model = KickOff
        fields = [
            "scheduled_at",
            "duration_minutes",
            "talent_lead_joined",
            "talent_lead",
            "must_haves",
            "nice_to_haves",
            "interview_plan",
            "salary_currency",
            "salary_min",
            "salary_max",
            "cv_shortlist_days",
            "hm_feedback_hours",
            "notes",
        ]
        field_classes = {"scheduled_at": MinuteDateTimeField}
        widgets = {
            "scheduled_at": DateTimeInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["talent_lead"].queryset = selectors.talent_lead_users()  # type: ignore[attr-defined]
        self.fields["talent_lead"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["talent_lead"].label = _("Talent lead")
        self.fields["salary_currency"].widget.attrs.update({"placeholder": "GBP", "maxlength": 3})
        self.fields["scheduled_at"].help_text = zone_help()

    def _post_clean(self) -> None:
        pass


def zone_help() -> str:
    """Times typed in a form are read in the organisation's time zone (active per request)."""
    return _("Time in %(zone)s (the organisation's time zone).") % {
        "zone": timezone.get_current_timezone_name()
    }


class HeldForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Held at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )


class HiringManagerForm(forms.ModelForm):
    class Meta:
        model = HiringManager
        fields = ["name", "email", "department", "seniority"]

    def _post_clean(self) -> None:
        pass


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ["name", "email", "phone", "source"]

    def _post_clean(self) -> None:
        pass


class AddCandidateForm(forms.Form):
    """Put a candidate forward: someone already on file (matched by email) or someone new."""

    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("A candidate already on file with this email is reused."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)
    reason = forms.CharField(required=False, max_length=2000)
    start_date = forms.DateField(required=False, widget=DateInput())
