"""Forms for units and leases. ModelForms run the model's ``full_clean``: the same rules as the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.housing.choices import LeaseOutcome, Tenure, UnitKind
from bosetting.apps.housing.models import HousingUnit


class UnitForm(forms.ModelForm):
    class Meta:
        model = HousingUnit
        fields = [
            "municipality",
            "code",
            "kind",
            "bedrooms",
            "max_occupants",
            "beds",
            "zone",
            "accessible",
            "available_from",
            "rent_nok",
            "flag_damp_mould",
            "flag_unsuitable_children",
            "flag_heavy_environment",
        ]
        labels = {
            "municipality": _("Kommune"),
            "code": _("Boligkode"),
            "kind": _("Type"),
            "bedrooms": _("Soverom"),
            "max_occupants": _("Maks beboere"),
            "beds": _("Sengeplasser (bofellesskap)"),
            "zone": _("Sone/område"),
            "accessible": _("Tilgjengelig for bevegelseshemmede"),
            "available_from": _("Ledig fra"),
            "rent_nok": _("Husleie per måned (kr)"),
            "flag_damp_mould": _("Fukt/mugg (helsetjenesten)"),
            "flag_unsuitable_children": _("Uegnet for barn (helsetjenesten)"),
            "flag_heavy_environment": _("Krevende bomiljø (mange med tett oppfølging)"),
        }
        widgets = {"available_from": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is not None:
            self.fields["municipality"].queryset = municipalities


class LeaseForm(forms.Form):
    household_reference = forms.CharField(label=_("Saksreferanse (husholdning)"), required=False)
    start = forms.DateField(label=_("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(
        label=_("Til (tom = løpende)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    notice_months = forms.IntegerField(label=_("Oppsigelsestid (måneder)"), initial=3, min_value=0)
    rent_nok = forms.IntegerField(label=_("Husleie (kr/mnd, tom = boligens)"), required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Utfall"), choices=LeaseOutcome.choices)
    on = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Merknad"), required=False, max_length=200)
    # The lease's version as the page showed it: an outcome recorded by someone else since is refused.
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class UnitFilterForm(forms.Form):
    municipality = forms.CharField(label=_("Kommunenummer"), required=False, max_length=4)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Alle"))] + list(UnitKind.choices)
    )
    available = forms.BooleanField(label=_("Bare ledige"), required=False)
    min_occupants = forms.IntegerField(label=_("Minst plass til"), required=False, min_value=1)


class GapForm(forms.Form):
    area = forms.CharField(
        label=_("Område"),
        required=False,
        help_text=_("national, county:12, region:imdi-vest eller municipality:1201"),
    )
    year = forms.IntegerField(label=_("År"), required=False, min_value=2000, max_value=2100)


class CareerStepForm(forms.Form):
    on = forms.DateField(label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}))
    tenure = forms.ChoiceField(label=_("Boform"), choices=Tenure.choices)
    start_loan = forms.BooleanField(label=_("Finansiert med startlån"), required=False)
    note = forms.CharField(label=_("Merknad"), required=False, max_length=200)
