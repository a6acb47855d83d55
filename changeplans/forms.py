"""Forms check the shape of input only; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.selectors import programme_list
from rpo_portal.form_widgets import DateInput

from .frameworks import SCORE_MAX, SCORE_MIN, Framework, elements_of
from .models import ChangePlan, Communication, StakeholderGroup
from .selectors import group_list, member_users


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ChangePlanForm(forms.ModelForm):
    owner = UserChoiceField(queryset=None, required=False, label=_("Owner"))

    class Meta:
        model = ChangePlan
        fields = [
            "programme",
            "title",
            "kind",
            "framework",
            "status",
            "owner",
            "start_date",
            "end_date",
            "description",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programme_list()  # type: ignore[attr-defined]
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        # The service validates the model; the form only checks the shape of input.
        pass


class PlanFilterForm(forms.Form):
    programme: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Programme"), empty_label=_("All programmes")
    )
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *ChangePlan.Status.choices],
        required=False,
        label=_("Status"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programme_list()  # type: ignore[attr-defined]


class StakeholderGroupForm(forms.ModelForm):
    class Meta:
        model = StakeholderGroup
        fields = ["name", "kind", "size", "influence", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self) -> None:
        pass


class AssessmentForm(forms.Form):
    group: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, label=_("Group"))
    element = forms.ChoiceField(choices=(), label=_("Element"))
    score = forms.TypedChoiceField(
        coerce=int,
        # No default: a score is a judgement, never something a form pre-fills.
        choices=[("", _("Choose…")), *[(n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]],
        label=_("Score"),
        help_text=_("1 = not at all, 5 = fully."),
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args: Any, plan: ChangePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = group_list(plan=plan)  # type: ignore[attr-defined]
        self.fields["element"].choices = [  # type: ignore[attr-defined]
            (e.key, e.label) for e in elements_of(plan.framework or Framework.ADKAR)
        ]


class CommunicationForm(forms.ModelForm):
    owner = UserChoiceField(queryset=None, required=False, label=_("Owner"))
    audience: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Audience"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Communication
        fields = ["planned_date", "channel", "audience", "message", "owner"]
        widgets = {"planned_date": DateInput(), "message": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, plan: ChangePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]
        self.fields["audience"].queryset = group_list(plan=plan)  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


class CommunicationStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Communication.Status.choices, label=_("Status"))
