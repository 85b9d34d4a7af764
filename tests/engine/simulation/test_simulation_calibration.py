"""The shipped baseline: calibrated on 2009–2012 with structural parameters, and run on 2013–2014
without refitting (out of sample). The figures are in docs/simulation.md; these tests keep what
the calibration claims: the calibration window fits, the out-of-sample years are predicted, not
fitted, and the Monte Carlo error is small beside the errors reported."""

from __future__ import annotations

import math

import pytest

from bosetting.engine.simulation import load_scenario
from bosetting.engine.simulation.calibration import (
    BEGIN_MARKER,
    DEFAULT_REPORT_RUNS,
    END_MARKER,
    PERMITS_FROM_REPORT,
    TOLERANCE,
    VALIDATION_YEARS,
    calibrated_values,
    calibration_report,
    write_calibrated,
)
from bosetting.engine.simulation.scenario import shipped_scenario_text

RUNS = 8


@pytest.fixture(scope="module")
def report():
    return calibration_report("baseline-2009-2014", runs=RUNS, seed=0, workers=1, mode="fast")


def test_the_calibration_window_fits_the_queue_and_the_waiting_times(report):
    # 2009-2012: the waiting stock every year, and every Tabell 2.1 cell of 2012 (the year the
    # queue builds up), within the tolerance.
    for year in (2009, 2010, 2011, 2012):
        cell = report.cell("waiting_dec31", year)
        assert abs(cell.relative_error) <= TOLERANCE, (cell.year, cell.model, cell.report)
    for row in ("settled", "waiting_dec31", "share_settled_within_6_months_pct", "long_waiters"):
        cell = report.cell(row, 2012)
        assert abs(cell.relative_error) <= TOLERANCE, (row, cell.model, cell.report)


def test_2013_and_2014_are_out_of_sample_and_their_errors_reported(report):
    out = report.out_of_sample_cells
    assert [(c.row, c.year) for c in out if c.year == 2013] == [
        ("settled", 2013),
        ("waiting_dec31", 2013),
        ("share_settled_within_6_months_pct", 2013),
        ("long_waiters", 2013),
    ]
    assert len(out) == 8 and all(c.relative_error is not None for c in out)
    # Predicted without refitting: the persons settled within 10% in both years, and the
    # direction of every change 2012->2013->2014 of the five rows.
    for year in VALIDATION_YEARS:
        assert abs(report.cell("settled", year).relative_error) <= 0.10
    later = [t for t in report.trends if t.from_year >= 2012]
    assert len(later) == 10 and all(t.matches for t in later), [
        (t.row, t.from_year) for t in later if not t.matches
    ]


def test_the_monte_carlo_error_is_reported_and_small_at_the_default_runs(report):
    cells = [c for c in report.cells if c.table == "2.1"]
    assert all(c.standard_error is not None and c.standard_error > 0 for c in cells)
    # The standard error falls with the square root of the runs: at the default the largest is
    # well below the tolerance, so the report's verdict does not turn on the draw.
    at_default = report.max_relative_standard_error * math.sqrt(RUNS / DEFAULT_REPORT_RUNS)
    assert DEFAULT_REPORT_RUNS >= 40 and at_default < TOLERANCE / 5


def test_nothing_is_fitted_to_the_out_of_sample_years():
    values = calibrated_values(load_scenario("baseline-2009-2014"))
    permits = values["arrivals.permits_persons"]
    for year in VALIDATION_YEARS:
        assert permits[str(year)] == PERMITS_FROM_REPORT[year]  # the report's figure, as data
    for dotted in (
        "decisions.decision_share",
        "self_settlement.monthly_probability",
        "phases.case_processing_months",
    ):
        assert list(values[dotted]) == ["2009"], dotted  # one structural value for every year
    decided = load_scenario("baseline-2009-2014").decisions.decided_persons
    assert decided == {"2012": 6084, "2013": 6529, "2014": 8084}  # IMDi's decisions, as data


def test_the_report_has_the_printed_values(report):
    assert report.cell("settled", 2014).report == 6874
    assert report.cell("long_waiters", 2009).report == 310
    assert report.cell("months_permit_to_settlement", 2013).report == 8.0
    assert report.cell("months_case_to_settlement", 2014).report is None


def test_writing_the_calibrated_block_keeps_the_rest_of_the_file(tmp_path):
    path = tmp_path / "baseline.toml"
    text = shipped_scenario_text("baseline-2009-2014")
    path.write_text(text, encoding="utf-8")
    values = calibrated_values(load_scenario("baseline-2009-2014"))
    values["arrivals.permits_persons"]["2013"] = 1234
    write_calibrated(path, values)
    written = path.read_text(encoding="utf-8")
    assert written.split(BEGIN_MARKER)[0] == text.split(BEGIN_MARKER)[0]
    assert written.rstrip().endswith(END_MARKER)
    changed = load_scenario(path)
    assert changed.arrivals.permits_persons.at(2013) == 1234
    assert changed.arrivals.permits_persons.at(2012) == load_scenario(
        "baseline-2009-2014"
    ).arrivals.permits_persons.at(2012)
