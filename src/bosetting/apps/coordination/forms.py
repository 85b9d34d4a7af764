"""Forms of the coordination app: a new assessment, a timeline entry, the joint municipal report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.coordination.models import (
    CoordinationForm,
    Degree,
    EventKind,
    JointReport,
)
from bosetting.apps.coordination.services import JOINT_REPORT_FIELDS


class AssessmentForm(forms.Form):
    """A dated assessment of one coordination form (yes/no and/or degree)."""

    form = forms.ChoiceField(label=_("Samarbeidsform"), choices=CoordinationForm.choices)
    present = forms.TypedChoiceField(
        label=_("Ja/Nei"),
        choices=[("", _("Ikke oppgitt")), ("yes", _("Ja")), ("no", _("Nei"))],
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )
    degree = forms.ChoiceField(
        label=_("Grad"), choices=[("", _("Ikke oppgitt")), *Degree.choices], required=False
    )
    as_of = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label=_("Kilde"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("present") is None and not data.get("degree"):
            raise forms.ValidationError(_("Oppgi ja/nei eller grad."))
        return data


class EventForm(forms.Form):
    """A dated entry in the office pair's timeline."""

    kind = forms.ChoiceField(label=_("Type"), choices=EventKind.choices)
    form = forms.ChoiceField(
        label=_("Samarbeidsform"),
        choices=[("", "–"), *CoordinationForm.choices],
        required=False,
    )
    title = forms.CharField(label=_("Tittel"), max_length=300)
    starts_on = forms.DateField(
        label=_("Dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class JointReportForm(forms.ModelForm):
    """The municipality's one report to both agencies."""

    class Meta:
        model = JointReport
        fields = ["year", *JOINT_REPORT_FIELDS]
        labels = {
            "year": _("År"),
            "settled_persons": _("Bosatte personer i året"),
            "family_reunified_persons": _("Familiegjenforente personer"),
            "planned_settlement_next_year": _("Planlagt bosetting neste år"),
            "introduction_participants": _("Deltakere i introduksjonsprogrammet"),
            "municipal_dwellings_total": _("Kommunale boliger i alt"),
            "dwellings_for_refugees": _("Boliger disponert for flyktninger"),
            "dwellings_needed_next_year": _("Boliger som trengs neste år"),
            "start_loans_to_refugees": _("Startlån innvilget til flyktninger"),
            "settlement_in_housing_plan": _("Bosetting er med i boligsosial handlingsplan"),
            "challenges": _("Utfordringer"),
            "help_wanted": _("Hva trenger kommunen fra IMDi og Husbanken?"),
        }
        widgets = {
            "challenges": forms.Textarea(attrs={"rows": 3}),
            "help_wanted": forms.Textarea(attrs={"rows": 3}),
        }

    def validate_unique(self):
        # One report per municipality and year: a second submission updates the first (service).
        return None
