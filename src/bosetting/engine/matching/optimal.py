"""The optimising solver: an exact aggregated MIP solved with HiGHS.

Because the score and the feasibility rules separate (see
:mod:`.prepared`), the assignment problem is modelled on counts instead of
household–unit pairs, and the model stays small for ten thousand households:

* ``y[π,m]`` (integer) households of profile π placed in municipality m
  "through the pool", i.e. without a ties bonus;
* ``t[c,m]`` (integer) households of tie class c placed in m, one of their ties;
* ``r`` (continuous) how many households of each priority level are placed
  through the pool: because the household term is concave in that count,
  the solver always takes the highest priorities first;
* ``z[g,τ]`` (integer) households of group g placed in unit type τ;
* ``n[m,s]`` (integer) households of s persons placed in municipality m.

Every integer solution maps to a concrete assignment with the same score
(households of one group in one municipality are interchangeable towards
units), and every assignment maps to a solution of the model with the same
score, so the model's optimum and dual bound are those of the real problem.

The builder reads in the fixed order data, variables, constraints,
objective, solve, extract.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from bosetting.engine.matching.greedy import Placement, greedy_placements
from bosetting.engine.matching.mip import MipProblem
from bosetting.engine.matching.prepared import Group, Prepared, Profile, persons_of

_EXTRACT_TOLERANCE = 1e-4
_ABS_GAP = 1e-6
_REPAIR_GAP = 1e-4
"""The repair step is solved to this gap: it is small, and a loose gap would waste it."""
_HEURISTIC_MIN_GAP = 1e-3
_HEURISTIC_MIN_COLS = 20_000
"""Rounding and repair run when the gap asked for or the model is at least this large."""


@dataclass
class _Data:
    """Household classes and the municipality–group pairs that can be used."""

    profiles: list[Profile]
    profile_munis: dict[Profile, list[int]]
    tie_classes: list[tuple[Profile, list[int], float, list[int]]]
    """(profile, member households, household term, tied municipalities) per class."""
    pool_levels: dict[Profile, list[tuple[float, int]]]
    """Per profile, (household term, count) of households without usable ties."""
    group_types: dict[tuple[int, Group], list[int]]
    """Per (municipality, group), the compatible unit types."""


@dataclass
class _Vars:
    y: dict[tuple[Profile, int], int] = field(default_factory=dict)
    t: dict[tuple[int, int], int] = field(default_factory=dict)
    r_tied: dict[int, int] = field(default_factory=dict)
    r_pool: dict[tuple[Profile, int], int] = field(default_factory=dict)
    z: dict[tuple[Group, int], int] = field(default_factory=dict)
    n: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class OptimalOutcome:
    """Placements of the optimising solver and what HiGHS proved."""

    placements: list[Placement] | None
    upper_bound: float | None
    status: str
    model_objective: float | None
    cols: int = 0
    rows: int = 0


def _data(prep: Prepared) -> _Data:
    """Group households into classes and find the usable municipality–group pairs."""
    group_types: dict[tuple[int, Group], list[int]] = defaultdict(list)
    groups = sorted(set(prep.h_group))
    for g in groups:
        for tau in np.flatnonzero(prep.compatible(g)):
            group_types[(int(prep.t_mun[tau]), g)].append(int(tau))

    profiles = sorted(prep.households_by_profile)
    profile_munis: dict[Profile, list[int]] = {}
    for pi in profiles:
        ok = prep.municipality_ok(pi) & (prep.cap_persons >= persons_of(pi))
        profile_munis[pi] = [m for m in np.flatnonzero(ok).tolist() if (m, pi[0]) in group_types]

    tie_members: dict[tuple[Profile, tuple[int, ...], float], list[int]] = defaultdict(list)
    pool: dict[Profile, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    for pi in profiles:
        usable = set(profile_munis[pi])
        for h in prep.households_by_profile[pi]:
            ties = tuple(m for m in prep.h_ties[h] if m in usable)
            base = float(prep.h_base[h])
            if ties:
                tie_members[(pi, ties, base)].append(h)
            else:
                pool[pi][base] += 1
    tie_classes = [
        (pi, members, base, list(ties)) for (pi, ties, base), members in tie_members.items()
    ]
    pool_levels = {pi: sorted(levels.items(), reverse=True) for pi, levels in pool.items()}
    # Unit types only matter where some household of their group may go.
    used = {(m, pi[0]) for pi in profiles for m in profile_munis[pi]}
    usable_types = {key: taus for key, taus in group_types.items() if key in used}
    return _Data(profiles, profile_munis, tie_classes, pool_levels, usable_types)


def build_model(prep: Prepared, data: _Data) -> tuple[MipProblem, _Vars]:
    """Variables, constraints and objective of the aggregated model."""
    inst = prep.instance
    w = inst.weights
    mip = MipProblem()
    v = _Vars()
    count = {pi: len(members) for pi, members in prep.households_by_profile.items()}

    # --- variables -------------------------------------------------------
    for pi in data.profiles:
        size = persons_of(pi)
        for m in data.profile_munis[pi]:
            upper = min(count[pi], int(prep.cap_persons[m]) // size)
            v.y[(pi, m)] = mip.add_col(0, upper, True)
    for c, (_pi, members, _base, ties) in enumerate(data.tie_classes):
        for m in ties:
            v.t[(c, m)] = mip.add_col(0, len(members), True)
        v.r_tied[c] = mip.add_col(0, len(members), False)
    for pi, levels in data.pool_levels.items():
        for k, (_base, n) in enumerate(levels):
            v.r_pool[(pi, k)] = mip.add_col(0, n, False)
    for (_m, g), taus in data.group_types.items():
        for tau in taus:
            v.z[(g, tau)] = mip.add_col(0, int(prep.t_slots[tau]), True)

    # --- constraints -----------------------------------------------------
    # G1 for tie classes: each household is placed at most once, either in one
    # of its tied municipalities or through the pool of its profile.
    for c, (_pi, members, _base, ties) in enumerate(data.tie_classes):
        cols = [v.t[(c, m)] for m in ties] + [v.r_tied[c]]
        mip.add_row(cols, [1.0] * len(cols), -np.inf, len(members), "G1 tie class")

    # Pool balance (G1 for the rest): households of a profile placed without a
    # ties bonus are exactly the households chosen from the profile's pool.
    tied_of: dict[Profile, list[int]] = defaultdict(list)
    for c, (pi, *_rest) in enumerate(data.tie_classes):
        tied_of[pi].append(c)
    for pi in data.profiles:
        cols = [v.y[(pi, m)] for m in data.profile_munis[pi] if (pi, m) in v.y]
        values = [1.0] * len(cols)
        chosen = [v.r_tied[c] for c in tied_of[pi]]
        chosen += [v.r_pool[(pi, k)] for k in range(len(data.pool_levels.get(pi, [])))]
        if cols or chosen:
            mip.add_row(cols + chosen, values + [-1.0] * len(chosen), 0.0, 0.0, "pool")

    # Unit choice: the households of group g placed in municipality m move
    # into unit types of m that fit them (F1–F3), one unit slot each.
    into: dict[tuple[int, Group], tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for (pi, m), col in v.y.items():
        into[(m, pi[0])][0].append(col)
        into[(m, pi[0])][1].append(1.0)
    for (c, m), col in v.t.items():
        g = data.tie_classes[c][0][0]
        into[(m, g)][0].append(col)
        into[(m, g)][1].append(1.0)
    for (m, g), taus in data.group_types.items():
        cols, values = into.get((m, g), ([], []))
        zcols = [v.z[(g, tau)] for tau in taus]
        mip.add_row(cols + zcols, values + [-1.0] * len(zcols), 0.0, 0.0, "unit choice")

    # G2: a unit type takes at most as many households as it has units
    # (or beds, for shared units).
    by_type: dict[int, list[int]] = defaultdict(list)
    for (_g, tau), col in v.z.items():
        by_type[tau].append(col)
    for tau, cols in by_type.items():
        if len(cols) > 1:
            mip.add_row(cols, [1.0] * len(cols), -np.inf, float(prep.t_slots[tau]), "G2")

    # Size counts: n[m,s] is the number of households of s persons placed in
    # municipality m. G3 is stated on these few integer counts rather than on
    # the many profile variables, which gives the solver much stronger
    # knapsack cuts (the relaxation fills capacity with fractions of large
    # households; an assignment has to fill it with whole ones).
    of_size: dict[tuple[int, int], list[int]] = defaultdict(list)
    minors: dict[int, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    placed = [(pi, m, col) for (pi, m), col in v.y.items()]
    placed += [(data.tie_classes[c][0], m, col) for (c, m), col in v.t.items()]
    for pi, m, col in placed:
        size = persons_of(pi)
        of_size[(m, size)].append(col)
        if pi[3]:
            minors[m][0].append(col)
            minors[m][1].append(float(size))
    for (m, size), cols in sorted(of_size.items()):
        n = v.n[(m, size)] = mip.add_col(0, int(prep.cap_persons[m]) // size, True)
        mip.add_row(cols + [n], [1.0] * len(cols) + [-1.0], 0.0, 0.0, "size count")

    # G3: persons placed in a municipality stay within its decided capacity.
    by_municipality: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (m, size), col in v.n.items():
        by_municipality[m].append((col, size))
    for m, entries in by_municipality.items():
        cols = [col for col, _ in entries]
        sizes = [float(size) for _, size in entries]
        mip.add_row(cols, sizes, -np.inf, float(prep.cap_persons[m]), "G3")

    # G4: unaccompanied minors placed there stay within its UAM capacity.
    for m, (cols, values) in minors.items():
        mip.add_row(cols, values, -np.inf, float(prep.cap_uam[m]), "G4")

    # G5: at most zone_cap households are placed in one zone.
    if inst.zone_cap is not None:
        by_zone: dict[int, list[int]] = defaultdict(list)
        for (_g, tau), col in v.z.items():
            if prep.t_zone[tau] >= 0:
                by_zone[int(prep.t_zone[tau])].append(col)
        for cols in by_zone.values():
            mip.add_row(cols, [1.0] * len(cols), -np.inf, float(inst.zone_cap), "G5")

    # --- objective -------------------------------------------------------
    # household term on r and t, ties and labour on y and t, fit on z.
    for (pi, m), col in v.y.items():
        mip.col_cost[col] = w.labour * float(prep.labour[m]) * pi[1]
    for (c, m), col in v.t.items():
        pi, _members, base, _ties = data.tie_classes[c]
        mip.col_cost[col] = base + w.ties + w.labour * float(prep.labour[m]) * pi[1]
    for c, col in v.r_tied.items():
        mip.col_cost[col] = data.tie_classes[c][2]
    for (pi, k), col in v.r_pool.items():
        mip.col_cost[col] = data.pool_levels[pi][k][0]
    for (g, tau), col in v.z.items():
        mip.col_cost[col] = float(prep.fit_score(g)[tau])
    return mip, v


def start_vector(
    prep: Prepared, data: _Data, v: _Vars, mip: MipProblem, placements: list[Placement]
) -> np.ndarray:
    """Express (greedy) placements as a solution of the model, for a warm start."""
    x = np.zeros(mip.num_cols)
    tie_class: dict[int, int] = {}
    for c, (_pi, members, _base, _ties) in enumerate(data.tie_classes):
        for h in members:
            tie_class[h] = c
    level_index = {
        (pi, base): k
        for pi, levels in data.pool_levels.items()
        for k, (base, _n) in enumerate(levels)
    }
    for h, tau in placements:
        pi = prep.h_profile[h]
        m = int(prep.t_mun[tau])
        tied = tie_class.get(h)
        if tied is not None and m in data.tie_classes[tied][3]:
            x[v.t[(tied, m)]] += 1
        else:
            x[v.y[(pi, m)]] += 1
            if tied is not None:
                x[v.r_tied[tied]] += 1
            else:
                x[v.r_pool[(pi, level_index[(pi, float(prep.h_base[h]))])]] += 1
        x[v.z[(pi[0], tau)]] += 1
        x[v.n[(m, persons_of(pi))]] += 1
    return x


def extract(prep: Prepared, data: _Data, v: _Vars, x: np.ndarray) -> list[Placement] | None:
    """Turn model values into (household, unit type) placements.

    Returns ``None`` if the values are not integral enough to be trusted.
    """
    rounded = np.rint(x)
    for col_map in (v.y, v.t, v.z):
        cols = np.fromiter(col_map.values(), dtype=np.int64, count=len(col_map))
        if cols.size and np.max(np.abs(x[cols] - rounded[cols])) > _EXTRACT_TOLERANCE:
            return None
    value = rounded.astype(np.int64)

    at: dict[tuple[int, Group], list[int]] = defaultdict(list)
    used: set[int] = set()
    # Households placed in one of their tied municipalities.
    for (c, m), col in v.t.items():
        _pi, members, _base, _ties = data.tie_classes[c]
        free = [h for h in members if h not in used]
        for h in free[: value[col]]:
            used.add(h)
            at[(m, prep.h_group[h])].append(h)
    # Pool: per profile take the highest household terms first, and send a
    # household with a tie to that municipality when the pool places it there.
    for pi in data.profiles:
        slots = {m: int(value[v.y[(pi, m)]]) for m in data.profile_munis[pi] if (pi, m) in v.y}
        wanted = sum(slots.values())
        if not wanted:
            continue
        candidates = [h for h in prep.households_by_profile[pi] if h not in used]
        candidates.sort(key=lambda h: (-prep.h_base[h], h))
        chosen = candidates[:wanted]
        rest: list[int] = []
        for h in chosen:
            tied = next((m for m in prep.h_ties[h] if slots.get(m, 0) > 0), None)
            if tied is None:
                rest.append(h)
            else:
                slots[tied] -= 1
                at[(tied, pi[0])].append(h)
        for m, n in slots.items():
            for h in rest[:n]:
                at[(m, pi[0])].append(h)
            rest = rest[n:]
        used.update(chosen)
    placements: list[Placement] = []
    for (m, g), households in at.items():
        queue = list(households)
        for tau in data.group_types[(m, g)]:
            n = int(value[v.z[(g, tau)]])
            placements.extend((h, tau) for h in queue[:n])
            queue = queue[n:]
        if queue:
            return None
    return placements


def _closed(objective: float, bound: float | None, mip_rel_gap: float) -> bool:
    """Whether ``bound`` proves ``objective`` optimal within the relative gap.

    HiGHS also stops at an absolute gap of 1e-6, which counts as closed too.
    """
    if bound is None:
        return False
    return bound - objective <= max(mip_rel_gap * max(abs(bound), 1e-9), _ABS_GAP)


def column_municipality(prep: Prepared, data: _Data, v: _Vars, num_cols: int) -> np.ndarray:
    """The municipality each integer column belongs to (-1 for the priority columns)."""
    owner = np.full(num_cols, -1, dtype=np.int64)
    for (_pi, m), col in v.y.items():
        owner[col] = m
    for (_c, m), col in v.t.items():
        owner[col] = m
    for (m, _s), col in v.n.items():
        owner[col] = m
    for (_g, tau), col in v.z.items():
        owner[col] = prep.t_mun[tau]
    return owner


def used_persons(prep: Prepared, placements: list[Placement]) -> np.ndarray:
    """Persons placed per municipality."""
    used = np.zeros(len(prep.municipalities), dtype=np.int64)
    for h, tau in placements:
        used[prep.t_mun[tau]] += prep.h_size[h]
    return used


def solve_optimal(
    prep: Prepared,
    start: list[Placement],
    *,
    time_limit: float,
    mip_rel_gap: float,
) -> OptimalOutcome:
    """Build the aggregated model and solve it with HiGHS, starting from ``start``.

    The search runs in steps and stops as soon as the gap is closed:

    1. the LP relaxation: a dual bound, and a guide;
    2. its rounding: household counts per municipality rounded down, units
       chosen for them by a small flow problem, what is left filled greedily;
    3. a repair of the municipalities whose capacity that leaves unused: the
       model with every other municipality fixed (a large-neighbourhood step;
       filling capacity exactly with whole households is what the rounding
       cannot do, and it is small enough to solve exactly);
    4. the full model, warm-started from the best assignment so far, for the
       rest of the time.
    """
    from bosetting.engine.matching._highs import solve_mip

    deadline = time.perf_counter() + time_limit

    def left() -> float:
        return deadline - time.perf_counter()

    # --- data, variables, constraints, objective --------------------------
    data = _data(prep)
    mip, v = build_model(prep, data)
    if mip.num_cols == 0:
        return OptimalOutcome([], 0.0, "optimal", 0.0)
    cost = np.asarray(mip.col_cost)
    col_lower = np.asarray(mip.col_lower, dtype=float)
    col_upper = np.asarray(mip.col_upper, dtype=float)
    owner = column_municipality(prep, data, v, mip.num_cols)
    best = start_vector(prep, data, v, mip, start)
    best_objective = float(cost @ best)
    best_placements: list[Placement] | None = list(start)

    def offer(x: np.ndarray | None) -> None:
        """Keep ``x`` if it is better and turns into placements."""
        nonlocal best, best_objective, best_placements
        if x is None or float(cost @ x) <= best_objective:
            return
        placements = extract(prep, data, v, x)
        if placements is not None:
            best, best_objective, best_placements = x, float(cost @ x), placements

    def outcome(status: str, bound: float | None) -> OptimalOutcome:
        return OptimalOutcome(
            best_placements, bound, status, best_objective, mip.num_cols, mip.num_rows
        )

    # Rounding and repair are worth it when the gap asked for is loose or the
    # model large; a small model solved to a tight gap is faster with HiGHS's
    # own search alone, which also computes the relaxation.
    heuristic = mip_rel_gap >= _HEURISTIC_MIN_GAP or mip.num_cols >= _HEURISTIC_MIN_COLS
    bound: float | None = None

    # --- solve: relaxation ------------------------------------------------
    if heuristic:
        relaxed = solve_mip(mip, time_limit=left(), mip_rel_gap=mip_rel_gap, relax=True)
        bound = relaxed.dual_bound
        if _closed(best_objective, bound, mip_rel_gap):
            return outcome("optimal", bound)

        # --- solve: round the relaxation, fill greedily, repair -------------
        if relaxed.values is not None and left() > 0:
            lower, upper = col_lower.copy(), col_upper.copy()
            for col in (*v.y.values(), *v.t.values()):
                lower[col] = upper[col] = math.floor(relaxed.values[col] + _EXTRACT_TOLERANCE)
            units = solve_mip(
                mip,
                time_limit=left() / 4,
                mip_rel_gap=mip_rel_gap,
                col_lower=lower,
                col_upper=upper,
            )
            rounded = extract(prep, data, v, units.values) if units.values is not None else None
            if rounded is not None:
                filled = greedy_placements(prep, rounded)
                x = start_vector(prep, data, v, mip, filled)
                offer(x)
                slack = np.flatnonzero(used_persons(prep, filled) < prep.cap_persons)
                if slack.size and left() > 0 and not _closed(best_objective, bound, mip_rel_gap):
                    # Every municipality with unused capacity is re-optimised, the
                    # others keep their households and units.
                    free = np.isin(owner, slack) | (owner < 0)
                    repaired = solve_mip(
                        mip,
                        time_limit=left() / 3,
                        mip_rel_gap=min(mip_rel_gap, _REPAIR_GAP),
                        start=x,
                        col_lower=np.where(free, col_lower, np.rint(x)),
                        col_upper=np.where(free, col_upper, np.rint(x)),
                    )
                    offer(repaired.values)
            if _closed(best_objective, bound, mip_rel_gap):
                return outcome("optimal", bound)

    # --- solve: full model from the best assignment -----------------------
    if left() <= 0:
        return outcome("time_limit", bound)
    full = solve_mip(mip, time_limit=left(), mip_rel_gap=mip_rel_gap, start=best)
    offer(full.values)
    if full.dual_bound is not None:
        bound = full.dual_bound if bound is None else min(bound, full.dual_bound)
    if _closed(best_objective, bound, mip_rel_gap):
        status = "optimal"
    elif full.status == "time_limit":
        status = "time_limit"
    else:
        status = "feasible"
    # --- extract ----------------------------------------------------------
    return outcome(status, bound)
