"""Upload and column-mapping forms: they check the shape of input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.selectors import programme_list

from .. import selectors
from . import fields
from .models import ImportJob, ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV or XLSX export from Greenhouse, Workday, Lever, SmartRecruiters, iCIMS "
            "or a spreadsheet; the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class MappingForm(forms.Form):
    """One select per field of the kind, listing the file's headers."""

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        choices = [("", _("— not in this file —")), *[(h, h) for h in job.headers]]
        for target in fields.targets(job.kind):
            self.fields[f"map_{target.name}"] = forms.ChoiceField(
                label=target.label,
                choices=choices,
                required=False,
                initial=job.mapping.get(target.name, ""),
                help_text=target.help,
            )
            self.fields[f"map_{target.name}"].required_target = target.required  # type: ignore[attr-defined]
        if job.kind == ImportKind.REQUISITIONS:
            programmes = list(programme_list())
            self.fields["programme"] = forms.TypedChoiceField(
                label=_("Programme"),
                coerce=int,
                choices=[("", "—"), *[(p.pk, p.name) for p in programmes]],
                initial=programmes[0].pk if len(programmes) == 1 else None,
                help_text=_("The programme the imported requisitions belong to."),
            )
            self.fields["recruiter"] = forms.TypedChoiceField(
                label=_("Default recruiter"),
                coerce=int,
                required=False,
                empty_value=None,
                choices=[("", "—"), *[(u.pk, u.display_name) for u in selectors.recruiter_users()]],
                help_text=_("For rows without a recruiter column or value."),
            )

    def mapping(self) -> dict[str, str]:
        return {
            name[len("map_") :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("map_") and value
        }

    def options(self) -> dict[str, Any]:
        return {
            k: self.cleaned_data.get(k)
            for k in ("programme", "recruiter")
            if self.cleaned_data.get(k)
        }

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("map_")]

    def option_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("map_")]
