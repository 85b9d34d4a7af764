"""Calibration of the baseline to the report's Tabell 2.1 and 2.2 (2009–2014).

Report (``calibration_report``): model means against every cell of Tabell 2.1 and the
permit→settlement row of Tabell 2.2, relative errors, and whether each year-over-year trend
direction 2009→2014 is reproduced. Acceptance: every Tabell 2.1 cell of 2012–2014 within 15%,
and every trend direction of the four Tabell 2.1 rows and the Tabell 2.2 permit→settlement
row reproduced. The report's 2014 column is "2014 (nov.)", so 2014 is compared on the same
basis (January–November, stock on 30 November).

Fit (``fit``), a documented two-level method with common random numbers (the same seeds for
every evaluation, so parameter changes are not drowned by noise):

* inner loop — damped fixed-point iteration on the volumes, year by year, one lever per
  count row of Tabell 2.1: ``arrivals.permits_persons[Y]`` moves by the error in the waiting
  stock's change (waiting), ``decisions.decision_share[Y]`` scales with report / model settled
  (quota excluded), and ``self_settlement.monthly_probability[Y]`` scales with model / report
  long-waiters (refugees who find housing on their own leave the queue whatever their wait;
  those without a municipality's agreement are not counted as settled — the report's 9,500
  permits of 2013 (L322) against 6,551 settled leave room for such exits);
* outer loop — coordinate search over the four shape parameters of the waiting-time
  distribution (``SHAPE_PARAMETERS``): ``phases.scale`` (all phase delays),
  ``matching.hard_to_place_monthly_chance``, ``matching.hard_to_place_penalty`` and
  ``matching.selection_noise``; each trial re-fits the volumes (two rounds) and is scored by
  the squared relative errors of the share within 6 months, the long-waiters and the months
  permit→settlement over 2009–2014; a step is kept only if it lowers that loss;
* finally ``phases.case_processing_months[Y]`` is set to the report's case→settlement months
  minus the model's permit→settlement months (2009–2013; the report has no 2014 value).

``write_calibrated`` stores the fitted values in the ``[calibrated]`` block of the scenario
TOML, between the BEGIN/END CALIBRATED markers; everything else in the file is kept.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bosetting.engine.simulation.params import Scenario
from bosetting.engine.simulation.results import SweepResult
from bosetting.engine.simulation.runner import sweep
from bosetting.engine.simulation.scenario import load_scenario, override_parameters

YEARS = (2009, 2010, 2011, 2012, 2013, 2014)

# Tabell 2.1 (L636–648) and Tabell 2.2 (L650–665), as printed. 2014 is "2014 (nov.)".
REPORT_TABLE_2_1: dict[int, dict[str, float]] = {
    2009: {
        "settled": 6087,
        "waiting_dec31": 1407,
        "share_settled_within_6_months_pct": 77,
        "long_waiters": 310,
    },
    2010: {
        "settled": 5797,
        "waiting_dec31": 1627,
        "share_settled_within_6_months_pct": 74,
        "long_waiters": 327,
    },
    2011: {
        "settled": 5486,
        "waiting_dec31": 1967,
        "share_settled_within_6_months_pct": 67,
        "long_waiters": 513,
    },
    2012: {
        "settled": 5742,
        "waiting_dec31": 3829,
        "share_settled_within_6_months_pct": 61,
        "long_waiters": 1554,
    },
    2013: {
        "settled": 6551,
        "waiting_dec31": 5443,
        "share_settled_within_6_months_pct": 50,
        "long_waiters": 2346,
    },
    2014: {
        "settled": 6874,
        "waiting_dec31": 5214,
        "share_settled_within_6_months_pct": 48,
        "long_waiters": 2805,
    },
}
REPORT_TABLE_2_2: dict[int, dict[str, float | None]] = {
    2009: {"months_permit_to_settlement": 5.3, "months_case_to_settlement": 14.3},
    2010: {"months_permit_to_settlement": 5.7, "months_case_to_settlement": 15.7},
    2011: {"months_permit_to_settlement": 6.5, "months_case_to_settlement": 16.8},
    2012: {"months_permit_to_settlement": 6.7, "months_case_to_settlement": 18.5},
    2013: {"months_permit_to_settlement": 8.0, "months_case_to_settlement": 19.9},
    2014: {"months_permit_to_settlement": 8.3, "months_case_to_settlement": None},
}
ROW_LABELS = {
    "settled": "Antall bosatte (settled)",
    "waiting_dec31": "Bosettingsklare i mottak 31.12 (waiting)",
    "share_settled_within_6_months_pct": "Andel bosatt innen 6 md. (%)",
    "long_waiters": "Antall lengeventende (long-waiters)",
    "months_permit_to_settlement": "Ventetid vedtak-bosetting (months)",
    "months_case_to_settlement": "Ventetid saksopprettelse-bosetting (months)",
}
TABLE_2_1_ROWS = ("settled", "waiting_dec31", "share_settled_within_6_months_pct", "long_waiters")
TREND_ROWS = (*TABLE_2_1_ROWS, "months_permit_to_settlement")
TOLERANCE = 0.15
ACCEPTANCE_YEARS = (2012, 2013, 2014)

_MODEL_KEY = {
    "months_permit_to_settlement": "mean_wait_months_permit_to_settlement",
    "months_case_to_settlement": "mean_wait_months_case_to_settlement",
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Cell:
    """One cell of the comparison: model mean against the report's printed value."""

    table: str
    row: str
    year: int
    model: float | None
    report: float | None

    @property
    def relative_error(self) -> float | None:
        """(model − report) / report, or None where either value is missing."""
        if self.model is None or self.report is None or self.report == 0:
            return None
        return (self.model - self.report) / self.report


