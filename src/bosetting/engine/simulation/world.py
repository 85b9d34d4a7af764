"""The real 2014 municipality list and the behaviour each council showed in 2012–2014.

Data: ``data/municipalities_2014.csv`` (SSB population and employment, IMDi requests,
decisions and settled; see ``data/SOURCES.md``).
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DATA_YEARS = (2012, 2013, 2014)

# Council outcome categories (Tabell 2.4).
IN_LINE, FEWER, NONE, NO_DECISION = 0, 1, 2, 3
OUTCOME_NAMES = ("in_line", "fewer", "none", "no_decision")
# Table 2.4, 2014 column: 140 in line, 201 fewer, 51 none, 36 no decision, of 428.
NATIONAL_OUTCOME_SHARES = np.array([140.0, 201.0, 51.0, 36.0]) / 428.0


@dataclass(frozen=True)
class Municipalities:
    """The municipalities of the simulated country (kommuner), as parallel arrays.

    Attributes:
        number: municipality numbers (``"0301"``).
        name: names.
        county: two-digit county numbers.
        population: residents 1 January 2014.
        requested: persons requested, shape (n, 3) for 2012–2014.
        decided: persons decided, shape (n, 3); NaN where no decision was registered.
        settled: persons settled, shape (n, 3).
        labour_index: immigrants' employment rate 2014 as a 0..1 index.
        outcome_probs: smoothed probabilities of the four council outcomes, shape (n, 4).
        partial_mean: mean decided/requested ratio when the council takes fewer, shape (n,).
        n_zones: neighbourhood zones (for dispersal), by population.
        services: per municipality, the special services it offers.
    """

    number: NDArray[np.str_]
    name: NDArray[np.str_]
    county: NDArray[np.str_]
    county_name: NDArray[np.str_]
    population: NDArray[np.float64]
    requested: NDArray[np.float64]
    decided: NDArray[np.float64]
    settled: NDArray[np.float64]
    labour_index: NDArray[np.float64]
    outcome_probs: NDArray[np.float64]
    partial_mean: NDArray[np.float64]
    n_zones: NDArray[np.int64]
    has_health_services: NDArray[np.bool_]

    @property
    def size(self) -> int:
        """Number of municipalities."""
        return int(self.population.shape[0])

    def request_key(self, year: int) -> NDArray[np.float64]:
        """Each municipality's share of the national request in ``year``.

        Uses IMDi's real distribution of the nearest data year (2012 before 2012, 2014 after).
        """
        column = min(max(year, DATA_YEARS[0]), DATA_YEARS[-1]) - DATA_YEARS[0]
        key = self.requested[:, column].copy()
        return key / key.sum()

    def population_key(self) -> NDArray[np.float64]:
        """Each municipality's share of the national population."""
        return self.population / self.population.sum()

    def subset(self, index: NDArray[np.int64]) -> Municipalities:
        """Only the municipalities at ``index`` (for tiny test worlds)."""
        return Municipalities(
            **{
                name: getattr(self, name)[index]
                for name in self.__dataclass_fields__  # all fields are arrays over municipalities
            }
        )


def _read_rows() -> list[dict[str, str]]:
    resource = importlib.resources.files("bosetting.engine.simulation.data").joinpath(
        "municipalities_2014.csv"
    )
    return list(csv.DictReader(io.StringIO(resource.read_text(encoding="utf-8"), newline="")))


def _number(text: str) -> float:
    return float(text) if text.strip() else np.nan


def council_outcomes(
    requested: NDArray[np.float64], decided: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Classify each (municipality, year) into the Table 2.4 outcome; -1 where not requested."""
    outcome = np.full(requested.shape, -1, dtype=np.int64)
    asked = requested > 0
    no_decision = asked & np.isnan(decided)
    with np.errstate(invalid="ignore"):
        none = asked & (decided == 0)
        in_line = asked & (decided >= requested)
        fewer = asked & (decided > 0) & (decided < requested)
    outcome[in_line] = IN_LINE
    outcome[fewer] = FEWER
    outcome[none] = NONE
    outcome[no_decision] = NO_DECISION
    return outcome


@functools.cache
def load_municipalities(prior_strength: float = 3.0) -> Municipalities:
    """The 428 municipalities of 2014 with their observed council behaviour.

    Council outcome probabilities are the municipality's own 2012–2014 outcome counts smoothed
    towards the national 2014 shares of Table 2.4 with a Dirichlet prior of weight
    ``prior_strength``; the partial-acceptance ratio is smoothed the same way.
    """
    rows = _read_rows()
    requested = np.array(
        [[_number(r[f"requested_{y}"]) for y in DATA_YEARS] for r in rows], dtype=np.float64
    )
    requested = np.nan_to_num(requested, nan=0.0)
    decided = np.array(
        [[_number(r[f"decided_{y}"]) for y in DATA_YEARS] for r in rows], dtype=np.float64
    )
    settled = np.array(
        [[_number(r[f"settled_{y}"]) for y in DATA_YEARS] for r in rows], dtype=np.float64
    )
    settled = np.nan_to_num(settled, nan=0.0)
    population = np.array([float(r["population_2014"]) for r in rows])
    immigrant_rate = np.array(
        [_number(r["employment_rate_immigrants_pct_2014"]) for r in rows], dtype=np.float64
    )
    all_rate = np.array([_number(r["employment_rate_all_pct_2014"]) for r in rows])
    labour_index = np.where(np.isnan(immigrant_rate), all_rate, immigrant_rate) / 100.0

    outcome = council_outcomes(requested, decided)
    counts = np.stack([(outcome == k).sum(axis=1) for k in range(4)], axis=1).astype(np.float64)
    probs = counts + prior_strength * NATIONAL_OUTCOME_SHARES
    probs /= probs.sum(axis=1, keepdims=True)

    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(outcome == FEWER, decided / np.where(requested > 0, requested, 1), np.nan)
    national_partial = float(np.nanmean(ratio))
    n_partial = np.sum(~np.isnan(ratio), axis=1)
    sum_partial = np.nansum(ratio, axis=1)
    partial_mean = (sum_partial + prior_strength * national_partial) / (n_partial + prior_strength)

    n_zones = np.clip(1 + population // 20000, 1, 10).astype(np.int64)
    has_health = population >= 20000

    return Municipalities(
        number=np.array([r["municipality_number"] for r in rows]),
        name=np.array([r["name"] for r in rows]),
        county=np.array([r["county_number"] for r in rows]),
        county_name=np.array([r["county_name"] for r in rows]),
        population=population,
        requested=requested,
        decided=decided,
        settled=settled,
        labour_index=labour_index,
        outcome_probs=probs,
        partial_mean=np.clip(partial_mean, 0.05, 0.95),
        n_zones=n_zones,
        has_health_services=has_health,
    )


def municipality_count() -> int:
    """Number of municipalities in the shipped list (428)."""
    return load_municipalities().size


__all__ = [
    "DATA_YEARS",
    "FEWER",
    "IN_LINE",
    "Municipalities",
    "NONE",
    "NO_DECISION",
    "OUTCOME_NAMES",
    "council_outcomes",
    "load_municipalities",
    "municipality_count",
]
