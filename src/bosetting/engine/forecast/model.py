"""The forecast method: a quantile regression on the year's decision and the municipality's record.

Features of a municipality in the forecast year ``Y`` (all in persons), with its *record* the mean
over the years ``Y-2`` and ``Y-1`` it has figures for:

1. the council's decision for ``Y`` (0 without a decision);
2. with a decision: the persons it settled in the record years;
3. with a decision: the persons it decided in the record years;
4. without a decision: the persons it settled in the record years (some settle without one);
5. without a decision: IMDi's request for ``Y``.

No intercept: a municipality with nothing requested, decided or settled is forecast 0. The
coefficients are fitted by quantile regression (pinball loss, a linear programme solved by HiGHS
through scipy) at the 10th, 50th and 90th percentiles on every earlier year that has a record
before it — for 2014 that is 2013 with 2012 as its record: trained on earlier years only. The
median is the forecast (it minimises the absolute error, the measure the issue judges by); the
10th and 90th percentiles are the band.

The band of a sum over many municipalities (a county, the country) is not the sum of their
bands: :func:`band_of_sum` adds their spreads as independent, plus a shock common to all of them
— how much the national ratio settled / decided moved between the earlier years
(``ForecastModel.national_relative_sd``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

QUANTILES = (0.1, 0.5, 0.9)
Z90 = 1.2816  # the standard normal's 90th percentile: a 10–90 % band is ±Z90 standard deviations
DEFAULT_NATIONAL_RELATIVE_SD = 0.03  # with fewer than two earlier years to measure it
RECORD_YEARS = 2  # years before the forecast year that make up a municipality's record
FEATURES = (
    "decided",
    "record_settled_with_decision",
    "record_decided_with_decision",
    "record_settled_without_decision",
    "requested_without_decision",
)


@dataclass(frozen=True)
class YearRecord:
    """One municipality's figures for one year: IMDi's request ("anmodning"), the council's
    decision ("vedtak", None = no decision registered) and the persons settled ("bosatte", None =
    not known yet)."""

    number: str
    year: int
    requested: int | None
    decided: int | None
    settled: int | None = None


@dataclass(frozen=True)
class Forecast:
    """The forecast of one municipality: persons settled over the year, median and 10–90 % band."""

    number: str
    settled: float
    p10: float
    p90: float


@dataclass(frozen=True)
class ForecastModel:
    """Fitted coefficients, one row of ``FEATURES`` per quantile of ``QUANTILES``.

    Attributes:
        coefficients: shape (3, 5).
        trained_on: the target years the model was fitted on.
        rows: the training rows (municipality-years).
    """

    coefficients: NDArray[np.float64]
    trained_on: tuple[int, ...]
    rows: int
    national_relative_sd: float = DEFAULT_NATIONAL_RELATIVE_SD

    def explain(self) -> dict[str, float]:
        """The median's coefficients by feature name."""
        return {name: float(c) for name, c in zip(FEATURES, self.coefficients[1], strict=True)}


def history_of(
    records: Iterable[YearRecord],
) -> dict[str, dict[int, YearRecord]]:
    """Records by municipality number and year."""
    history: dict[str, dict[int, YearRecord]] = {}
    for record in records:
        history.setdefault(record.number, {})[record.year] = record
    return history


def _record(by_year: Mapping[int, YearRecord], year: int) -> tuple[float, float] | None:
    """Mean settled and decided over the record years before ``year``; None without any."""
    years = [
        by_year[y]
        for y in range(year - RECORD_YEARS, year)
        if y in by_year and by_year[y].settled is not None
    ]
    if not years:
        return None
    settled = sum(r.settled or 0 for r in years) / len(years)
    decided = sum(r.decided or 0 for r in years) / len(years)
    return settled, decided


def features(
    requested: int | None, decided: int | None, record: tuple[float, float] | None
) -> NDArray[np.float64]:
    """The feature vector of one municipality (see the module docstring)."""
    settled_before, decided_before = record or (0.0, 0.0)
    if decided is not None:
        return np.array([float(decided), settled_before, decided_before, 0.0, 0.0])
    return np.array([0.0, 0.0, 0.0, settled_before, float(requested or 0)])


