"""The greedy baseline — "grådig utsøking".

Households are taken by priority (highest first, then larger households
first, then instance order); each gets the best-scoring unit that is still
free and keeps every municipality, UAM and zone capacity. It is fast, it is
what a careful officer would do by hand, and it is the warm start and the
fallback of the optimising solver.

Speed: every capacity only shrinks while the greedy runs, so a unit type that
cannot take a household of some profile now never can again. Each profile
therefore walks once down its list of unit types sorted by score, and the
whole run costs about (profiles × unit types) instead of (households × unit
types).
"""

from __future__ import annotations

import numpy as np

from bosetting.engine.matching.prepared import Prepared, Profile

Placement = tuple[int, int]
"""(household index, unit type index)."""


class _Candidates:
    """Unit types a profile may use, best score first, with a cursor past the dead ones."""

    def __init__(self, types: np.ndarray) -> None:
        self.types = types
        self.cursor = 0

    def first(self, alive: _Alive, size: int, uam: bool) -> int | None:
        while self.cursor < len(self.types):
            t = int(self.types[self.cursor])
            if alive(t, size, uam):
                return t
            self.cursor += 1  # capacities only shrink: dead for this profile for good
        return None


class _Alive:
    """Remaining capacities (G2–G5) while the greedy runs."""

    def __init__(self, prepared: Prepared) -> None:
        inst = prepared.instance
        self.t_mun = prepared.t_mun.tolist()
        self.t_zone = prepared.t_zone.tolist()
        self.type_left = prepared.t_slots.tolist()
        self.persons_left = prepared.cap_persons.tolist()
        self.uam_left = prepared.cap_uam.tolist()
        self.zone_cap = inst.zone_cap
        self.zone_left = [inst.zone_cap or 0] * len(prepared.zones)

    def __call__(self, t: int, size: int, uam: bool) -> bool:
        m = self.t_mun[t]
        if self.type_left[t] <= 0 or self.persons_left[m] < size:
            return False
        if uam and self.uam_left[m] < size:
            return False
        zone = self.t_zone[t]
        return zone < 0 or self.zone_left[zone] > 0

    def take(self, t: int, size: int, uam: bool) -> None:
        m = self.t_mun[t]
        self.type_left[t] -= 1
        self.persons_left[m] -= size
        if uam:
            self.uam_left[m] -= size
        if self.t_zone[t] >= 0:
            self.zone_left[self.t_zone[t]] -= 1


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
    alive = _Alive(prepared)
    placements: list[Placement] = []
    for h, t in fixed or []:
        alive.take(t, int(prepared.h_size[h]), prepared.h_profile[h][3])
        placements.append((h, t))
    placed = {h for h, _ in placements}

    scores: dict[Profile, np.ndarray] = {}
    best_first: dict[Profile, _Candidates] = {}
    best_in: dict[tuple[Profile, int], _Candidates] = {}

    def candidates(profile: Profile, m: int | None) -> _Candidates:
        if profile not in scores:
            ok = prepared.type_ok(profile)
            score = prepared.labour_score(profile)[prepared.t_mun] + prepared.fit_score(profile[0])
            scores[profile] = score
            types = np.flatnonzero(ok)
            best_first[profile] = _Candidates(types[np.argsort(-score[types], kind="stable")])
        if m is None:
            return best_first[profile]
        key = (profile, m)
        if key not in best_in:
            types = best_first[profile].types
            best_in[key] = _Candidates(types[prepared.t_mun[types] == m])
        return best_in[key]

    order = sorted(
        range(len(inst.households)),
        key=lambda i: (-prepared.h_priority[i], -prepared.h_size[i], i),
    )
    for h in order:
        if h in placed:
            continue
        profile = prepared.h_profile[h]
        size, uam = int(prepared.h_size[h]), profile[3]
        best = candidates(profile, None).first(alive, size, uam)
        if best is None:
            continue  # nothing is left anywhere, tied municipalities included
        value = float(scores[profile][best])
        if ties_weight > 0:
            for m in prepared.h_ties[h]:
                near = candidates(profile, m).first(alive, size, uam)
                if near is not None:
                    tied_value = float(scores[profile][near]) + ties_weight
                    if tied_value > value or (tied_value == value and near < best):
                        best, value = near, tied_value
        alive.take(best, size, uam)
        placements.append((h, best))
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
