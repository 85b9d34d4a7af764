"""The shipped scenarios as users see them ("scenarier"): a name and a description in bokmål.

The scenario files keep their English ids and notes (they are the engine's, which knows no
languages); the pages, the API catalogue and the runs show these."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ScenarioText:
    """How a shipped scenario is shown to users: a name and a description in bokmål."""

    title: str
    description: str


SCENARIO_TEXTS: dict[str, ScenarioText] = {
    "baseline-2009-2014": ScenarioText(
        _("Grunnlinje 2009–2014"),
        _(
            "Norge slik det var: frivillighetsmodellen, årlige vedtak til og med 2013 og treårige "
            "fra 2014; kalibrert på 2009–2012 og testet mot tabell 2.1 for 2013–2014."
        ),
    ),
    "three-year-decisions": ScenarioText(
        _("Treårige vedtak fra 2009"),
        _(
            "Kontrafaktisk: kommunestyrene vedtar for tre år om gangen fra 2009, med overføring av "
            "ubrukte plasser og boliger planlagt for perioden; 2009–2018."
        ),
    ),
    "state-allocation": ScenarioText(
        _("Statlig fordeling (dansk modell) fra 2015"),
        _(
            "Fra 2015 får hver kommune en kvote etter folketall som den må ta imot; kommunene kan "
            "ikke si nei til forslag; 2009–2018."
        ),
    ),
    "self-settlement": ScenarioText(
        _("Selvbosetting (svensk modell) fra 2015"),
        _(
            "Fra 2015 kan flyktningene bosette seg selv fra vedtaket om opphold (25 prosent sjanse per "
            "måned), mest gjennom nettverk; årene før 2015 er som grunnlinjen; 2009–2018."
        ),
    ),
    "housing-boost": ScenarioText(
        _("Flere boliger fra 2015"),
        _(
            "Fra 2015 finansierer Husbanken 1 500 utleieboliger i året, flere store boliger, og "
            "kommunene finner boliger raskere; 2009–2018."
        ),
    ),
    "county-governor-pilot": ScenarioText(
        _("Fylkesmannsforsøket 2015–2016"),
        _(
            "Fylkesmennene i Hordaland og Østfold overtar bosettingsarbeidet i 2015–2016: høyere "
            "vedtaksandel, raskere faser og flere boliger der; 2009–2018."
        ),
    ),
}


def scenario_text(name: str) -> ScenarioText:
    """The bokmål name and description of a scenario (its id where it has none)."""
    return SCENARIO_TEXTS.get(name, ScenarioText(name, ""))


__all__ = ["SCENARIO_TEXTS", "ScenarioText", "scenario_text"]
