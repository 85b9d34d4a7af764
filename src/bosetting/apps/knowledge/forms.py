"""Form for a new good-practice example."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ExampleForm(forms.Form):
    """A practice example with its context."""

    municipality = forms.ChoiceField(label=_("Kommune"))
    title = forms.CharField(label=_("Tittel"), max_length=200)
    problem = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(label=_("Løsning"), widget=forms.Textarea(attrs={"rows": 3}))
    organisation = forms.CharField(
        label=_("Organisering"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    instruments = forms.CharField(
        label=_("Virkemidler (kommaseparert)"), required=False, max_length=400
    )
    results = forms.CharField(
        label=_("Resultater"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    population = forms.IntegerField(label=_("Folketall"), required=False, min_value=0)
    settled_per_year = forms.IntegerField(label=_("Bosatte per år"), required=False, min_value=0)
    municipal_dwellings = forms.IntegerField(
        label=_("Kommunale boliger"), required=False, min_value=0
    )
    labour_market = forms.CharField(label=_("Arbeidsmarked"), required=False)
    economy = forms.CharField(label=_("Økonomi"), required=False)
    source = forms.CharField(label=_("Kilde"), required=False, max_length=200)

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [
            (m.number, f"{m.number} {m.name}") for m in municipalities
        ]
