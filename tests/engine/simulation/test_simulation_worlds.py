"""Tiny worlds whose outcome is known by hand."""

from __future__ import annotations

import numpy as np
from tests.engine.simulation.simulation_worlds import (
    NO_HOUSING,
    tiny_scenario,
    tiny_world,
    unlimited_scenario,
)

from bosetting.engine.simulation import load_scenario, run
from bosetting.engine.simulation.households import SETTLED
from bosetting.engine.simulation.model import Simulation


def test_nobody_is_settled_without_housing():
    scenario = tiny_scenario(housing=NO_HOUSING, self_settlement={"monthly_probability": 0.0})
    result = run(scenario, seed=1, municipalities=tiny_world())
    for year in (2012, 2013):
        assert result.years[year]["settled"] == 0
        assert result.years[year]["proposals"] == 0
    # The permits pile up in reception instead.
    assert result.years[2013]["waiting_dec31"] > 1000


def test_with_unlimited_housing_and_places_and_no_delays_everyone_settles_within_a_month():
    simulation = Simulation(
        load_scenario(unlimited_scenario()), seed=2, municipalities=tiny_world()
    )
    record = simulation.run()
    households = record.households
    # Everyone but the last month's arrivals (answered after the run ends) is settled.
    arrived_before_last_month = households.permit_t < simulation.n_months - 1
    assert arrived_before_last_month.sum() > 500
    settled = households.status[arrived_before_last_month] == SETTLED
    assert settled.all()
    waits = (households.move_t - households.permit_t)[arrived_before_last_month]
    assert np.all(waits <= 1.0)
    result = run(unlimited_scenario(), seed=2, municipalities=tiny_world())
    assert result.years[2012]["share_settled_within_6_months_pct"] == 100.0
    assert result.years[2012]["mean_wait_months_permit_to_settlement"] <= 1.0


def test_nothing_happens_without_permits():
    scenario = tiny_scenario(arrivals={"permits_persons": 0}, quota={"persons_per_year": 0})
    result = run(scenario, seed=3, municipalities=tiny_world())
    for year in (2012, 2013):
        metrics = result.years[year]
        assert metrics["settled"] == 0
        assert metrics["waiting_dec31"] == 0
        assert metrics["self_settled"] == 0
        assert metrics["proposals"] == 0
        assert metrics["long_waiters"] == 0
    assert (
        result.years[2012]["mean_wait_months_permit_to_settlement"]
        != result.years[2012]["mean_wait_months_permit_to_settlement"]
    )  # NaN: nobody was settled, so there is no waiting time


def test_councils_never_take_more_than_they_decided():
    scenario = tiny_scenario(
        arrivals={"permits_persons": 3000}, decisions={"requested_persons": 400}
    )
    result = run(scenario, seed=4, municipalities=tiny_world())
    for year in (2012, 2013):
        metrics = result.years[year]
        # Settled by matching and self-settled with agreement count against the decisions.
        assert metrics["settled"] - metrics["self_settled"] <= metrics["decided_persons"] + 1e-9
        assert metrics["waiting_dec31"] > 0


def test_self_settlement_empties_the_queue_without_places():
    scenario = tiny_scenario(
        housing=NO_HOUSING,
        self_settlement={"monthly_probability": 0.5, "network_share": 1.0},
    )
    result = run(scenario, seed=5, municipalities=tiny_world())
    assert result.years[2013]["self_settled"] > 400
    assert result.years[2013]["waiting_dec31"] < 200
