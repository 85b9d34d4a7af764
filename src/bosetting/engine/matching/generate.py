"""Synthetic, realistic matching instances — "syntetisk utsøkingsinstans".

The shape follows what the report describes (seed digest §housing): most
refugees waiting in reception are single adults, large families are few but
hard to house because big flats are scarce, a small share are unaccompanied
minors whom only some municipalities take, a few need accessible housing or
special services, and the municipalities' decided capacity is a little short
of the demand. Everything here is synthetic; the names are made up.

Randomness comes from :class:`random.Random` with an explicit seed, so an
instance is identical across platforms and numpy versions.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

from bosetting.engine.matching.model import FORMAT, FORMAT_V2, MAX_PREFERENCES, Weights

DEFAULT_AS_OF = date(2015, 1, 15)
"""``as_of`` when none is given (the date of the contract's example)."""

CAPACITY_SHARE = 0.9
"""Decided capacity, as a share of the persons waiting."""

UAM_CAPACITY_SHARE = 0.8
"""UAM capacity, as a share of the unaccompanied minors waiting."""

ZONE_CAP = 4
UNITS_PER_ZONE = 5

_PREFIXES = ("Nord", "Sør", "Øst", "Vest", "Stor", "Lille", "Ny", "Øvre", "Nedre", "Midt")
_SUFFIXES = (
    "dal",
    "vik",
    "fjord",
    "berg",
    "nes",
    "haug",
    "strand",
    "øy",
    "land",
    "sund",
    "by",
    "å",
)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder)."""
    if not weights:
        return []
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (out[i] - raw[i], i))
    for i in by_remainder[: total - sum(out)]:
        out[i] += 1
    return out


def _household(rng: random.Random) -> tuple[list[int], bool]:
    """Ages of one household and whether it is an unaccompanied minor."""
    r = rng.random()
    if r < 0.70:  # single adult, mostly young
        if rng.random() < 0.04:
            return [rng.randint(56, 70)], False
        return [min(18 + int(rng.gammavariate(2.0, 5.0)), 55)], False
    if r < 0.72:  # unaccompanied minors, sometimes siblings
        return [rng.randint(13, 17) for _ in range(2 if rng.random() < 0.15 else 1)], True
    if r < 0.77:  # couple without children
        return [rng.randint(20, 60), rng.randint(20, 60)], False
    adults = 1 if rng.random() < 0.3 else 2
    children = rng.choices([1, 2, 3, 4, 5, 6], weights=[25, 25, 20, 14, 9, 7])[0]
    ages = [rng.randint(22, 50) for _ in range(adults)]
    ages += [rng.randint(0, 17) for _ in range(min(children, 8 - adults))]
    if len(ages) < 8 and rng.random() < 0.05:
        ages.append(rng.randint(60, 78))  # a grandparent
    return ages, False


GROUPS = ("Afrika øst", "Midtøsten", "Asia", "Europa", "Annet")
"""Synthetic country-of-origin groups (format /2)."""


def generate_instance(
    seed: int,
    households: int,
    municipalities: int,
    units: int,
    as_of: date | None = None,
    *,
    v2: bool = False,
) -> dict[str, Any]:
    """A random but realistic instance in the exchange format.

    Args:
        seed: Random seed; the same arguments always give the same instance.
        households: Number of settlement-ready households.
        municipalities: Number of municipalities with a council decision.
        units: Number of housing units.
        as_of: Batch date (default 2015-01-15).
        v2: Also write the additions of format /2 (:func:`add_v2`); the rest of
            the instance is the same as without.

    Returns:
        The instance as a JSON-ready dict.

    Raises:
        ValueError: for negative sizes, or units or households without municipalities.
    """
    if households < 0 or municipalities < 0 or units < 0:
        raise ValueError("households, municipalities and units must be >= 0")
    if municipalities == 0 and (units or households):
        raise ValueError("an instance with units or households needs at least one municipality")
    rng = random.Random(seed)
    as_of = as_of or DEFAULT_AS_OF

    # Municipalities: sizes are lognormal, like Norway's.
    weight = [rng.lognormvariate(0.0, 1.1) for _ in range(municipalities)]
    ids = [f"{1001 + i:04d}" for i in range(municipalities)]
    missing_id = "9999" if "9999" not in ids else "x-9999"
    large = sorted(range(municipalities), key=lambda i: -weight[i])[
        : max(1, municipalities * 3 // 10)
    ]
    large_set = set(large)

    # Households first: capacity is set from the demand.
    raw_households: list[dict[str, Any]] = []
    for i in range(households):
        ages, uam = _household(rng)
        if rng.random() < 0.01:
            permit = as_of + timedelta(days=rng.randint(1, 30))  # not yet settlement-ready
        else:
            permit = as_of - timedelta(days=min(int(rng.expovariate(1 / 110)), 730))
        needs = [
            n
            for n, p in (("accessible", 0.03), ("health_high", 0.03), ("disability", 0.02))
            if rng.random() < p
        ]
        ties: list[str] = []
        if municipalities and rng.random() < 0.25:
            for _ in range(2 if rng.random() < 0.2 else 1):
                tie = (
                    missing_id
                    if rng.random() < 0.03
                    else ids[rng.choices(range(municipalities), weights=weight)[0]]
                )
                if tie not in ties:
                    ties.append(tie)
        raw_households.append(
            {
                "id": f"h-{i + 1:06d}",
                "persons": [{"age": a} for a in ages],
                "permit_date": permit.isoformat(),
                "uam": uam,
                "needs": needs,
                "ties": ties,
            }
        )
    persons = sum(len(h["persons"]) for h in raw_households)
    uam_persons = sum(len(h["persons"]) for h in raw_households if h["uam"])
    capacity = _apportion(round(CAPACITY_SHARE * persons), weight)
    uam_takers = [
        i for i in range(municipalities) if rng.random() < (0.6 if i in large_set else 0.25)
    ]
    uam_capacity = [0] * municipalities
    for i, c in zip(
        uam_takers,
        _apportion(math.ceil(UAM_CAPACITY_SHARE * uam_persons), [weight[i] for i in uam_takers]),
        strict=True,
    ):
        uam_capacity[i] = c

    raw_municipalities = []
    for i in range(municipalities):
        is_large = i in large_set
        services = []
        if rng.random() < (0.7 if is_large else 0.1):
            services.append("health_high")
        if rng.random() < (0.5 if is_large else 0.2):
            services.append("disability")
        raw_municipalities.append(
            {
                "id": ids[i],
                "name": rng.choice(_PREFIXES) + rng.choice(_SUFFIXES),
                "capacity_persons": max(capacity[i], uam_capacity[i]),
                "capacity_uam": uam_capacity[i],
                "labour_index": round(rng.betavariate(4.0, 3.0), 3),
                "services": services,
            }
        )

    # Units: more in larger municipalities; large flats are scarce.
    raw_units = []
    per_municipality = _apportion(units, weight)
    for i, n in enumerate(per_municipality):
        zones = max(1, math.ceil(n / UNITS_PER_ZONE))
        for k in range(n):
            kind = rng.choices(
                ["municipal", "private_sublet", "private_self", "shared"], weights=[52, 32, 8, 8]
            )[0]
            if kind == "shared":
                bedrooms = rng.randint(3, 5)
                occupants = beds = bedrooms
            else:
                bedrooms = rng.choices([1, 2, 3, 4, 5], weights=[32, 34, 22, 9, 3])[0]
                occupants = rng.choice(
                    {1: [1, 2, 2], 2: [3, 4], 3: [5, 6], 4: [6, 7, 8], 5: [8, 9, 10]}[bedrooms]
                )
                beds = 1
            raw_units.append(
                {
                    "id": f"u-{ids[i]}-{k + 1:04d}",
                    "municipality": ids[i],
                    "kind": kind,
                    "bedrooms": bedrooms,
                    "max_occupants": occupants,
                    "beds": beds,
                    "zone": f"{ids[i]}-{rng.randrange(zones) + 1:02d}",
                    "accessible": rng.random() < (0.05 if kind == "shared" else 0.12),
                    "available_from": (as_of + timedelta(days=rng.randint(-90, 120))).isoformat(),
                }
            )

    w = Weights()
    data = {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "horizon_days": 90,
        "zone_cap": ZONE_CAP,
        "weights": {
            "settle": w.settle,
            "wait": w.wait,
            "ties": w.ties,
            "labour": w.labour,
            "fit": w.fit,
        },
        "municipalities": raw_municipalities,
        "units": raw_units,
        "households": raw_households,
    }
    return add_v2(data, seed) if v2 else data


def add_v2(
    data: dict[str, Any],
    seed: int,
    *,
    outcome_weight: float = 0.05,
    preference_weight: float = 3.0,
    fairness: bool = True,
) -> dict[str, Any]:
    """Add synthetic outcomes, wishes and groups to an instance dict (format /2).

    The prediction for an adult of household h in municipality m is a logistic
    function of the municipality's labour index, a group effect and a household
    effect, so that places and groups differ the way the outcome model finds
    (``engine.outcomes``). A third of the households name 1–5 wishes.
    """
    rng = random.Random(f"v2-{seed}")
    ids = [m["id"] for m in data["municipalities"]]
    labour = {m["id"]: m["labour_index"] for m in data["municipalities"]}
    group_effect = {g: rng.gauss(0.0, 0.35) for g in GROUPS}
    outcomes = []
    for h in data["households"]:
        group = rng.choices(GROUPS, weights=[30, 30, 15, 15, 10])[0]
        h["group"] = group
        h["preferences"] = []
        if ids and rng.random() < 0.33:
            k = min(rng.randint(1, MAX_PREFERENCES), len(ids))
            h["preferences"] = rng.sample(ids, k)
        if not any(18 <= p["age"] <= 55 for p in h["persons"]):
            continue
        person = rng.gauss(0.0, 0.5) + group_effect[group]
        for mid in ids:
            x = -0.6 + 2.4 * (labour[mid] - 0.55) + person + rng.gauss(0.0, 0.15)
            p = 1.0 / (1.0 + math.exp(-x))
            outcomes.append(
                {"household_id": h["id"], "municipality_id": mid, "p_employment": round(p, 4)}
            )
    data["format"] = FORMAT_V2
    data["weights"]["outcome"] = outcome_weight
    data["weights"]["preference"] = preference_weight
    data["outcomes"] = outcomes
    data["fairness"] = {"no_group_worse_off": fairness}
    return data
