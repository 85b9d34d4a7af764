"""The greedy baseline — "grådig utsøking".

Households are taken by priority (highest first, then larger households
first, then instance order); each gets the best-scoring unit that is still
free and keeps every municipality, UAM and zone capacity. It is fast, it is
what a careful officer would do by hand, and it is the warm start and the
fallback of the optimising solver.
"""

from __future__ import annotations

import numpy as np

from bosetting.engine.matching.prepared import Prepared

Placement = tuple[int, int]
"""(household index, unit type index)."""


def greedy_placements(prepared: Prepared, fixed: list[Placement] | None = None) -> list[Placement]:
    """Place households one by one on unit types, respecting G1–G5.

    Args:
        prepared: The prepared instance.
        fixed: Placements to keep; the greedy fills what they leave free
            (used to repair a rounded relaxation).

    Returns:
        (household index, unit type index) pairs: ``fixed`` first, then the new ones.
    """
    inst = prepared.instance
    if not prepared.types:
        return []
    ties_weight = inst.weights.ties
    type_left = prepared.t_slots.copy()
    persons_left = prepared.cap_persons.copy()
    uam_left = prepared.cap_uam.copy()
    zone_left = None
    if inst.zone_cap is not None:
        # The last entry is for unit types whose zone cannot bind (zone -1).
        zone_left = np.full(len(prepared.zones) + 1, inst.zone_cap, dtype=np.int64)
        zone_left[-1] = np.iinfo(np.int64).max // 2
    t_mun = prepared.t_mun
    order = sorted(
        range(len(inst.households)),
        key=lambda i: (-prepared.h_priority[i], -prepared.h_size[i], i),
    )
    static_ok: dict[object, np.ndarray] = {}
    static_score: dict[object, np.ndarray] = {}
    placements: list[Placement] = []

    def place(h: int, t: int) -> None:
        m = int(t_mun[t])
        size = int(prepared.h_size[h])
        type_left[t] -= 1
        persons_left[m] -= size
        if prepared.h_profile[h][3]:
            uam_left[m] -= size
        if zone_left is not None:
            zone_left[prepared.t_zone[t]] -= 1
        placements.append((h, t))

    for h, t in fixed or []:
        place(h, t)
    placed = {h for h, _ in placements}
    for h in order:
        if h in placed:
            continue
        profile = prepared.h_profile[h]
        if profile not in static_ok:
            static_ok[profile] = prepared.type_ok(profile)
            static_score[profile] = prepared.labour_score(profile)[t_mun] + prepared.fit_score(
                profile[0]
            )
        size = int(prepared.h_size[h])
        ok = static_ok[profile] & (type_left > 0) & (persons_left[t_mun] >= size)
        if profile[3]:
            ok &= uam_left[t_mun] >= size
        if zone_left is not None:
            ok &= zone_left[prepared.t_zone] > 0
        if not ok.any():
            continue
        value = static_score[profile]
        if prepared.h_ties[h]:
            value = value + ties_weight * np.isin(t_mun, prepared.h_ties[h])
        place(h, int(np.argmax(np.where(ok, value, -np.inf))))
    return placements


def concretise(prepared: Prepared, placements: list[Placement]) -> list[tuple[int, int]]:
    """Turn (household, unit type) placements into (household, unit) pairs.

    Units of a type are interchangeable; earlier-available units are used first,
    and shared units are filled bed by bed.
    """
    next_unit = [0] * len(prepared.types)
    beds_used = [0] * len(prepared.types)
    pairs: list[tuple[int, int]] = []
    for h, t in placements:
        utype = prepared.types[t]
        u = utype.units[next_unit[t]]
        pairs.append((h, u))
        if utype.shared:
            beds_used[t] += 1
            if beds_used[t] == prepared.unit(u).beds:
                next_unit[t] += 1
                beds_used[t] = 0
        else:
            next_unit[t] += 1
    return pairs
