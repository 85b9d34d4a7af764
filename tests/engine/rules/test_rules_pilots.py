"""The county-governor pilot: one definition, read by the live system and the simulator alike."""

from __future__ import annotations

import datetime as dt

from bosetting.engine.rules.pilots import (
    COUNTY_GOVERNOR_PILOTS,
    PILOT_COUNTIES,
    active_counties,
    active_pilot,
    authority_on,
)
from bosetting.engine.simulation import load_scenario


def test_hordaland_and_ostfold_hold_the_role_from_2015_for_two_years():
    """L3160–3163: "fra 2015", "to år"; Østfold 2015–2016, L3720–3722."""
    assert {(p.county, p.name) for p in COUNTY_GOVERNOR_PILOTS} == {
        ("12", "Hordaland"),
        ("01", "Østfold"),
    }
    assert all(p.years == (2015, 2016) for p in COUNTY_GOVERNOR_PILOTS)
    assert all(any("L3160" in s for s in p.sources) for p in COUNTY_GOVERNOR_PILOTS)


def test_who_holds_the_role_depends_on_the_day():
    assert authority_on("1201", dt.date(2014, 12, 31)) == "imdi"
    assert authority_on("1201", dt.date(2015, 1, 1)) == "county_governor"
    assert authority_on("0106", dt.date(2016, 12, 31)) == "county_governor"  # Fredrikstad
    assert authority_on("0106", dt.date(2017, 1, 1)) == "imdi"
    assert authority_on("1103", dt.date(2015, 6, 1)) == "imdi"  # Stavanger: Rogaland, no pilot
    assert active_counties(dt.date(2015, 1, 5)) == frozenset({"01", "12"})
    assert active_pilot("11", dt.date(2015, 1, 5)) is None


def test_the_simulators_pilot_scenario_uses_the_same_definition():
    scenario = load_scenario("county-governor-pilot")
    cg = scenario.policy.county_governor
    assert cg.enabled
    assert tuple(cg.counties) == PILOT_COUNTIES
    assert (cg.from_year, cg.until_year) == (2015, 2016)