@dataclass(frozen=True)
class Trend:
    """Direction of one year-over-year change, model against report."""

    row: str
    from_year: int
    to_year: int
    model_change: float
    report_change: float

    @property
    def matches(self) -> bool:
        """Same sign of change (a flat report change accepts any model change)."""
        if self.report_change == 0:
            return True
        return math.copysign(1, self.model_change) == math.copysign(1, self.report_change) and (
            self.model_change != 0
        )


@dataclass(frozen=True)
class CalibrationReport:
    """Model against report for 2009–2014, with the acceptance verdict."""

    cells: list[Cell]
    trends: list[Trend]
    runs: int
    seed: int
    mode: str

    def cell(self, row: str, year: int) -> Cell:
        """The cell of ``row`` in ``year``."""
        return next(c for c in self.cells if c.row == row and c.year == year)

    @property
    def failing_cells(self) -> list[Cell]:
        """Tabell 2.1 cells of 2012–2014 off by more than 15%."""
        return [
            c
            for c in self.cells
            if c.table == "2.1"
            and c.year in ACCEPTANCE_YEARS
            and (c.relative_error is None or abs(c.relative_error) > TOLERANCE)
        ]

    @property
    def failing_trends(self) -> list[Trend]:
        """Year-over-year directions the model gets wrong."""
        return [t for t in self.trends if not t.matches]

    @property
    def passes(self) -> bool:
        """The acceptance criterion."""
        return not self.failing_cells and not self.failing_trends


def _model_value(result: SweepResult, row: str, year: int) -> float | None:
    return result.mean(_MODEL_KEY.get(row, row), year, "report")


def compare(result: SweepResult) -> CalibrationReport:
    """Compare a baseline sweep (2009–2014) with the report."""
    cells: list[Cell] = []
    for year in YEARS:
        for row in TABLE_2_1_ROWS:
            cells.append(
                Cell("2.1", row, year, _model_value(result, row, year), REPORT_TABLE_2_1[year][row])
            )
        for row in ("months_permit_to_settlement", "months_case_to_settlement"):
            cells.append(
                Cell("2.2", row, year, _model_value(result, row, year), REPORT_TABLE_2_2[year][row])
            )
    trends: list[Trend] = []
    for row in TREND_ROWS:
        for a, b in zip(YEARS, YEARS[1:], strict=False):
            ma, mb = _model_value(result, row, a), _model_value(result, row, b)
            report = REPORT_TABLE_2_1 if row in TABLE_2_1_ROWS else REPORT_TABLE_2_2
            ra, rb = report[a][row], report[b][row]
            assert ra is not None and rb is not None
            trends.append(
                Trend(
                    row,
                    a,
                    b,
                    (mb or 0.0) - (ma or 0.0) if ma is not None and mb is not None else 0.0,
                    rb - ra,
                )
            )
    return CalibrationReport(cells, trends, len(result.runs), result.seed, result.mode)


def calibration_report(
    scenario: str | Path | Scenario = "baseline-2009-2014",
    runs: int = 8,
    seed: int = 0,
    workers: int | None = 1,
    mode: str | None = "fast",
    progress: Callable[[int, int], None] | None = None,
) -> CalibrationReport:
    """Run the baseline and compare it with Tabell 2.1 and 2.2.

    Args:
        scenario: the calibrated baseline (name, path or scenario).
        runs: Monte Carlo runs.
        seed: sweep seed.
        workers: processes (1 = in this process).
        mode: matching mode (fast by default).
        progress: ``progress(done_runs, runs)``.
    """
    loaded = load_scenario(scenario)
    if loaded.start_year != YEARS[0] or loaded.years < len(YEARS):
        raise ValueError("the calibration report needs a scenario covering 2009-2014")
    result = sweep(
        loaded,
        runs=runs,
        seed=seed,
        workers=workers,
        mode=mode,
        years=len(YEARS),
        progress=progress,
    )
    return compare(result)


