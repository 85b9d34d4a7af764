"""Forms for registering requests and decisions. The services validate; the forms only parse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

PERIODS = [(1, _("Ett år")), (3, _("Tre år (én rad per år)"))]


class _Counts(forms.Form):
    persons = forms.IntegerField(label=_("Antall personer per år"), min_value=0)
    uam_persons = forms.IntegerField(
        label=_("Av disse enslige mindreårige"), min_value=0, initial=0, required=False
    )

    def clean_uam_persons(self) -> int:
        return self.cleaned_data.get("uam_persons") or 0


class _New(forms.Form):
    municipality_number = forms.RegexField(label=_("Kommunenummer"), regex=r"^\d{4}$", max_length=4)
    year = forms.IntegerField(label=_("År (første år)"), min_value=1990, max_value=2100)
    period_years = forms.TypedChoiceField(
        label=_("Periode"), choices=PERIODS, coerce=int, initial=1
    )
    replace = forms.BooleanField(
        label=_("Erstatt det som allerede er registrert for disse årene"),
        required=False,
        help_text=_("Kryss av bare når du har sett det som finnes og vil erstatte det."),
    )


class _Versioned(forms.Form):
    """The version the user read; a row changed since is refused, not overwritten."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecisionForm(_New, _Counts):
    field_order = ["municipality_number", "year", "period_years", "persons", "uam_persons"]
    decided_on = forms.DateField(
        label=_("Vedtaksdato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionEditForm(_Versioned, _Counts):
    decided_on = forms.DateField(
        label=_("Vedtaksdato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RequestForm(_New, _Counts):
    field_order = ["municipality_number", "year", "period_years", "persons", "uam_persons"]
    sent_on = forms.DateField(
        label=_("Sendt"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    supplementary = forms.BooleanField(label=_("Tilleggsanmodning"), required=False)


class RequestEditForm(_Versioned, _Counts):
    sent_on = forms.DateField(
        label=_("Sendt"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OverviewFilter(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    office = forms.ChoiceField(label=_("IMDi-region"), required=False)
