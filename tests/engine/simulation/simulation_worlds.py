"""Tiny worlds for the simulator's tests: a few real municipalities and hand-set parameters."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bosetting.engine.simulation.params import deep_merge
from bosetting.engine.simulation.world import Municipalities, load_municipalities

# Oslo, Bergen, Lillehammer, Kvinesdal: two large and two small case municipalities.
TINY_NUMBERS = ("0301", "1201", "0501", "1037")


def tiny_world(numbers: tuple[str, ...] = TINY_NUMBERS) -> Municipalities:
    """The named real municipalities only."""
    world = load_municipalities()
    index = np.array([int(np.flatnonzero(world.number == n)[0]) for n in numbers])
    return world.subset(index)


def tiny_scenario(**sections: Any) -> dict[str, Any]:
    """A two-year world with 600 permits a year and plain settings; ``sections`` merge over it."""
    base: dict[str, Any] = {
        "name": "tiny",
        "start_year": 2012,
        "years": 2,
        "warmup_years": 0,
        "arrivals": {
            "permits_persons": 600,
            "household_mix": {"single_adult": 0.6, "couple": 0.1, "family": 0.3, "uam": 0.0},
            "children_mean": 1.0,
            "health_needs_share": 0.0,
            "accessible_needs_share": 0.0,
            "other_hard_to_place_share": 0.0,
        },
        "quota": {"persons_per_year": 0},
        "decisions": {"requested_persons": 800, "decision_share": 0.8},
    }
    return deep_merge(base, sections)


NO_HOUSING: dict[str, Any] = {
    "initial_units_per_settled_person": 0.0,
    "procured_units_per_decided_person": 0.0,
    "grant_units_per_year": 0.0,
    "private_offers_per_1000_population": 0.0,
    "search_months": math.inf,
}

ZERO_DELAYS: dict[str, Any] = {
    "notification_months": 0.0,
    "interview_months": 0.0,
    "registration_months": 0.0,
    "response_months": 0.0,
    "preparation_months": 0.0,
}


def unlimited_scenario() -> dict[str, Any]:
    """Plenty of flats and places, no delays, councils accept everyone."""
    return tiny_scenario(
        phases=ZERO_DELAYS,
        decisions={
            "requested_persons": 1_000_000,
            "decision_share": 1.0,
            "decision_delay_months": 0.0,
            "uam_share": 1.0,
        },
        housing={
            "initial_units_per_settled_person": 3.0,
            "initial_vacant_share": 1.0,
            "procured_units_per_decided_person": 0.0,
            "vacancy_release_months": 1000.0,
        },
        matching={
            "accept_probability": 1.0,
            "hard_to_place_monthly_chance": 1.0,
            "hard_to_place_penalty": 0.0,
        },
        self_settlement={"monthly_probability": 0.0},
    )
