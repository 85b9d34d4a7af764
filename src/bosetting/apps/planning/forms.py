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


# --- The planning year ------------------------------------------------------------------------------

WEIGHT_HELP = _("Hvor mye kriteriet teller, i forhold til de andre (0–100).")


class PlanForm(_Versioned):
    """The need from the prognosis, its source, the period and the criteria's weights."""

    need_persons = forms.IntegerField(label=_("Behov (personer)"))
    need_uam_persons = forms.IntegerField(
        label=_("Herav enslige mindreårige"), initial=0, required=False
    )
    source = forms.CharField(
        label=_("Kilde (prognose)"),
        max_length=200,
        help_text=_("For eksempel «UDIs prognose, Nasjonalt utvalg for bosetting»."),
    )
    source_date = forms.DateField(
        label=_("Prognosens dato"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_years = forms.TypedChoiceField(
        label=_("Anmodningene gjelder"),
        choices=[(1, _("Ett år")), (3, _("Tre år"))],
        coerce=int,
        initial=1,
    )
    weight_population = forms.IntegerField(
        label=_("Vekt: befolkning"), min_value=0, max_value=100, initial=40, help_text=WEIGHT_HELP
    )
    weight_labour = forms.IntegerField(
        label=_("Vekt: arbeidsmarked"), min_value=0, max_value=100, initial=20
    )
    weight_record = forms.IntegerField(
        label=_("Vekt: bosettingshistorikk"), min_value=0, max_value=100, initial=20
    )
    weight_housing = forms.IntegerField(
        label=_("Vekt: ledige boliger"), min_value=0, max_value=100, initial=10
    )
    weight_quality = forms.IntegerField(
        label=_("Vekt: kvalitet i arbeidet"), min_value=0, max_value=100, initial=10
    )

    def clean_need_uam_persons(self) -> int:
        return self.cleaned_data.get("need_uam_persons") or 0


class NewPlanForm(PlanForm):
    year = forms.IntegerField(label=_("Planår"), min_value=1990, max_value=2100)
    field_order = ["year", "need_persons", "need_uam_persons", "source", "source_date"]


class AdjustForm(_Versioned):
    """A regional office's adjustment of a municipality's figure."""

    persons = forms.IntegerField(label=_("Antall personer"), min_value=0)
    uam_persons = forms.IntegerField(
        label=_("Herav enslige mindreårige"), min_value=0, initial=0, required=False
    )
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Påkrevd: hvorfor tallet endres (lagres i endringsloggen)."),
    )

    def clean_uam_persons(self) -> int:
        return self.cleaned_data.get("uam_persons") or 0


class QualityForm(_Versioned):
    """The regional office's assessment of the quality of a municipality's work."""

    quality = forms.TypedChoiceField(
        label=_("Kvalitet i bosettingsarbeidet"),
        coerce=int,
        choices=[
            (1, _("1 – svak")),
            (2, _("2")),
            (3, _("3 – nøytral")),
            (4, _("4")),
            (5, _("5 – svært god")),
        ],
    )
    note = forms.CharField(
        label=_("Merknad"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(_Versioned):
    accept_difference = forms.BooleanField(
        label=_("Godkjenn selv om summen avviker fra behovet"), required=False
    )
