"""``bosetting simulate``: driven through Typer's CliRunner (fixed width, no colour)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bosetting.cli import app

runner = CliRunner()
REPO_SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


def invoke(*args: str):
    return runner.invoke(app, ["simulate", *args], terminal_width=200, color=False)


def test_simulate_writes_the_result_json(tmp_path):
    out = tmp_path / "result.json"
    result = invoke(
        str(REPO_SCENARIOS / "baseline-2009-2014.toml"),
        "--runs", "2", "--seed", "4", "--out", str(out), "--workers", "1", "--years", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["runs"] == 2 and data["seed"] == 4 and data["mode"] == "fast"
    assert list(data["table_2_1"]) == ["2009", "2010"]
    assert "settled" in result.output and "2010" in result.output
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_simulate_takes_a_shipped_name_and_overrides(tmp_path):
    out = tmp_path / "boost.json"
    result = invoke(
        "housing-boost", "--runs", "1", "--years", "1", "--workers", "1", "--out", str(out),
        "--set", "phases.preparation_months=2.5", "--set", "matching.mode=fast",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["scenario"] == "housing-boost"
    assert data["parameters"]["phases"]["preparation_months"] == 2.5


def test_simulate_lists_the_shipped_scenarios():
    result = invoke("--list")
    assert result.exit_code == 0
    for name in ("baseline-2009-2014", "state-allocation", "county-governor-pilot"):
        assert name in result.output


def test_a_bad_parameter_is_one_line_naming_it_and_writes_nothing(tmp_path):
    out = tmp_path / "never.json"
    result = invoke(
        "baseline-2009-2014", "--runs", "1", "--out", str(out), "--set", "phases.bogus=1"
    )
    assert result.exit_code == 2
    assert "phases.bogus: unknown parameter" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_an_unknown_scenario_and_a_bad_mode_are_refused():
    unknown = invoke("no-such-scenario", "--runs", "1")
    assert (
        unknown.exit_code == 2 and "no shipped scenario named 'no-such-scenario'" in unknown.output
    )
    bad_mode = invoke("baseline-2009-2014", "--mode", "quantum")
    assert (
        bad_mode.exit_code == 2
        and "--mode: 'quantum' is not one of fast, greedy, full" in bad_mode.output
    )


def test_the_calibration_report_compares_with_the_report_tables():
    result = invoke("--calibration-report", "--runs", "4", "--workers", "1")
    assert "Antall" in result.output and "(settled)" in result.output
    assert (
        "2014 (nov.)" in result.output and "out" in result.output and "± MC s.e." in result.output
    )
    assert "6,874.0" in result.output  # the report's 2014 settled, as printed
    assert "Acceptance" in result.output
    assert result.exit_code == (0 if "PASS" in result.output else 1)


def test_calibrate_writes_the_fitted_block_into_the_given_file(tmp_path, monkeypatch):
    from bosetting.engine.simulation import calibration, load_scenario
    from bosetting.engine.simulation.scenario import shipped_scenario_text

    baseline = load_scenario("baseline-2009-2014")
    fitted = calibration.calibrated_values(baseline)
    fitted["decisions.decision_share"]["2013"] = 0.5
    calls = []

    def quick_fit(scenario, runs, seed, workers, log):
        calls.append((scenario, runs, seed))
        log("volumes round 1: 0.001")
        return baseline, fitted

    monkeypatch.setattr(calibration, "fit", quick_fit)
    target = tmp_path / "baseline.toml"
    target.write_text(shipped_scenario_text("baseline-2009-2014"), encoding="utf-8")
    result = invoke("--calibrate", "--runs", "3", "--write", str(target))
    assert result.exit_code == 0, result.output
    assert calls == [("baseline-2009-2014", 3, 0)]
    assert load_scenario(target).decisions.decision_share.at(2013) == 0.5
    assert "wrote the calibrated block" in result.output
