"""The shipped baseline reproduces the report's Tabell 2.1 and 2.2 (2009–2014)."""

from __future__ import annotations

import pytest

from bosetting.engine.simulation import load_scenario
from bosetting.engine.simulation.calibration import (
    BEGIN_MARKER,
    END_MARKER,
    TOLERANCE,
    calibrated_values,
    calibration_report,
    write_calibrated,
)
from bosetting.engine.simulation.scenario import shipped_scenario_text


@pytest.fixture(scope="module")
def report():
    return calibration_report("baseline-2009-2014", runs=8, seed=0, workers=1, mode="fast")


def test_every_table_2_1_cell_2012_to_2014_is_within_15_percent(report):
    cells = [c for c in report.cells if c.table == "2.1" and c.year >= 2012]
    assert len(cells) == 12
    for cell in cells:
        assert abs(cell.relative_error) <= TOLERANCE, (cell.row, cell.year, cell.model, cell.report)


def test_every_trend_direction_2009_to_2014_is_reproduced(report):
    assert len(report.trends) == 5 * 5
    wrong = [(t.row, t.from_year, t.to_year) for t in report.trends if not t.matches]
    assert wrong == []
    assert report.passes


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
