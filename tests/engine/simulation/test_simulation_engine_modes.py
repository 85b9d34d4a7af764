"""Matching in the loop with the real matching engine (greedy and full modes)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.simulation.simulation_worlds import tiny_scenario, tiny_world

from bosetting.engine.matching import check_assignment, parse_instance
from bosetting.engine.simulation import load_scenario, run
from bosetting.engine.simulation.engine_bridge import build_instance, month_date
from bosetting.engine.simulation.households import POOL
from bosetting.engine.simulation.model import Simulation


@pytest.mark.parametrize("mode", ["greedy", "full"])
def test_engine_modes_settle_within_the_councils_decisions(mode):
    scenario = tiny_scenario(years=1, matching={"time_limit_seconds": 2.0})
    result = run(scenario, seed=8, mode=mode, municipalities=tiny_world())
    metrics = result.years[2012]
    assert result.mode == mode
    assert metrics["proposals"] > 50
    assert 0 < metrics["settled"] - metrics["self_settled"] <= metrics["decided_persons"]


def test_fast_and_engine_modes_tell_the_same_story():
    world = tiny_world()
    scenario = tiny_scenario(years=1)
    fast = run(scenario, seed=9, mode="fast", municipalities=world).years[2012]
    greedy = run(scenario, seed=9, mode="greedy", municipalities=world).years[2012]
    assert greedy["settled"] == pytest.approx(fast["settled"], rel=0.35)


def test_the_monthly_instance_follows_the_exchange_format():
    simulation = Simulation(
        load_scenario(tiny_scenario(years=1)), seed=10, municipalities=tiny_world()
    )
    for month in range(4):
        simulation.step(month)
    hh = simulation.hh
    pool = np.flatnonzero(hh.status == POOL)
    units = simulation._vacant_units(4.0)
    capacity = simulation.decisions.available(4.0) + 5
    instance, unit_map = build_instance(simulation, pool, units, 4.0, capacity, capacity * 0.1)
    assert instance["format"] == "bosetting.matching/1"
    assert instance["as_of"] == "2012-05-01"
    parsed = parse_instance(instance)  # the engine's own validation of the contract
    assert len(parsed.households) == pool.shape[0]
    assert {u["id"] for u in instance["units"]} == set(unit_map)
    # An empty assignment is valid; the ids the simulator writes are the engine's ids.
    assert check_assignment(parsed, []) == []


def test_month_dates():
    assert month_date(2012, 0.0).isoformat() == "2012-01-01"
    assert month_date(2012, 13.5).isoformat() == "2013-02-15"
    assert month_date(2012, 11.999).isoformat() == "2012-12-31"
