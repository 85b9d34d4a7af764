"""Golden output of a small seeded simulation: any change to the model's numbers shows here.

If a change to the model is intended, regenerate the file and review the diff:

    .venv/bin/python -m tests.engine.simulation.test_simulation_golden
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.engine.simulation.simulation_worlds import tiny_scenario, tiny_world

from bosetting.engine.simulation import run

GOLDEN = Path(__file__).with_name("golden_tiny_world.json")
KEYS = (
    "settled",
    "waiting_dec31",
    "long_waiters",
    "share_settled_within_6_months_pct",
    "mean_wait_months_permit_to_settlement",
    "self_settled",
    "decided_persons",
    "proposals",
)


def golden_figures() -> dict[str, dict[str, float]]:
    """The figures of the tiny world, seed 2014, rounded to 3 decimals."""
    result = run(tiny_scenario(), seed=2014, municipalities=tiny_world())
    return {
        str(year): {key: round(result.years[year][key], 3) for key in KEYS}
        for year in sorted(result.years)
    }


def test_the_tiny_world_gives_the_golden_figures():
    assert golden_figures() == json.loads(GOLDEN.read_text(encoding="utf-8"))


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(golden_figures(), indent=2) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
