"""The simulator's copy of the real municipality data.

This test reads the project's ``../shared/data`` (beside the checkout) on purpose: it checks
that the packaged copy equals the sources it was made from. Nothing else reads it.
"""

from __future__ import annotations

import csv
import importlib.resources
from pathlib import Path

import numpy as np
from tests.shared_dir import SHARED_DIR, needs_shared

from bosetting.engine.simulation.world import (
    FEWER,
    IN_LINE,
    NO_DECISION,
    NONE,
    council_outcomes,
    load_municipalities,
)

SHARED = SHARED_DIR / "data"


def test_the_world_is_the_428_municipalities_of_2014():
    world = load_municipalities()
    assert world.size == 428
    assert world.population.sum() == 5_109_056  # SSB's national total, 1 January 2014
    oslo = int(np.flatnonzero(world.number == "0301")[0])
    assert world.name[oslo] == "Oslo" and world.county[oslo] == "03"
    assert 0.2 < world.labour_index.min() and world.labour_index.max() < 1.0


def test_national_requests_and_decisions_match_imdi():
    world = load_municipalities()
    assert world.requested.sum(axis=0).tolist() == [8801, 9824, 10973]
    assert np.nansum(world.decided, axis=0).tolist() == [6084, 6529, 8084]


def test_2014_council_outcomes_match_table_2_4_within_one_municipality():
    world = load_municipalities()
    outcome = council_outcomes(world.requested, world.decided)[:, 2]
    counts = [int(np.sum(outcome == k)) for k in (IN_LINE, FEWER, NONE, NO_DECISION)]
    for got, printed in zip(counts, (140, 201, 51, 36), strict=True):
        assert abs(got - printed) <= 1


@needs_shared(
    "data/kommuner_2014_folketall.csv",
    "data/imdi_bosetting_kommune_2012_2014.csv",
    "data/sysselsetting_kommune_2006_2014.csv",
)
def test_the_copy_equals_the_shared_sources():
    copy = importlib.resources.files("bosetting.engine.simulation.data") / "municipalities_2014.csv"
    packaged = {r["municipality_number"]: r for r in _rows(Path(str(copy)))}
    population = {r["kommunenummer"]: r for r in _rows(SHARED / "kommuner_2014_folketall.csv")}
    assert set(packaged) == set(population)
    for number, row in population.items():
        assert packaged[number]["population_2014"] == row["folketall_2014"]
        assert packaged[number]["county_number"] == row["fylkesnummer"]
    for row in _rows(SHARED / "imdi_bosetting_kommune_2012_2014.csv"):
        if row["kommunenummer"] == "9999":
            continue
        mine = packaged[row["kommunenummer"]]
        year = row["aar"]
        assert (mine[f"requested_{year}"], mine[f"decided_{year}"], mine[f"settled_{year}"]) == (
            row["anmodning"], row["vedtak"], row["bosatt"],
        )  # fmt: skip
    for row in _rows(SHARED / "sysselsetting_kommune_2006_2014.csv"):
        if row["aar"] == "2014" and row["kommunenummer"] in packaged:
            assert (
                packaged[row["kommunenummer"]]["employment_rate_immigrants_pct_2014"]
                == row["sysselsettingsandel_prosent_innvandrere"]
            )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
