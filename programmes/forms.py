"""Forms check the shape of input; the rules live in programmes.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rpo_portal.accounts.models import User
from rpo_portal.form_widgets import DateInput
from rpo_portal.tenancy.selectors import member_users

from .metric_catalogue import CATALOGUE
from .models import (
    AgreedMetric,
    ChecklistItem,
    Improvement,
    Objective,
    Programme,
    Risk,
    Side,
)
from .process_areas import ProcessArea


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "name",
            "provider_name",
            "scope",
            "category_name",
            "delivery_model",
            "countries",
            "go_live_target",
        ]
        widgets = {
            "go_live_target": DateInput(),
            "countries": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "delivery_model": _(
                "Sets the go-live checklist: multi-country is the fullest, a project the lightest."
            ),
            "countries": _("Hold Ctrl (or ⌘) to choose several."),
        }


class ChecklistItemForm(forms.ModelForm):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))

    class Meta:
        model = ChecklistItem
        fields = [
            "section",
            "title",
            "description",
            "owner_side",
            "owner",
            "due_date",
            "blocks_go_live",
            "notes",
        ]
        widgets = {
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]


class ChecklistFilterForm(forms.Form):
    section = forms.ChoiceField(
        choices=[("", _("All sections")), *ChecklistItem.Section.choices], required=False
    )
    owner_side = forms.ChoiceField(
        choices=[("", _("Both sides")), *Side.choices], required=False, label=_("Side")
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    status = forms.ChoiceField(
        choices=[
            ("", _("Any status")),
            ("open", _("Open (to do or in progress)")),
            ("blocking", _("Blocking go-live, still open")),
            *ChecklistItem.Status.choices,
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]


class ChecklistStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ChecklistItem.Status.choices)


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "target", "origin", "status", "description", "celebration_note"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "celebration_note": forms.Textarea(attrs={"rows": 2}),
        }


class AgreedMetricForm(forms.Form):
    metric_key = forms.ChoiceField(
        label=_("Metric"), choices=[(m.key, m.name) for m in CATALOGUE.values()]
    )
    tier = forms.ChoiceField(label=_("Tier"), choices=AgreedMetric.Tier.choices)
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=12, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[("", _("As the catalogue says")), *AgreedMetric.Direction.choices],
    )
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]


class MetricChangeForm(forms.Form):
    baseline = forms.DecimalField(
        label=_("Baseline"), required=False, max_digits=12, decimal_places=2
    )
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2)
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required once the programme is live: the change becomes a new version."),
    )


class GoLiveDefinitionForm(forms.Form):
    go_live_definition = forms.CharField(
        label=_("Go-live definition"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Changing it voids signatures already given: both sides sign the new text."),
    )


class RiskForm(forms.ModelForm):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))
    requisitions = forms.ModelMultipleChoiceField(
        queryset=Programme.objects.none(),
        required=False,
        label=_("Linked requisitions"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "likelihood",
            "impact",
            "process_area",
            "status",
            "owner",
            "review_date",
            "description",
            "mitigation",
        ]
        widgets = {
            "likelihood": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "impact": forms.Select(choices=[(i, i) for i in range(1, 6)]),
            "review_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigation": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]
        requisition_model: Any = Risk._meta.get_field("requisitions").related_model
        self.fields["requisitions"].queryset = requisition_model.objects.filter(  # type: ignore[attr-defined]
            programme=programme
        ).order_by("title", "id")
        if self.instance.pk:
            self.initial["requisitions"] = list(self.instance.requisitions.all())


class RiskFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Any status")), ("active", _("Open or mitigating")), *Risk.Status.choices],
        required=False,
    )
    rating = forms.ChoiceField(
        choices=[
            ("", _("Any rating")),
            ("high", _("High (15-25)")),
            ("medium", _("Medium (8-14)")),
            ("low", _("Low (1-7)")),
        ],
        required=False,
    )
    process_area = forms.ChoiceField(
        choices=[("", _("Every process area")), *ProcessArea.choices],
        required=False,
        label=_("Process area"),
    )


class ImprovementForm(forms.ModelForm):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("Owner"))

    class Meta:
        model = Improvement
        fields = [
            "title",
            "kind",
            "priority",
            "effort",
            "status",
            "process_area",
            "owner",
            "metric_key",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = member_users()  # type: ignore[attr-defined]


class ImprovementFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", _("Any status")), *Improvement.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        choices=[("", _("Both kinds")), *Improvement.Kind.choices], required=False
    )
    origin = forms.ChoiceField(
        choices=[("", _("Any origin")), *Improvement.Origin.choices], required=False
    )
    process_area = forms.ChoiceField(
        choices=[("", _("Every process area")), *ProcessArea.choices],
        required=False,
        label=_("Process area"),
    )


class ImprovementStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Improvement.Status.choices)