def format_report(report: CalibrationReport) -> list[list[str]]:
    """Rows of a plain table: row label, year, model, report, relative error."""
    rows: list[list[str]] = []
    for cell in report.cells:
        error = cell.relative_error
        rows.append(
            [
                f"{cell.table} {ROW_LABELS[cell.row]}",
                str(cell.year) + (" (nov.)" if cell.year == 2014 else ""),
                "-" if cell.model is None else f"{cell.model:,.1f}",
                "-" if cell.report is None else f"{cell.report:,.1f}",
                "-" if error is None else f"{100 * error:+.1f}%",
            ]
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Fitting


def _evaluate(scenario: Scenario, runs: int, seed: int, workers: int | None) -> SweepResult:
    return sweep(scenario, runs=runs, seed=seed, workers=workers, mode="fast", years=len(YEARS))


def _fit_volumes(
    scenario: Scenario, runs: int, seed: int, workers: int | None, rounds: int, log: Progress
) -> tuple[Scenario, SweepResult]:
    """Inner loop: permits, decision shares and self-settlement to the report's volumes."""
    result = _evaluate(scenario, runs, seed, workers)
    for round_index in range(rounds):
        updates: dict[str, Any] = {}
        previous_error = 0.0
        for year in YEARS:
            target_w = REPORT_TABLE_2_1[year]["waiting_dec31"]
            model_w = result.mean("waiting_dec31", year, "report") or 0.0
            error = target_w - model_w
            permits = scenario.arrivals.permits_persons.at(year)
            step = 0.8 * (error - previous_error) * (12.0 / 11.0 if year == 2014 else 1.0)
            updates[f"arrivals.permits_persons.{year}"] = round(max(permits + step, 0.0))
            previous_error = error

            target_s = REPORT_TABLE_2_1[year]["settled"]
            model_s = result.mean("settled", year, "report") or 0.0
            quota = result.mean("settled_quota", year, "report") or 0.0
            share = scenario.decisions.decision_share.at(year)
            ratio = (target_s - quota) / max(model_s - quota, 1.0)
            updates[f"decisions.decision_share.{year}"] = round(
                min(max(share * (1.0 + 0.8 * (ratio - 1.0)), 0.05), 1.0), 4
            )

            target_l = REPORT_TABLE_2_1[year]["long_waiters"]
            model_l = max(result.mean("long_waiters", year, "report") or 0.0, 1.0)
            hazard = scenario.self_settlement.monthly_probability.at(year)
            updates[f"self_settlement.monthly_probability.{year}"] = round(
                min(max(hazard * (model_l / target_l) ** 0.8, 0.001), 0.5), 5
            )

        scenario = override_parameters(scenario, updates)
        result = _evaluate(scenario, runs, seed, workers)
        log(f"volumes round {round_index + 1}: {_volume_error(result):.3f}")
    return scenario, result


def _volume_error(result: SweepResult) -> float:
    total = 0.0
    for year in YEARS:
        for row in ("settled", "waiting_dec31", "long_waiters"):
            model = result.mean(row, year, "report") or 0.0
            total += ((model - REPORT_TABLE_2_1[year][row]) / REPORT_TABLE_2_1[year][row]) ** 2
    return total


def shape_loss(result: SweepResult) -> float:
    """Squared relative errors of the waiting-time shape over 2009–2014."""
    total = 0.0
    for year in YEARS:
        for row in ("share_settled_within_6_months_pct", "long_waiters"):
            model = result.mean(row, year, "report") or 0.0
            total += ((model - REPORT_TABLE_2_1[year][row]) / REPORT_TABLE_2_1[year][row]) ** 2
        model_m = result.mean("mean_wait_months_permit_to_settlement", year, "report") or 0.0
        report_m = REPORT_TABLE_2_2[year]["months_permit_to_settlement"]
        assert report_m is not None
        total += ((model_m - report_m) / report_m) ** 2
    return total


# Shape parameters of the outer search: (dotted parameter, lower bound, upper bound).
SHAPE_PARAMETERS = (
    ("phases.scale", 0.3, 3.0),
    ("matching.hard_to_place_monthly_chance", 0.01, 1.0),
    ("matching.hard_to_place_penalty", 0.0, 6.0),
    ("matching.selection_noise", 0.0, 12.0),
)


def _shape_value(scenario: Scenario, dotted: str) -> float:
    section, name = dotted.split(".")
    series = getattr(getattr(scenario, section), name)
    return float(series.at(YEARS[0]))


def _with_shape(scenario: Scenario, values: Mapping[str, float]) -> Scenario:
    return override_parameters(
        scenario, {dotted: {str(YEARS[0]): round(value, 4)} for dotted, value in values.items()}
    )


def fit(
    scenario: str | Path | Scenario = "baseline-2009-2014",
    runs: int = 6,
    seed: int = 0,
    workers: int | None = None,
    volume_rounds: int = 4,
    shape_rounds: int = 2,
    log: Progress | None = None,
) -> tuple[Scenario, dict[str, Any]]:
    """Fit the baseline's free parameters (see the module docstring for the method).

    Returns:
        The fitted scenario and the fitted values as a nested dict for :func:`write_calibrated`.
    """
    say: Progress = log or (lambda message: None)
    current = load_scenario(scenario)
    current, result = _fit_volumes(current, runs, seed, workers, volume_rounds, say)
    best_loss = shape_loss(result)
    values = {dotted: _shape_value(current, dotted) for dotted, _, _ in SHAPE_PARAMETERS}
    say(f"start: shape loss {best_loss:.3f} at {values}")
    for round_index in range(shape_rounds):
        step = 0.3 / (round_index + 1)
        for dotted, low, high in SHAPE_PARAMETERS:
            improved = True
            while improved:
                improved = False
                for direction in (-1.0, 1.0):
                    trial = dict(values)
                    base = values[dotted]
                    moved = (
                        base * (1.0 + direction * step) if base > 0.05 else base + direction * step
                    )
                    trial[dotted] = min(max(moved, low), high)
                    if trial[dotted] == base:
                        continue
                    candidate, outcome = _fit_volumes(
                        _with_shape(current, trial), runs, seed, workers, 3, say
                    )
                    loss = shape_loss(outcome)
                    say(f"try {dotted} = {trial[dotted]:.4f}: shape loss {loss:.3f}")
                    if loss < best_loss - 1e-4:
                        best_loss, current, result, values = loss, candidate, outcome, trial
                        improved = True
                        break
    current, result = _fit_volumes(current, runs, seed, workers, 2, say)
    say(f"final: shape loss {shape_loss(result):.3f} at {values}")
    case_months: dict[str, float] = {}
    for year in YEARS:
        report_case = REPORT_TABLE_2_2[year]["months_case_to_settlement"]
        if report_case is None:
            continue
        model_wait = result.mean("mean_wait_months_permit_to_settlement", year, "report") or 0.0
        case_months[str(year)] = round(max(report_case - model_wait, 0.0), 2)
    current = override_parameters(current, {"phases.case_processing_months": case_months})
    return current, calibrated_values(current)


def calibrated_values(scenario: Scenario) -> dict[str, Any]:
    """The fitted parameters of a scenario, as the nested dict of the calibrated block."""
    return {
        "arrivals.permits_persons": {
            str(y): round(scenario.arrivals.permits_persons.at(y)) for y in YEARS
        },
        "decisions.decision_share": {
            str(y): round(scenario.decisions.decision_share.at(y), 4) for y in YEARS
        },
        "self_settlement.monthly_probability": {
            str(y): round(scenario.self_settlement.monthly_probability.at(y), 5) for y in YEARS
        },
        "phases.scale": {str(YEARS[0]): round(scenario.phases.scale.at(YEARS[0]), 4)},
        "matching.hard_to_place_monthly_chance": {
            str(YEARS[0]): round(scenario.matching.hard_to_place_monthly_chance.at(YEARS[0]), 4)
        },
        "matching.hard_to_place_penalty": {
            str(YEARS[0]): round(scenario.matching.hard_to_place_penalty.at(YEARS[0]), 4)
        },
        "matching.selection_noise": {
            str(YEARS[0]): round(scenario.matching.selection_noise.at(YEARS[0]), 4)
        },
        "phases.case_processing_months": {
            str(y): round(scenario.phases.case_processing_months.at(y), 2) for y in YEARS[:-1]
        },
    }


BEGIN_MARKER = "# --- BEGIN CALIBRATED"
END_MARKER = "# --- END CALIBRATED ---"


def _toml_value(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def calibrated_block(values: Mapping[str, Mapping[str, Any]]) -> str:
    """The TOML text of the calibrated block (markers included); every value is a year table."""
    lines = [
        f"{BEGIN_MARKER} (written by bosetting.engine.simulation.calibration; do not edit by hand) ---"
    ]
    for dotted, table in values.items():
        lines += ["", f"[{dotted}]"]
        lines += [f"{year} = {_toml_value(value)}" for year, value in table.items()]
    lines.append(END_MARKER)
    return "\n".join(lines) + "\n"


def write_calibrated(path: str | Path, values: Mapping[str, Mapping[str, Any]]) -> None:
    """Replace the calibrated block of a scenario TOML file with ``values``."""
    target = Path(path)
    text = target.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN_MARKER) + r".*?" + re.escape(END_MARKER) + r"\n?", re.S)
    if not pattern.search(text):
        raise ValueError(f"{target}: no calibrated block between the markers")
    target.write_text(pattern.sub(lambda _m: calibrated_block(values), text), encoding="utf-8")