def _quantile_regression(x: NDArray[np.float64], y: NDArray[np.float64], tau: float) -> NDArray:
    """Coefficients minimising the pinball loss at ``tau`` (a linear programme).

    Variables: the coefficients ``b`` (free), the positive and negative residuals ``u``, ``v``;
    minimise ``tau·Σu + (1−tau)·Σv`` subject to ``x·b + u − v = y``."""
    n, m = x.shape
    cost = np.concatenate([np.zeros(m), np.full(n, tau), np.full(n, 1.0 - tau)])
    equality = np.hstack([x, np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * m + [(0.0, None)] * (2 * n)
    solved = linprog(cost, A_eq=equality, b_eq=y, bounds=bounds, method="highs")
    if not solved.success:  # pragma: no cover - a feasible LP always solves
        raise RuntimeError(f"quantile regression failed: {solved.message}")
    return np.asarray(solved.x[:m], dtype=np.float64)


def training_rows(
    records: Iterable[YearRecord], before: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], tuple[int, ...]]:
    """Feature rows and settled counts of every municipality-year before ``before`` that has a
    record (figures in one of the two years before it) and a settled count."""
    history = history_of(records)
    xs: list[NDArray[np.float64]] = []
    ys: list[float] = []
    years: set[int] = set()
    for by_year in history.values():
        for year, record in by_year.items():
            if year >= before or record.settled is None:
                continue
            past = _record(by_year, year)
            if past is None:
                continue
            xs.append(features(record.requested, record.decided, past))
            ys.append(float(record.settled))
            years.add(year)
    if not xs:
        return np.zeros((0, len(FEATURES))), np.zeros(0), ()
    return np.vstack(xs), np.array(ys), tuple(sorted(years))


def fit(records: Iterable[YearRecord], year: int) -> ForecastModel:
    """Fit the model for forecast year ``year`` on every earlier year (never on ``year`` or later).

    Raises:
        ValueError: when no earlier year has both figures and a record before it.
    """
    x, y, years = training_rows(records, year)
    if x.shape[0] == 0:
        raise ValueError(
            f"no year before {year} has settled figures and a record before it to train on"
        )
    coefficients = np.vstack([_quantile_regression(x, y, tau) for tau in QUANTILES])
    return ForecastModel(coefficients, years, int(x.shape[0]), national_relative_sd(records, year))


def national_relative_sd(records: Iterable[YearRecord], before: int) -> float:
    """The standard deviation, over the years before ``before`` with decisions and settled counts,
    of the national ratio settled / decided (a shock common to every municipality)."""
    totals: dict[int, list[float]] = {}
    for r in records:
        if r.year < before and r.settled is not None:
            entry = totals.setdefault(r.year, [0.0, 0.0])
            entry[0] += r.settled
            entry[1] += r.decided or 0
    ratios = [settled / decided for settled, decided in totals.values() if decided > 0]
    if len(ratios) < 2:
        return DEFAULT_NATIONAL_RELATIVE_SD
    return float(np.std(ratios, ddof=1))


def band_of_sum(
    rows: Iterable[tuple[float, float, float]], relative_sd: float, floor: float = 0.0
) -> tuple[float, float]:
    """The 10–90 % band of a sum of forecasts ``(p10, median, p90)``: their spreads added as
    independent, plus the common shock ``relative_sd`` of the total; never below ``floor`` (what
    is known already)."""
    rows = list(rows)
    total = sum(mid for _, mid, _ in rows)
    variance = sum(((high - low) / (2 * Z90)) ** 2 for low, _, high in rows)
    spread = Z90 * float(np.sqrt(variance + (relative_sd * total) ** 2))
    return max(total - spread, floor), total + spread


def forecast(
    model: ForecastModel,
    year: int,
    this_year: Sequence[YearRecord],
    records: Iterable[YearRecord],
) -> list[Forecast]:
    """The forecast of each municipality in ``this_year`` (its request and decision for ``year``),
    from its record in ``records`` (earlier years; settled counts of ``year`` are never read)."""
    history = history_of(r for r in records if r.year < year)
    result = []
    for row in this_year:
        x = features(row.requested, row.decided, _record(history.get(row.number, {}), year))
        values = np.maximum(model.coefficients @ x, 0.0)
        low, mid, high = np.sort(values)
        result.append(Forecast(row.number, float(mid), float(low), float(high)))
    return result
