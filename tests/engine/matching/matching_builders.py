"""Builders for small matching instances, and an independent reference of the contract.

The reference functions read the raw exchange-format dicts, not the engine's
dataclasses, so that the tests check the engine against the text of
``matching.md`` rather than against itself.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

AS_OF = "2015-01-15"
WEIGHTS = {"settle": 10.0, "wait": 4.0, "ties": 3.0, "labour": 1.0, "fit": 2.0}


def municipality(
    id: str = "0301",
    capacity_persons: int = 20,
    capacity_uam: int = 0,
    labour_index: float = 0.5,
    services: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "id": id,
        "name": f"Kommune {id}",
        "capacity_persons": capacity_persons,
        "capacity_uam": capacity_uam,
        "labour_index": labour_index,
        "services": list(services),
    }


def unit(
    id: str,
    municipality: str = "0301",
    kind: str = "municipal",
    max_occupants: int = 2,
    beds: int = 1,
    zone: str = "z1",
    accessible: bool = False,
    available_from: str = "2015-01-01",
    bedrooms: int = 1,
) -> dict[str, Any]:
    return {
        "id": id,
        "municipality": municipality,
        "kind": kind,
        "bedrooms": bedrooms,
        "max_occupants": max_occupants,
        "beds": beds,
        "zone": zone,
        "accessible": accessible,
        "available_from": available_from,
    }


def household(
    id: str,
    ages: tuple[int, ...] = (30,),
    permit_date: str = "2014-10-01",
    uam: bool = False,
    needs: tuple[str, ...] = (),
    ties: tuple[str, ...] = (),
    expected_additional_persons: int = 0,
) -> dict[str, Any]:
    data = {
        "id": id,
        "persons": [{"age": a} for a in ages],
        "permit_date": permit_date,
        "uam": uam,
        "needs": list(needs),
        "ties": list(ties),
    }
    if expected_additional_persons:
        data["expected_additional_persons"] = expected_additional_persons
    return data


def instance(
    municipalities: list[dict[str, Any]] | None = None,
    units: list[dict[str, Any]] | None = None,
    households: list[dict[str, Any]] | None = None,
    **top: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "bosetting.matching/1",
        "as_of": AS_OF,
        "horizon_days": 90,
        "zone_cap": None,
        "weights": dict(WEIGHTS),
        "municipalities": municipalities if municipalities is not None else [municipality()],
        "units": units or [],
        "households": households or [],
    }
    data.update(top)
    return data


# --- reference implementation of matching.md, on raw dicts -----------------


def _d(text: str) -> date:
    return date.fromisoformat(text)


def ref_priority(data: dict[str, Any], h: dict[str, Any]) -> float:
    wait_months = (_d(data["as_of"]) - _d(h["permit_date"])).days / 30.4375
    children = any(p["age"] < 18 for p in h["persons"])
    target = 3.0 if (children or h["uam"]) else 6.0
    return min(max(wait_months / target, 0.0), 3.0)


def ref_score(data: dict[str, Any], h: dict[str, Any], u: dict[str, Any]) -> float:
    w = data["weights"]
    m = next(x for x in data["municipalities"] if x["id"] == u["municipality"])
    size = len(h["persons"])
    housing = size + h.get("expected_additional_persons", 0)
    adults = sum(1 for p in h["persons"] if 18 <= p["age"] <= 55)
    fit = 1.0 if u["kind"] == "shared" else housing / u["max_occupants"]
    return (
        size * (w["settle"] + w["wait"] * ref_priority(data, h))
        + w["ties"] * (1.0 if u["municipality"] in h.get("ties", []) else 0.0)
        + w["labour"] * m["labour_index"] * adults
        + w["fit"] * fit
    )


def ref_feasible(data: dict[str, Any], h: dict[str, Any], u: dict[str, Any]) -> bool:
    m = next(x for x in data["municipalities"] if x["id"] == u["municipality"])
    size = len(h["persons"])
    expected = h.get("expected_additional_persons", 0)
    horizon = _d(data["as_of"]) + timedelta(days=data.get("horizon_days", 90))
    if _d(u["available_from"]) > horizon:
        return False
    if u["kind"] == "shared":
        if not (size == 1 and h["persons"][0]["age"] >= 18 and not h["uam"] and not expected):
            return False
    elif size + expected > u["max_occupants"]:
        return False
    needs = h.get("needs", [])
    if "accessible" in needs and not u["accessible"]:
        return False
    if any(n in needs and n not in m.get("services", []) for n in ("health_high", "disability")):
        return False
    return not (h["uam"] and size > m.get("capacity_uam", 0))


def ref_valid(data: dict[str, Any], pairs: list[tuple[str, str]]) -> bool:
    """F1–F5 and G1–G5 for (household id, unit id) pairs."""
    hs = {h["id"]: h for h in data["households"]}
    us = {u["id"]: u for u in data["units"]}
    ms = {m["id"]: m for m in data["municipalities"]}
    if len({h for h, _ in pairs}) != len(pairs):
        return False
    persons: dict[str, int] = {}
    minors: dict[str, int] = {}
    load: dict[str, int] = {}
    zones: dict[tuple[str, str], int] = {}
    for hid, uid in pairs:
        h, u = hs[hid], us[uid]
        if not ref_feasible(data, h, u):
            return False
        size = len(h["persons"])
        persons[u["municipality"]] = persons.get(u["municipality"], 0) + size
        if h["uam"]:
            minors[u["municipality"]] = minors.get(u["municipality"], 0) + size
        load[uid] = load.get(uid, 0) + 1
        key = (u["municipality"], u["zone"])
        zones[key] = zones.get(key, 0) + 1
    for uid, n in load.items():
        if n > (us[uid].get("beds", 1) if us[uid]["kind"] == "shared" else 1):
            return False
    for mid, n in persons.items():
        if n > ms[mid]["capacity_persons"]:
            return False
    for mid, n in minors.items():
        if n > ms[mid].get("capacity_uam", 0):
            return False
    cap = data.get("zone_cap")
    return cap is None or all(n <= cap for n in zones.values())


def brute_force_optimum(data: dict[str, Any]) -> float:
    """The best objective over every assignment (tiny instances only)."""
    households = data["households"]
    choices = [None] + [u["id"] for u in data["units"]]
    us = {u["id"]: u for u in data["units"]}
    best = 0.0
    for combo in itertools.product(choices, repeat=len(households)):
        pairs = [(h["id"], uid) for h, uid in zip(households, combo, strict=True) if uid]
        if not ref_valid(data, pairs):
            continue
        hs = {h["id"]: h for h in households}
        value = sum(ref_score(data, hs[hid], us[uid]) for hid, uid in pairs)
        best = max(best, value)
    return best


# --- format /2 (matching-v2.md), on raw dicts --------------------------------


def ref_score_v2(data: dict[str, Any], h: dict[str, Any], u: dict[str, Any]) -> float:
    """s(h,u) of matching-v2.md: the /1 score plus the outcome and preference terms."""
    w = data["weights"]
    value = ref_score(data, h, u)
    adults = sum(1 for p in h["persons"] if 18 <= p["age"] <= 55)
    p = next(
        (
            o["p_employment"]
            for o in data.get("outcomes", [])
            if o["household_id"] == h["id"] and o["municipality_id"] == u["municipality"]
        ),
        0.0,
    )
    value += w.get("outcome", 0.0) * 100 * p * adults
    prefs = h.get("preferences", [])
    if u["municipality"] in prefs:
        k, r = len(prefs), prefs.index(u["municipality"]) + 1
        value += w.get("preference", 0.0) * (k - r + 1) / k
    return value


def brute_force_optimum_v2(data: dict[str, Any]) -> float:
    """The best /2 objective over every assignment (tiny instances only)."""
    households = data["households"]
    choices = [None] + [u["id"] for u in data["units"]]
    us = {u["id"]: u for u in data["units"]}
    hs = {h["id"]: h for h in households}
    best = 0.0
    for combo in itertools.product(choices, repeat=len(households)):
        pairs = [(h["id"], uid) for h, uid in zip(households, combo, strict=True) if uid]
        if not ref_valid(data, pairs):
            continue
        best = max(best, sum(ref_score_v2(data, hs[hid], us[uid]) for hid, uid in pairs))
    return best
