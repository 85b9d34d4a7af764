"""Forms of case entry ("registrere og rette husholdning"): the household's record and its members.

The forms check shapes (a date, a number); the rules of the record (birth years, the steps' order,
the reference) are the services' (``lifecycle.services.do_register_household``,
``cases.services.do_correct_household``), whose field errors the view puts back on these forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.cases.choices import Need, Sex
from bosetting.apps.geo.selectors import reception_centre_names


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.Form):
    """One member of the household: birth year and sex (no names)."""

    # The table's column heads label the fields on screen; aria-label names them for screen readers.
    birth_year = forms.IntegerField(
        label=_("Fødselsår"),
        min_value=1900,
        max_value=2100,
        widget=forms.NumberInput(attrs={"aria-label": _("Fødselsår"), "inputmode": "numeric"}),
    )
    sex = forms.ChoiceField(
        label=_("Kjønn"),
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        widget=forms.Select(attrs={"aria-label": _("Kjønn")}),
    )


PersonFormSet = forms.formset_factory(PersonForm, extra=0, can_delete=True, max_num=30)


def persons_of(formset) -> tuple[list[dict], list]:
    """The members the formset holds (empty and deleted rows left out), principal first, with the
    form of each (to put a service's ``persons.<i>`` error back on its row)."""
    rows, kept = [], []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or data.get("birth_year") is None:
            continue
        rows.append({"birth_year": data["birth_year"], "sex": data.get("sex") or Sex.UNKNOWN})
        kept.append(form)
    return rows, kept


class HouseholdForm(forms.Form):
    """The household's record from the permit. ``mode="register"`` adds the reference and the steps
    already taken; ``mode="correct"`` the version read and a note saying why; ``health=False``
    leaves the health note out (a user who may not read it may not write it)."""

    reference = forms.CharField(label=_("Saksreferanse"), max_length=20)
    permit_date = forms.DateField(label=_("Vedtak om opphold"), widget=DateInput())
    case_opened = forms.DateField(
        label=_("Saken ble opprettet (asylsøknad)"), required=False, widget=DateInput()
    )
    reception_centre = forms.ChoiceField(label=_("Mottak"), required=False)
    needs = forms.MultipleChoiceField(
        label=_("Særskilte behov"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ties = forms.CharField(
        label=_("Tilknytning (kommunenummer, adskilt med komma)"),
        required=False,
        max_length=200,
    )
    health_note = forms.CharField(
        label=_("Helseopplysninger"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Sensitivt. Vises bare for IMDi-saksbehandlere med saken og for kommunen etter at den "
            "har akseptert husholdningen; hver visning logges."
        ),
    )
    notified_on = forms.DateField(
        label=_("Vedtaket ble forkynt"), required=False, widget=DateInput()
    )
    interview_on = forms.DateField(
        label=_("Bosettingssamtalen ble holdt"), required=False, widget=DateInput()
    )
    ready_on = forms.DateField(label=_("Bosettingsklar fra"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("Hva er rettet, og hvorfor"), required=False, max_length=500)

    REGISTER_ONLY = ("reference", "notified_on", "interview_on", "ready_on")
    CORRECT_ONLY = ("version", "note")

    def __init__(self, *args, mode: str = "register", health: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        drop = self.CORRECT_ONLY if mode == "register" else self.REGISTER_ONLY
        for name in drop:
            del self.fields[name]
        if not health:
            del self.fields["health_note"]
        self.fields["reception_centre"].choices = [("", "—")] + [
            (name, name) for name in reception_centre_names()
        ]

    def clean_ties(self) -> list[str]:
        return [
            t.strip() for t in self.cleaned_data["ties"].replace(";", ",").split(",") if t.strip()
        ]
