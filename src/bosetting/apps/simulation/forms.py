"""The simulator form: scenario, key parameters, seed, runs, horizon, mode."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bosetting.apps.simulation.choices import scenario_text
from bosetting.apps.simulation.services import KEY_PARAMETERS, MAX_RUNS, MAX_YEARS


def field_name(key: str) -> str:
    return "p_" + key.replace(".", "__")


class SimulationForm(forms.Form):
    """Start a simulation run."""

    scenario = forms.ChoiceField(label=_("Scenario"))
    label = forms.CharField(label=_("Navn på kjøringen"), required=False, max_length=120)
    runs = forms.IntegerField(
        label=_("Antall kjøringer"), min_value=1, max_value=MAX_RUNS, initial=10
    )
    years = forms.IntegerField(
        label=_("År (tom: scenarioets)"), min_value=1, max_value=MAX_YEARS, required=False
    )
    seed = forms.IntegerField(label=_("Frø (tom: tilfeldig)"), required=False, min_value=0)
    mode = forms.ChoiceField(
        label=_("Modus"),
        choices=[
            ("fast", _("Rask")),
            ("greedy", _("Grådig utsøking")),
            ("full", _("Full utsøking")),
        ],
        initial="fast",
    )

    def __init__(self, *args, scenarios=(), defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scenario"].choices = [(s, scenario_text(s).title) for s in scenarios]
        chosen = self.initial.get("scenario") or (scenarios[0] if scenarios else "")
        if chosen:
            self.fields["scenario"].help_text = scenario_text(chosen).description
        # Choosing another scenario reloads the page with that scenario's defaults as hints
        # (web/static/js/site.js; no inline script under the Content-Security-Policy).
        self.fields["scenario"].widget.attrs["data-reload-param"] = "scenario"
        defaults = defaults or {}
        for param in KEY_PARAMETERS:
            default = defaults.get(param.key)
            self.fields[field_name(param.key)] = forms.FloatField(
                label=param.label,
                help_text=f"{param.help} (scenario: {default if default is not None else '–'})",
                required=False,
                min_value=param.minimum,
                max_value=param.maximum,
                widget=forms.NumberInput(attrs={"step": param.step, "placeholder": default}),
            )

    def overrides(self) -> dict:
        return {
            p.key: self.cleaned_data[field_name(p.key)]
            for p in KEY_PARAMETERS
            if self.cleaned_data.get(field_name(p.key)) is not None
        }
