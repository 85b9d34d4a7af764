"""Who holds IMDi's settlement role where, and from when ("forsøk med fylkesmannen").

From 2015, for two years, the county governors of Hordaland and Østfold take over IMDi's settlement
role in their counties (report L3160–3163; Østfold 2015–2016, L3720–3722; the state budget for 2015:
"fylkesmennene i Hordaland og Østfold overtar enkelte bosettingsoppgaver i disse fylkene. Tidsrammen
for forsøket er 2015 og 2016"). Inside a pilot county, while the pilot runs, the county governor has
IMDi's regional powers — the queue of cases placed there, matching rounds for the county's
municipalities, proposals and the approval of self-settlement; IMDi's regional office still sees
everything there but no longer acts.

This module is the one definition: the live system's roles (``accounts.selectors``) and the
simulator's county-governor scenario (``engine.simulation.params.CountyGovernorParams``) both read it.
Pure Python: no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

REPORT_SOURCE = (
    "Fafo 2015, L3160–3163 (Hordaland og Østfold fra 2015, to år) og L3720–3722 (Østfold 2015–2016)"
)
BUDGET_SOURCE = (
    "Statsbudsjettet 2015 (statsbudsjettet.no, «Integrering – bosetting av flyktninger»): "
    "prøveprosjekt der fylkesmennene i Hordaland og Østfold overtar enkelte bosettingsoppgaver, 2015 og 2016"
)


@dataclass(frozen=True)
class CountyGovernorPilot:
    """A county whose county governor holds IMDi's settlement role for a while ("forsøksfylke").

    Attributes:
        county: County number in the 2014 structure (``"12"`` Hordaland, ``"01"`` Østfold).
        name: The county's name.
        start: First day the county governor holds the role.
        end: Last day (inclusive).
        sources: Where the pilot and its dates are stated.
    """

    county: str
    name: str
    start: dt.date
    end: dt.date
    sources: tuple[str, ...] = (REPORT_SOURCE, BUDGET_SOURCE)

    def active_on(self, day: dt.date) -> bool:
        """Whether the county governor holds the role on ``day``."""
        return self.start <= day <= self.end

    @property
    def years(self) -> tuple[int, int]:
        """First and last calendar year of the pilot."""
        return self.start.year, self.end.year


#: The pilots of the report, by county number (the report: "fra 2015", "to år").
COUNTY_GOVERNOR_PILOTS: tuple[CountyGovernorPilot, ...] = (
    CountyGovernorPilot("01", "Østfold", dt.date(2015, 1, 1), dt.date(2016, 12, 31)),
    CountyGovernorPilot("12", "Hordaland", dt.date(2015, 1, 1), dt.date(2016, 12, 31)),
)

PILOT_COUNTIES: tuple[str, ...] = tuple(p.county for p in COUNTY_GOVERNOR_PILOTS)
"""Every pilot county's number, in number order."""

PILOT_FIRST_YEAR: int = min(p.start.year for p in COUNTY_GOVERNOR_PILOTS)
PILOT_LAST_YEAR: int = max(p.end.year for p in COUNTY_GOVERNOR_PILOTS)


def pilot_for(county: str | None) -> CountyGovernorPilot | None:
    """The pilot of a county (on any day), or None."""
    return next((p for p in COUNTY_GOVERNOR_PILOTS if p.county == county), None)


def active_pilot(county: str | None, day: dt.date) -> CountyGovernorPilot | None:
    """The pilot of ``county`` if it runs on ``day``, else None."""
    pilot = pilot_for(county)
    return pilot if pilot is not None and pilot.active_on(day) else None


def active_counties(day: dt.date) -> frozenset[str]:
    """The counties whose county governor holds IMDi's settlement role on ``day``."""
    return frozenset(p.county for p in COUNTY_GOVERNOR_PILOTS if p.active_on(day))


def county_of(municipality_number: str) -> str:
    """The county number of a 2014-structure municipality number (its first two digits)."""
    return municipality_number[:2]


def authority_on(municipality_number: str, day: dt.date) -> str:
    """Who holds the regional settlement role in a municipality on a day: ``"county_governor"``
    inside a running pilot, else ``"imdi"``."""
    return "county_governor" if county_of(municipality_number) in active_counties(day) else "imdi"
