"""Seeded /1 instances and the digest of what the engine proposes for them.

``python -m tests.engine.matching.v1_golden`` records the digests in ``data/v1_golden.json``; it was
run once with the engine as it was before format /2 (commit acffcb7), so that the test in
``test_matching_v2_compat.py`` proves that every /1 instance still gives exactly that result.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bosetting.engine.matching import generate_instance, parse_instance, solve

GOLDEN = Path(__file__).parent / "data" / "v1_golden.json"
_AS_OF = date(2015, 1, 15)


def small_instance(seed: int) -> dict[str, Any]:
    """A small random /1 instance that touches every rule (same seed, same instance)."""
    rng = random.Random(seed)
    ids = [f"{1001 + i}" for i in range(rng.randint(1, 4))]
    municipalities = [
        {
            "id": mid,
            "name": f"K{mid}",
            "capacity_persons": rng.randint(0, 14),
            "capacity_uam": rng.randint(0, 3),
            "labour_index": round(rng.random(), 3),
            "services": [s for s in ("health_high", "disability") if rng.random() < 0.5],
        }
        for mid in ids
    ]
    units = []
    for i in range(rng.randint(1, 10)):
        kind = rng.choice(["municipal", "private_sublet", "private_self", "shared"])
        units.append(
            {
                "id": f"u{i}",
                "municipality": rng.choice(ids),
                "kind": kind,
                "bedrooms": rng.randint(1, 4),
                "max_occupants": rng.randint(1, 6),
                "beds": rng.randint(1, 3) if kind == "shared" else 1,
                "zone": rng.choice(["a", "b"]),
                "accessible": rng.random() < 0.4,
                "available_from": (_AS_OF + timedelta(days=rng.randint(-30, 100))).isoformat(),
            }
        )
    households = []
    for i in range(rng.randint(1, 10)):
        uam = rng.random() < 0.2
        n = rng.randint(1, 4)
        ages = [rng.randint(0, 17) if uam else rng.randint(0, 80) for _ in range(n)]
        households.append(
            {
                "id": f"h{i}",
                "persons": [{"age": a} for a in ages],
                "permit_date": (_AS_OF - timedelta(days=rng.randint(-60, 800))).isoformat(),
                "uam": uam,
                "needs": [
                    n for n in ("accessible", "health_high", "disability") if rng.random() < 0.15
                ],
                "ties": sorted({rng.choice([*ids, "9999"]) for _ in range(rng.randint(0, 2))}),
            }
        )
    return {
        "format": "bosetting.matching/1",
        "as_of": _AS_OF.isoformat(),
        "horizon_days": rng.choice([90, 60, 120, 0]),
        "zone_cap": rng.choice([None, 0, 1, 2, 3]),
        "weights": {
            k: rng.choice([10.0, 4.0, 3.0, 2.0, 1.0, 0.5, 0.0])
            for k in ("settle", "wait", "ties", "labour", "fit")
        },
        "municipalities": municipalities,
        "units": units,
        "households": households,
    }


def cases() -> list[tuple[str, dict[str, Any]]]:
    """(name, instance) of every recorded case."""
    out = [(f"small-{seed}", small_instance(seed)) for seed in range(40)]
    out += [(f"generated-{seed}", generate_instance(seed, 60, 8, 80)) for seed in range(6)]
    return out


def digest(data: dict[str, Any], solver: str) -> str:
    """SHA-256 of the proposals (ids and the repr of each score) and the objective."""
    inst = parse_instance(data)
    result = solve(inst, solver=solver, time_limit=20, mip_rel_gap=1e-9)
    rows = [
        f"{a.household_id},{a.unit_id},{a.municipality_id},{a.score!r}" for a in result.assignments
    ]
    rows.append(repr(result.objective))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def record() -> None:
    """Write ``data/v1_golden.json``."""
    golden = {name: {s: digest(data, s) for s in ("greedy", "optimal")} for name, data in cases()}
    GOLDEN.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    record()
