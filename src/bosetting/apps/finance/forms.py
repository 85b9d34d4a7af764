"""Forms of the money pages. Tri-state answers: yes / no / not known."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

TRI = [("", _("Ukjent")), ("yes", _("Ja")), ("no", _("Nei"))]


def tri(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class RentalUnitsForm(forms.Form):
    n_units = forms.IntegerField(label=_("Antall boliger"), min_value=0, max_value=100_000)
    cost_per_unit_nok = forms.IntegerField(label=_("Kostnad per bolig (kr)"), min_value=0)
    year = forms.IntegerField(
        label=_("År (regelverk)"), min_value=2000, max_value=2100, initial=2014
    )


class BasicLoanForm(forms.Form):
    cost_nok = forms.IntegerField(label=_("Byggekostnad (kr)"), min_value=0)
    loan_year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, initial=2014)


class EligibilityForm(forms.Form):
    instrument = forms.ChoiceField(
        label=_("Virkemiddel"),
        choices=[
            ("start_loan", _("Startlån")),
            ("establishment_grant", _("Tilskudd til etablering")),
        ],
    )
    can_get_ordinary_bank_loan = forms.ChoiceField(
        label=_("Kan få vanlig banklån"), choices=TRI, required=False
    )
    can_service_loan = forms.ChoiceField(label=_("Kan betjene lånet"), choices=TRI, required=False)
    has_work_income = forms.ChoiceField(label=_("Inntekt fra arbeid"), choices=TRI, required=False)
    long_term_low_income = forms.ChoiceField(
        label=_("Varig lav inntekt"), choices=TRI, required=False
    )
    months_in_norway = forms.IntegerField(label=_("Måneder i Norge"), min_value=0, required=False)
    require_work_income = forms.BooleanField(
        label=_("Kommunens krav: inntekt fra arbeid"), required=False, initial=True
    )
    min_months_in_norway = forms.IntegerField(
        label=_("Kommunens krav: minst måneder i Norge"), min_value=0, required=False
    )


class AllowanceForm(forms.Form):
    income_nok = forms.IntegerField(label=_("Husstandens inntekt per år (kr)"), min_value=0)
    housing_cost_nok = forms.IntegerField(label=_("Boutgifter per år (kr)"), min_value=0)
    household_size = forms.IntegerField(label=_("Personer i husstanden"), min_value=1, max_value=20)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100)
    municipality = forms.CharField(label=_("Kommune (navn)"), required=False)
    adapted_dwelling = forms.BooleanField(label=_("Tilpasset bolig"), required=False)


class ProjectionForm(forms.Form):
    municipality = forms.CharField(label=_("Kommunenummer"), max_length=4)
    start_year = forms.IntegerField(
        label=_("Fra år"), min_value=2000, max_value=2100, required=False
    )
    no_assumption = forms.BooleanField(
        label=_("Uten antakelse: vis «ukjent» der satsen per bosettingsår mangler"),
        required=False,
    )


class CandidatesForm(forms.Form):
    municipality = forms.CharField(label=_("Kommunenummer"), max_length=4, required=False)
    within_months = forms.IntegerField(
        label=_("Kontrakt slutter innen (måneder)"),
        min_value=1,
        max_value=36,
        initial=6,
        required=False,
    )
    min_months_in_norway = forms.IntegerField(
        label=_("Kommunens krav: minst måneder i Norge"), min_value=0, required=False
    )
    include_not_eligible = forms.BooleanField(
        label=_("Vis også dem som ikke fyller kravene"), required=False
    )


class EconomyForm(forms.Form):
    has_work_income = forms.ChoiceField(label=_("Inntekt fra arbeid"), choices=TRI, required=False)
    yearly_income_nok = forms.IntegerField(
        label=_("Husstandens inntekt per år (kr)"), min_value=0, required=False
    )
    arrived_in_norway_on = forms.DateField(
        label=_("Kom til Norge"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    can_get_ordinary_bank_loan = forms.ChoiceField(
        label=_("Kan få vanlig banklån"), choices=TRI, required=False
    )
    can_service_loan = forms.ChoiceField(label=_("Kan betjene lån"), choices=TRI, required=False)
    long_term_low_income = forms.ChoiceField(
        label=_("Varig lav inntekt"), choices=TRI, required=False
    )

    TRI_FIELDS = (
        "has_work_income",
        "can_get_ordinary_bank_loan",
        "can_service_loan",
        "long_term_low_income",
    )

    @classmethod
    def initial_from(cls, economy) -> dict:
        if economy is None:
            return {}
        data = {
            "yearly_income_nok": economy.yearly_income_nok,
            "arrived_in_norway_on": economy.arrived_in_norway_on,
        }
        for name in cls.TRI_FIELDS:
            value = getattr(economy, name)
            data[name] = "" if value is None else ("yes" if value else "no")
        return data

    def facts(self) -> dict:
        d = self.cleaned_data
        facts = {name: tri(d[name]) for name in self.TRI_FIELDS}
        facts["yearly_income_nok"] = d["yearly_income_nok"]
        facts["arrived_in_norway_on"] = d["arrived_in_norway_on"]
        return facts
