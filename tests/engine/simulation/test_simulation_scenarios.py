"""Shipped scenarios: identical copies, loadable by name, path or dict, all runnable."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bosetting.engine.simulation import (
    ScenarioError,
    load_scenario,
    override_parameters,
    run,
    shipped_scenario_names,
)
from bosetting.engine.simulation.params import YearSeries
from bosetting.engine.simulation.scenario import shipped_scenario_text

REPO_SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
EXPECTED = {
    "baseline-2009-2014",
    "three-year-decisions",
    "state-allocation",
    "self-settlement",
    "housing-boost",
    "county-governor-pilot",
}


def test_the_six_scenarios_are_shipped():
    assert set(shipped_scenario_names()) == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_repository_copy_is_identical_to_the_packaged_one(name):
    assert (REPO_SCENARIOS / f"{name}.toml").read_text(encoding="utf-8") == shipped_scenario_text(
        name
    )


def test_the_repository_holds_no_other_scenario_files():
    assert {p.stem for p in REPO_SCENARIOS.glob("*.toml")} == EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_shipped_scenario_runs(name):
    scenario = load_scenario(name)
    result = run(scenario, seed=7)
    assert sorted(result.years) == scenario.year_list
    last = result.years[scenario.year_list[-1]]
    assert last["settled"] > 1000
    assert 0 <= last["share_settled_within_6_months_pct"] <= 100


def test_policy_scenarios_change_the_outcome_after_2015():
    baseline = run("baseline-2009-2014", seed=3, years=10)
    state = run("state-allocation", seed=3)
    swedish = run("self-settlement", seed=3)
    # Before the policy year the worlds are the same.
    assert state.years[2012]["settled"] == baseline.years[2012]["settled"]
    # The Danish model fills the quotas: more places decided than under the voluntary model.
    assert state.years[2016]["decided_persons"] > baseline.years[2016]["decided_persons"]
    # The Swedish model: many settle themselves and the queue is shorter.
    assert swedish.years[2016]["self_settled"] > 3 * baseline.years[2016]["self_settled"]
    assert swedish.years[2016]["waiting_dec31"] < baseline.years[2016]["waiting_dec31"]


@pytest.fixture(scope="module")
def baseline_ten_years():
    return run("baseline-2009-2014", seed=3, years=10)


@pytest.mark.parametrize(
    "name", ["self-settlement", "state-allocation", "housing-boost", "county-governor-pilot"]
)
def test_a_policy_leaves_the_years_before_its_start_unchanged(name, baseline_ten_years):
    # Same seed: every figure of every year before the policy starts is the baseline's, draw
    # for draw (the self-settlement scenario used to change 2013's queue, 4,777 against 5,403).
    scenario = load_scenario(name)
    assert scenario.policy_start == 2015
    policy = run(scenario, seed=3)
    before = [y for y in scenario.year_list if y < scenario.policy_start]
    assert before == [2009, 2010, 2011, 2012, 2013, 2014]
    for year in before:
        assert policy.years[year] == baseline_ten_years.years[year], (name, year)
    assert policy.years[2016] != baseline_ten_years.years[2016]


def test_a_scenario_loads_from_its_file_and_from_a_dict():
    by_path = load_scenario(REPO_SCENARIOS / "housing-boost.toml")
    by_name = load_scenario("housing-boost")
    assert by_path == by_name
    by_dict = load_scenario({"extends": "baseline-2009-2014", "name": "mine", "years": 2})
    assert by_dict.name == "mine" and by_dict.years == 2
    assert by_dict.arrivals == load_scenario("baseline-2009-2014").arrivals


def test_extending_merges_year_tables_year_by_year():
    boost = load_scenario("housing-boost")
    assert boost.housing.grant_units_per_year.at(2012) == 0
    assert boost.housing.grant_units_per_year.at(2016) == 1500
    assert (
        boost.arrivals.permits_persons
        == load_scenario("baseline-2009-2014").arrivals.permits_persons
    )


def test_overrides_replace_single_parameters_and_years():
    base = load_scenario("baseline-2009-2014")
    changed = override_parameters(
        base,
        {
            "phases.preparation_months": "2.5",
            "arrivals.permits_persons.2015": 9000,
            "matching.mode": "greedy",
            "housing.search_months": 1.5,
        },
    )
    assert changed.phases.preparation_months == 2.5
    assert changed.arrivals.permits_persons.at(2015) == 9000
    assert changed.arrivals.permits_persons.at(2013) == base.arrivals.permits_persons.at(2013)
    assert changed.matching.mode == "greedy"
    assert changed.housing.search_months == YearSeries.of(1.5)
    assert base.phases.preparation_months != 2.5  # the original is untouched


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phases.preparation_months": -1}, "phases.preparation_months: -1 is below the minimum 0"),
        ({"phases.nonsense": 1}, "phases.nonsense: unknown parameter"),
        ({"matching.mode": "magic"}, "matching.mode: 'magic' is not one of fast, greedy, full"),
        ({"matching.accept_probability": "lots"}, "matching.accept_probability: expected a number"),
        (
            {"phases.preparation_months.2015": 1},
            "phases.preparation_months: is a single value, not a table",
        ),
    ],
)
def test_a_bad_override_names_the_field(overrides, message):
    with pytest.raises(ScenarioError) as caught:
        override_parameters(load_scenario("baseline-2009-2014"), overrides)
    assert str(caught.value).startswith(message)


def test_a_bad_file_names_the_file_or_field(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("years = [\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="broken.toml: not valid TOML"):
        load_scenario(broken)
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(
        'extends = "baseline-2009-2014"\n[housing]\nsize_mix = { huge = 1.0 }\n', encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match="housing.size_mix.huge: unknown key"):
        load_scenario(wrong)
    with pytest.raises(ScenarioError, match="housing.size_mix: missing one_bedroom"):
        load_scenario({"housing": {"size_mix": {"shared": 1.0}}})
    with pytest.raises(ScenarioError, match="no shipped scenario named 'nope'"):
        load_scenario("nope")


def test_year_tables_are_step_functions():
    series = YearSeries.of({"2009": 1.0, "2012": 3.0})
    assert [series.at(y) for y in (2005, 2009, 2011, 2012, 2030)] == [1.0, 1.0, 1.0, 3.0, 3.0]
    assert YearSeries.of(math.inf).at(2020) == math.inf
