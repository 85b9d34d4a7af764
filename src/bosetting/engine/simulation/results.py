"""Results of runs and sweeps, and their JSON form.

The JSON of a sweep (``SweepResult.to_json()``, written by ``bosetting simulate --out``) has
exactly these top-level keys:

``format``, ``scenario``, ``description``, ``parameters``, ``policy_start``, ``seed``,
``runs``, ``mode``, ``workers``, ``scheduler``, ``wall_seconds``, ``period``, ``years``,
``table_2_1``, ``table_2_2``, ``report_basis``, ``monthly``, ``table_notes``.

One period everywhere: ``years``, ``table_2_1``, ``table_2_2`` and ``monthly`` are calendar
years (January–December, stocks on 31 December) — what the command line's table, the web table
and the web charts show. ``years`` holds, per year (string keys), every metric of :mod:`metrics`
as ``{"mean", "se", "p05", "p95"}`` over the Monte Carlo runs (``se`` the Monte Carlo standard
error of the mean). ``table_2_1`` and ``table_2_2`` hold the means in the layout and keys of the
report's Tabell 2.1 and 2.2. Only ``report_basis`` follows the report's own columns, for
comparing with the printed tables: its 2014 is "2014 (nov.)", January–November with the stock
on 30 November. A value the model cannot give (nobody settled in the window) is ``null``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from bosetting.engine.simulation.metrics import ALL_METRICS
from bosetting.engine.simulation.params import Scenario

RESULT_FORMAT = "bosetting.simulation/2"
# Years whose report column stops early: year -> months covered (Tabell 2.1/2.2 "2014 (nov.)").
REPORT_PARTIAL_YEARS = {2014: 11}
TABLE_2_1_KEYS = ("settled", "waiting_dec31", "share_settled_within_6_months_pct", "long_waiters")
TABLE_2_2_KEYS = ("months_permit_to_settlement", "months_case_to_settlement")
PERIOD = "calendar years: January-December, stocks on 31 December"
TABLE_NOTES = (
    "years, table_2_1, table_2_2 and monthly are calendar years (January-December, stocks on "
    "31 December). report_basis follows the report's columns for comparison with the printed "
    "tables: its 2014 is January-November with the stock on 30 November ('2014 (nov.)'). "
    "Values are Monte Carlo means (se: their standard error); null where the model gives no value."
)


@dataclass
class RunResult:
    """The figures of one seeded run.

    Attributes:
        scenario_name: the scenario's name.
        seed: the sweep seed.
        run_index: the run's index within the sweep.
        mode: matching mode used.
        years: calendar-year metrics, ``{year: {metric: value}}``.
        report_basis: metrics on the report's basis (2014 to November), same shape.
        monthly: month-end series (``waiting``, ``settled``) from the first reported month.
        first_month: ``"YYYY-MM"`` of the first monthly value.
        wall_seconds: time the run took.
        engine_seconds: of that, time spent in the matching engine.
    """

    scenario_name: str
    seed: int
    run_index: int
    mode: str
    years: dict[int, dict[str, float]]
    report_basis: dict[int, dict[str, float]]
    monthly: dict[str, list[float]]
    first_month: str
    wall_seconds: float
    engine_seconds: float = 0.0

    def metric(self, name: str, year: int) -> float:
        """One calendar-year metric."""
        return self.years[year][name]


def _clean(value: float, digits: int = 3) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def band(values: list[float]) -> dict[str, float | None]:
    """Monte Carlo mean, its standard error and the 90% band (5th and 95th percentile), ignoring
    missing values (the standard error needs two runs)."""
    array = np.array([v for v in values if v is not None and not math.isnan(v)], dtype=np.float64)
    if array.shape[0] == 0:
        return {"mean": None, "se": None, "p05": None, "p95": None}
    se = float(array.std(ddof=1) / math.sqrt(array.shape[0])) if array.shape[0] > 1 else None
    return {
        "mean": _clean(float(array.mean())),
        "se": _clean(se) if se is not None else None,
        "p05": _clean(float(np.percentile(array, 5))),
        "p95": _clean(float(np.percentile(array, 95))),
    }


def _month_labels(first_month: str, count: int) -> list[str]:
    year, month = (int(p) for p in first_month.split("-"))
    labels = []
    for i in range(count):
        y, m = divmod(month - 1 + i, 12)
        labels.append(f"{year + y:04d}-{m + 1:02d}")
    return labels


@dataclass
class SweepResult:
    """Many seeded runs of one scenario (a Monte Carlo sweep).

    Attributes:
        scenario: the scenario that was run.
        seed: the sweep seed; run ``i`` uses stream ``(seed, i)``.
        runs: the runs, ordered by run index.
        mode: matching mode.
        workers: processes or Dask workers used.
        scheduler: ``"serial"``, ``"processes"`` or the Dask scheduler address.
        wall_seconds: time the sweep took.
    """

    scenario: Scenario
    seed: int
    runs: list[RunResult]
    mode: str
    workers: int = 1
    scheduler: str = "serial"
    wall_seconds: float = 0.0

    @property
    def year_list(self) -> list[int]:
        """The reported calendar years."""
        return sorted(self.runs[0].years) if self.runs else []

    def values(self, metric: str, year: int, basis: str = "calendar") -> list[float]:
        """One metric of one year over all runs (``basis`` ``"calendar"`` or ``"report"``)."""
        source = "years" if basis == "calendar" else "report_basis"
        return [getattr(run, source)[year][metric] for run in self.runs]

    def mean(self, metric: str, year: int, basis: str = "calendar") -> float | None:
        """Monte Carlo mean of one metric in one year."""
        return band(self.values(metric, year, basis))["mean"]

    def summary(self) -> dict[str, dict[str, dict[str, float | None]]]:
        """``{"2009": {metric: {"mean", "p05", "p95"}}}`` for every calendar year."""
        return {
            str(year): {metric: band(self.values(metric, year)) for metric in ALL_METRICS}
            for year in self.year_list
        }

    def table_2_1(self, basis: str = "calendar") -> dict[str, dict[str, float | None]]:
        """Means in the layout and keys of the report's Tabell 2.1 (calendar years; ``basis``
        ``"report"`` for the report's columns, 2014 to November)."""
        return {
            str(year): {key: self.mean(key, year, basis) for key in TABLE_2_1_KEYS}
            for year in self.year_list
        }

    def table_2_2(self, basis: str = "calendar") -> dict[str, dict[str, float | None]]:
        """Means in the layout and keys of the report's Tabell 2.2 (see :meth:`table_2_1`)."""
        return {
            str(year): {
                "months_permit_to_settlement": self.mean(
                    "mean_wait_months_permit_to_settlement", year, basis
                ),
                "months_case_to_settlement": self.mean(
                    "mean_wait_months_case_to_settlement", year, basis
                ),
            }
            for year in self.year_list
        }

    def monthly(self) -> dict[str, Any]:
        """Month-end waiting and monthly settled: mean and band per month."""
        if not self.runs:
            return {"months": [], "waiting": [], "settled": []}
        count = len(self.runs[0].monthly["waiting"])
        series: dict[str, Any] = {"months": _month_labels(self.runs[0].first_month, count)}
        for name in ("waiting", "settled"):
            per_month = [band([run.monthly[name][i] for run in self.runs]) for i in range(count)]
            series[name] = {k: [m[k] for m in per_month] for k in ("mean", "p05", "p95")}
        return series

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON-ready dict (see the module docstring for its keys)."""
        return {
            "format": RESULT_FORMAT,
            "scenario": self.scenario.name,
            "description": self.scenario.description,
            "parameters": self.scenario.to_dict(),
            "policy_start": self.scenario.policy_start or None,
            "seed": self.seed,
            "runs": len(self.runs),
            "mode": self.mode,
            "workers": self.workers,
            "scheduler": self.scheduler,
            "wall_seconds": round(self.wall_seconds, 3),
            "period": PERIOD,
            "years": self.summary(),
            "table_2_1": self.table_2_1(),
            "table_2_2": self.table_2_2(),
            "report_basis": {
                "table_2_1": self.table_2_1("report"),
                "table_2_2": self.table_2_2("report"),
                "months": {str(y): m for y, m in REPORT_PARTIAL_YEARS.items()},
            },
            "monthly": self.monthly(),
            "table_notes": TABLE_NOTES,
        }

    def to_json(self, indent: int | None = 2) -> str:
        """The result as JSON text."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)
