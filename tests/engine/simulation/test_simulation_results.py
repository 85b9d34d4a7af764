"""Seeds, Monte Carlo bands and the result JSON."""

from __future__ import annotations

import json

import pytest
from tests.engine.simulation.simulation_worlds import tiny_scenario, tiny_world

from bosetting.engine.simulation import run, sweep
from bosetting.engine.simulation.metrics import ALL_METRICS, HEADLINE_METRICS

TOP_LEVEL_KEYS = {
    "format",
    "scenario",
    "description",
    "parameters",
    "policy_start",
    "seed",
    "runs",
    "mode",
    "workers",
    "scheduler",
    "wall_seconds",
    "period",
    "years",
    "table_2_1",
    "table_2_2",
    "report_basis",
    "monthly",
    "table_notes",
}


def _comparable(result_json: str) -> dict:
    data = json.loads(result_json)
    for key in ("wall_seconds", "workers", "scheduler"):
        data.pop(key)
    return data


def test_the_same_seed_gives_the_identical_run():
    world = tiny_world()
    first = run(tiny_scenario(), seed=11, municipalities=world)
    second = run(tiny_scenario(), seed=11, municipalities=world)
    assert first.years == second.years
    assert first.monthly == second.monthly


def test_another_seed_gives_another_run():
    world = tiny_world()
    first = run(tiny_scenario(), seed=11, municipalities=world)
    other = run(tiny_scenario(), seed=12, municipalities=world)
    assert first.years != other.years


def test_a_sweep_is_reproducible_and_its_runs_differ():
    first = sweep("baseline-2009-2014", runs=3, seed=5, workers=1, years=1)
    second = sweep("baseline-2009-2014", runs=3, seed=5, workers=1, years=1)
    assert _comparable(first.to_json()) == _comparable(second.to_json())
    settled = first.values("settled", 2009)
    assert len(set(settled)) > 1


@pytest.fixture(scope="module")
def baseline_sweep():
    return sweep("baseline-2009-2014", runs=5, seed=1, workers=1)


def test_the_band_holds_the_mean(baseline_sweep):
    summary = baseline_sweep.summary()
    checked = 0
    for year, metrics in summary.items():
        for name in HEADLINE_METRICS:
            band = metrics[name]
            assert band["p05"] <= band["mean"] <= band["p95"], (year, name, band)
            checked += 1
    assert checked == 6 * len(HEADLINE_METRICS)


def test_the_result_json_has_exactly_the_documented_keys(baseline_sweep):
    data = json.loads(baseline_sweep.to_json())
    assert set(data) == TOP_LEVEL_KEYS
    assert data["scenario"] == "baseline-2009-2014"
    assert data["runs"] == 5 and data["seed"] == 1 and data["mode"] == "fast"
    assert list(data["years"]) == ["2009", "2010", "2011", "2012", "2013", "2014"]
    for metrics in data["years"].values():
        assert set(metrics) == set(ALL_METRICS)
        for band in metrics.values():
            assert set(band) == {"mean", "se", "p05", "p95"}
    assert list(data["table_2_1"]) == ["2009", "2010", "2011", "2012", "2013", "2014"]
    for row in data["table_2_1"].values():
        assert set(row) == {
            "settled",
            "waiting_dec31",
            "share_settled_within_6_months_pct",
            "long_waiters",
        }
        assert all(isinstance(v, float) for v in row.values())
    for row in data["table_2_2"].values():
        assert set(row) == {"months_permit_to_settlement", "months_case_to_settlement"}
    assert data["parameters"]["start_year"] == 2009
    assert len(data["monthly"]["months"]) == 72
    assert data["monthly"]["months"][0] == "2009-01"


def test_one_period_everywhere_calendar_years_and_the_report_basis_apart(baseline_sweep):
    # The tables, the years and the monthly series are calendar years (what the command line,
    # the web table and the web charts show); only report_basis stops 2014 in November.
    data = json.loads(baseline_sweep.to_json())
    for year in ("2013", "2014"):
        assert data["table_2_1"][year]["settled"] == data["years"][year]["settled"]["mean"]
        assert (
            data["table_2_1"][year]["waiting_dec31"] == data["years"][year]["waiting_dec31"]["mean"]
        )
    assert data["report_basis"]["months"] == {"2014": 11}
    assert (
        data["report_basis"]["table_2_1"]["2014"]["settled"] < data["table_2_1"]["2014"]["settled"]
    )
    assert data["report_basis"]["table_2_1"]["2013"] == data["table_2_1"]["2013"]
    assert "January-December" in data["period"]
    assert data["policy_start"] is None


def test_the_monte_carlo_error_is_reported(baseline_sweep):
    band = baseline_sweep.summary()["2013"]["settled"]
    assert band["se"] is not None and 0 < band["se"] < band["p95"] - band["p05"]


def test_a_value_the_model_cannot_give_is_null():
    scenario = tiny_scenario(arrivals={"permits_persons": 0})
    result = sweep(scenario, runs=1, seed=0, workers=1)
    # sweep() uses the real world; with no permits nobody is settled from reception.
    data = json.loads(result.to_json())
    assert data["table_2_2"]["2012"]["months_permit_to_settlement"] is None
    assert data["table_2_1"]["2012"]["share_settled_within_6_months_pct"] is None
