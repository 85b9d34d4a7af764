"""The household-level model: any value per (household, unit type), solved by column generation.

The aggregated model of :mod:`.optimal` needs households of one profile to be
interchangeable towards municipalities. Format /2 breaks that: a predicted
employment probability and a wish are per household *and* municipality, and
the dynamic problem (:mod:`bosetting.engine.matching.dynamic`) discounts each
household's whole score by its own waiting. This model makes no such
assumption: one variable ``x[h,τ]`` per feasible pair of a household and a
unit type (interchangeable units, :class:`.prepared.UnitType`), valued by a
callback, under the global constraints G1–G5 and, optionally, one fairness row
per protected group.

Most of the ``households × types`` pairs are never worth using, so they are
generated only when the LP asks for them (column generation): the restricted
LP is solved, every pair is priced with its duals (vectorised, by blocks of
households), pairs with a positive reduced cost are added, until none is left.
Each pricing pass also gives a Lagrangian upper bound that is valid for the
whole problem. The integer program is then solved on the generated pairs plus
every pair whose reduced cost is within the gap (reduced-cost fixing: a pair
outside that set cannot be in any assignment better than the incumbent), so the
bound HiGHS proves on it is a bound on the whole problem.

The builder reads in the fixed order data, variables, constraints, objective,
solve, extract.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.matching.mip import MipProblem

ValueBlock = Callable[[NDArray[np.int64]], NDArray[np.float64]]
"""Values of a block of households (rows) in every unit type (columns); NaN = infeasible."""

_INITIAL_PER_HOUSEHOLD = 6
_ADD_PER_HOUSEHOLD = 10
_MAX_ROUNDS = 60
_RC_TOL = 1e-7
_MAX_FIXING_COLUMNS = 400_000
_BLOCK_CELLS = 2_000_000


@dataclass
class PairModel:
    """A household × unit-type assignment problem with arbitrary pair values.

    Attributes:
        h_size: Persons per household.
        h_uam: Household is an unaccompanied minor.
        t_mun: Municipality index per unit type.
        t_zone: Zone index per unit type, -1 when no zone row applies.
        t_slots: Households a unit type takes (G2).
        cap_persons: Persons each municipality can still take (G3).
        cap_uam: Unaccompanied minors each municipality can still take (G4).
        zone_cap: Households per zone (G5), ``None`` for no cap.
        value: Values of a block of households; NaN where the pair is infeasible.
        order: Household order of the greedy solver (first = placed first).
        fair_row: Per household, the fairness row it belongs to, or -1.
        fair_coef: Coefficients of a block of households in their fairness row
            (each row is ``sum >= 0``); ``None`` without fairness rows.
        min_value: Pairs worth at most this are never used (``None``: any feasible pair).
    """

    h_size: NDArray[np.int64]
    h_uam: NDArray[np.bool_]
    t_mun: NDArray[np.int64]
    t_zone: NDArray[np.int64]
    t_slots: NDArray[np.int64]
    cap_persons: NDArray[np.int64]
    cap_uam: NDArray[np.int64]
    zone_cap: int | None
    value: ValueBlock
    order: NDArray[np.int64]
    fair_row: NDArray[np.int64] | None = None
    fair_coef: ValueBlock | None = None
    min_value: float | None = None

    @property
    def n_households(self) -> int:
        """Number of households."""
        return len(self.h_size)

    @property
    def n_types(self) -> int:
        """Number of unit types."""
        return len(self.t_mun)

    @property
    def n_zones(self) -> int:
        """Number of zone rows."""
        return int(self.t_zone.max()) + 1 if self.t_zone.size else 0

    @property
    def n_fair(self) -> int:
        """Number of fairness rows."""
        if self.fair_row is None or not self.fair_row.size:
            return 0
        return int(self.fair_row.max()) + 1

    def blocks(self) -> list[NDArray[np.int64]]:
        """Household index blocks small enough to price at once."""
        size = max(1, _BLOCK_CELLS // max(self.n_types, 1))
        n = self.n_households
        return [np.arange(a, min(a + size, n), dtype=np.int64) for a in range(0, n, size)]

    def usable(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Feasible pairs worth using."""
        ok = ~np.isnan(values)
        if self.min_value is not None:
            ok &= np.where(ok, values, -np.inf) > self.min_value
        return ok


@dataclass
class PairOutcome:
    """What the household-level solver found.

    Attributes:
        pairs: (household index, unit type index) placements.
        objective: Their total value.
        upper_bound: A proven bound on the best total, or ``None``.
        status: ``"optimal"``, ``"time_limit"`` or ``"feasible"``.
        columns: Pairs in the final integer program.
    """

    pairs: list[tuple[int, int]]
    objective: float
    upper_bound: float | None
    status: str
    columns: int = 0


def _value_of(model: PairModel, pairs: list[tuple[int, int]]) -> float:
    total = 0.0
    if not pairs:
        return 0.0
    hs = np.array([h for h, _ in pairs], dtype=np.int64)
    ts = np.array([t for _, t in pairs], dtype=np.int64)
    for block in model.blocks():
        mask = np.isin(hs, block)
        if not mask.any():
            continue
        values = model.value(block)
        row_of = {int(h): i for i, h in enumerate(block)}
        rows = np.array([row_of[int(h)] for h in hs[mask]], dtype=np.int64)
        total += math.fsum(values[rows, ts[mask]].tolist())
    return total


def greedy_pairs(
    model: PairModel, fixed: list[tuple[int, int]] | None = None
) -> list[tuple[int, int]]:
    """Households in ``model.order`` each take the best pair still open (G2–G5 kept).

    Args:
        model: The problem.
        fixed: Placements to keep (valid together); the greedy fills what they leave.
    """
    if model.n_types == 0:
        return []
    type_left = model.t_slots.astype(np.int64).copy()
    persons_left = model.cap_persons.astype(np.int64).copy()
    uam_left = model.cap_uam.astype(np.int64).copy()
    zone_left = np.full(max(model.n_zones, 1), model.zone_cap or 0, dtype=np.int64)
    zoned = model.t_zone >= 0
    zone_index = np.where(zoned, model.t_zone, 0)
    pairs: list[tuple[int, int]] = []
    for h, t in fixed or []:
        m = int(model.t_mun[t])
        size = int(model.h_size[h])
        type_left[t] -= 1
        persons_left[m] -= size
        if model.h_uam[h]:
            uam_left[m] -= size
        if zoned[t]:
            zone_left[zone_index[t]] -= 1
        pairs.append((h, t))
    size_block = max(1, _BLOCK_CELLS // model.n_types)
    done = {h for h, _ in pairs}
    order = np.array([h for h in model.order.tolist() if h not in done], dtype=np.int64)
    for start in range(0, len(order), size_block):
        block = order[start : start + size_block]
        values = model.value(block)
        usable = model.usable(values)
        for i, h in enumerate(block.tolist()):
            size = int(model.h_size[h])
            ok = usable[i] & (type_left > 0) & (persons_left[model.t_mun] >= size)
            if model.h_uam[h]:
                ok &= uam_left[model.t_mun] >= size
            if model.zone_cap is not None:
                ok &= ~zoned | (zone_left[zone_index] > 0)
            if not ok.any():
                continue
            t = int(np.argmax(np.where(ok, values[i], -np.inf)))
            m = int(model.t_mun[t])
            type_left[t] -= 1
            persons_left[m] -= size
            if model.h_uam[h]:
                uam_left[m] -= size
            if zoned[t]:
                zone_left[zone_index[t]] -= 1
            pairs.append((h, t))
    return pairs


class _Columns:
    """The generated pairs and their values."""

    def __init__(self) -> None:
        self.index: dict[tuple[int, int], int] = {}
        self.h: list[int] = []
        self.t: list[int] = []
        self.v: list[float] = []
        self.f: list[float] = []

    def add(self, h: int, t: int, value: float, coef: float) -> bool:
        if (h, t) in self.index:
            return False
        self.index[(h, t)] = len(self.h)
        self.h.append(h)
        self.t.append(t)
        self.v.append(value)
        self.f.append(coef)
        return True

    def __len__(self) -> int:
        return len(self.h)


@dataclass
class _Rows:
    household: int
    unit_type: int
    persons: int
    uam: int
    zone: int
    fair: int
    total: int


def _rows(model: PairModel) -> _Rows:
    h0 = 0
    t0 = h0 + model.n_households
    m0 = t0 + model.n_types
    u0 = m0 + len(model.cap_persons)
    z0 = u0 + len(model.cap_persons)
    f0 = z0 + (model.n_zones if model.zone_cap is not None else 0)
    return _Rows(h0, t0, m0, u0, z0, f0, f0 + model.n_fair)


def _build(model: PairModel, cols: _Columns, rows: _Rows, integer: bool) -> MipProblem:
    """Variables, constraints and objective of the restricted problem.

    The integer program has, after the pair columns, one count column per
    (municipality, household size); :func:`_vector` fills them for a start.
    """
    mip = MipProblem()
    mip_counts: dict[tuple[int, int], int] = {}
    mip.count_cols = mip_counts  # type: ignore[attr-defined]
    # --- variables: x[h,τ] >= 0; G1 keeps each at most 1 ----------------------
    for _ in range(len(cols)):
        mip.add_col(0.0, 1.0 if integer else math.inf, integer)
    col_ids = list(range(len(cols)))
    pending_count_rows: list[tuple[int, list[int]]] = []
    count_cols = mip_counts
    by_household: list[list[int]] = [[] for _ in range(model.n_households)]
    by_type: list[list[int]] = [[] for _ in range(model.n_types)]
    by_mun: list[list[int]] = [[] for _ in range(len(model.cap_persons))]
    for j in col_ids:
        by_household[cols.h[j]].append(j)
        by_type[cols.t[j]].append(j)
        by_mun[int(model.t_mun[cols.t[j]])].append(j)

    # --- constraints -----------------------------------------------------------
    # G1: each household is placed at most once.
    for js in by_household:
        mip.add_row(js, [1.0] * len(js), -math.inf, 1.0, "G1")
    # G2: a unit type takes at most its units (or beds, for shared units).
    for t, js in enumerate(by_type):
        mip.add_row(js, [1.0] * len(js), -math.inf, float(model.t_slots[t]), "G2")
    # G3: persons placed in a municipality stay within its decided capacity.
    if not integer:
        for m, js in enumerate(by_mun):
            sizes = [float(model.h_size[cols.h[j]]) for j in js]
            mip.add_row(js, sizes, -math.inf, float(model.cap_persons[m]), "G3")
    else:
        # In the integer program G3 is stated on counts n[m,s] of households of s
        # persons placed in m, as in the aggregated model: the same solutions,
        # much stronger knapsack cuts. The rows stay in place (one per
        # municipality) so that row indices match the relaxation's.
        for m, js in enumerate(by_mun):
            of_size: dict[int, list[int]] = {}
            for j in js:
                of_size.setdefault(int(model.h_size[cols.h[j]]), []).append(j)
            entries = []
            for size in sorted(of_size):
                n = mip.add_col(0.0, float(int(model.cap_persons[m]) // size), True)
                count_cols[(m, size)] = n
                entries.append((n, of_size[size]))
            mip.add_row(
                [n for n, _ in entries],
                [float(size) for size in sorted(of_size)],
                -math.inf,
                float(model.cap_persons[m]),
                "G3",
            )
            for n, js_s in entries:
                pending_count_rows.append((n, js_s))
    # G4: unaccompanied minors placed there stay within its UAM capacity.
    for m, js in enumerate(by_mun):
        minors = [j for j in js if model.h_uam[cols.h[j]]]
        sizes = [float(model.h_size[cols.h[j]]) for j in minors]
        mip.add_row(minors, sizes, -math.inf, float(model.cap_uam[m]), "G4")
    # G5: at most zone_cap households are placed in one zone.
    if model.zone_cap is not None:
        by_zone: list[list[int]] = [[] for _ in range(model.n_zones)]
        for j in col_ids:
            z = int(model.t_zone[cols.t[j]])
            if z >= 0:
                by_zone[z].append(j)
        for js in by_zone:
            mip.add_row(js, [1.0] * len(js), -math.inf, float(model.zone_cap), "G5")
    # Fairness: a protected group's mean predicted employment over its placed
    # adults is at least its outcome-blind mean (sum of adults·(p − mean) >= 0).
    if model.n_fair and model.fair_row is not None:
        by_fair: list[list[int]] = [[] for _ in range(model.n_fair)]
        for j in col_ids:
            r = int(model.fair_row[cols.h[j]])
            if r >= 0:
                by_fair[r].append(j)
        for js in by_fair:
            mip.add_row(js, [cols.f[j] for j in js], 0.0, math.inf, "fairness")

    # Size counts: n[m,s] is the number of households of s persons placed in m.
    for n, js in pending_count_rows:
        mip.add_row(js + [n], [1.0] * len(js) + [-1.0], 0.0, 0.0, "size count")

    # --- objective: the value of every pair -------------------------------------
    mip.col_cost[: len(cols)] = list(cols.v)
    return mip


def _vector(
    model: PairModel, cols: _Columns, mip: MipProblem, pairs: list[tuple[int, int]]
) -> NDArray[np.float64]:
    """``pairs`` as a full solution vector of ``mip`` (size counts included)."""
    x = np.zeros(mip.num_cols)
    counts: dict[tuple[int, int], int] = getattr(mip, "count_cols", {})
    for h, t in pairs:
        x[cols.index[(h, t)]] = 1.0
        key = (int(model.t_mun[t]), int(model.h_size[h]))
        if key in counts:
            x[counts[key]] += 1.0
    return x


def _row_bounds(model: PairModel, rows: _Rows) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Row bounds in the order of :class:`_Rows` (the relaxation's rows)."""
    lower = np.full(rows.total, -math.inf)
    upper = np.zeros(rows.total)
    upper[rows.household : rows.unit_type] = 1.0
    upper[rows.unit_type : rows.persons] = model.t_slots
    upper[rows.persons : rows.uam] = model.cap_persons
    upper[rows.uam : rows.zone] = model.cap_uam
    upper[rows.zone : rows.fair] = model.zone_cap or 0
    lower[rows.fair : rows.total] = 0.0
    upper[rows.fair : rows.total] = math.inf
    return lower, upper


def _entries(
    model: PairModel, rows: _Rows, h: int, t: int, coef: float
) -> tuple[list[int], list[float]]:
    """The relaxation's row entries of the pair (h, t)."""
    m = int(model.t_mun[t])
    size = float(model.h_size[h])
    index = [rows.household + h, rows.unit_type + t, rows.persons + m]
    value = [1.0, 1.0, size]
    if model.h_uam[h]:
        index.append(rows.uam + m)
        value.append(size)
    zone = int(model.t_zone[t])
    if model.zone_cap is not None and zone >= 0:
        index.append(rows.zone + zone)
        value.append(1.0)
    if model.fair_row is not None and model.fair_row[h] >= 0 and coef != 0.0:
        index.append(rows.fair + int(model.fair_row[h]))
        value.append(coef)
    return index, value


def _duals_by_kind(
    model: PairModel, rows: _Rows, row_dual: NDArray[np.float64]
) -> tuple[NDArray[np.float64], ...]:
    y = np.asarray(row_dual, dtype=np.float64)
    yh = y[rows.household : rows.unit_type]
    yt = y[rows.unit_type : rows.persons]
    ym = y[rows.persons : rows.uam]
    yu = y[rows.uam : rows.zone]
    yz = y[rows.zone : rows.fair] if model.zone_cap is not None else np.zeros(0)
    yf = y[rows.fair : rows.total]
    return yh, yt, ym, yu, yz, yf


def _lagrangian_bound(
    model: PairModel, duals: tuple[NDArray[np.float64], ...]
) -> tuple[float, list[tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]]]:
    """Price every pair: the Lagrangian bound and, per block, the reduced costs.

    With HiGHS's duals ``y`` of the minimisation of ``-value``, the reduced cost of
    a pair in the maximisation is ``value + Σ a·y`` over its rows (the household
    row left out here). For any such ``y`` (signs as HiGHS returns them), every
    household taking at most one pair gives the bound
    ``Σ_rows −y·rhs + Σ_h max(0, max_pairs reduced cost)``.
    """
    _yh, yt, ym, yu, yz, yf = duals
    per_type = yt.copy()
    if model.zone_cap is not None and yz.size:
        per_type += np.where(model.t_zone >= 0, yz[np.maximum(model.t_zone, 0)], 0.0)
    person_type = ym[model.t_mun]
    uam_type = yu[model.t_mun]
    constant = -float(np.dot(yt, model.t_slots) + np.dot(ym, model.cap_persons))
    constant -= float(np.dot(yu, model.cap_uam))
    if model.zone_cap is not None and yz.size:
        constant -= float(yz.sum()) * model.zone_cap
    total = constant
    priced = []
    for block in model.blocks():
        values = model.value(block)
        usable = model.usable(values)
        sizes = model.h_size[block].astype(np.float64)[:, None]
        # Municipal rows count persons, the UAM row only minors' persons.
        rc = values + per_type[None, :] + sizes * person_type[None, :]
        minors = model.h_uam[block][:, None]
        rc = rc + np.where(minors, sizes * uam_type[None, :], 0.0)
        if model.n_fair and model.fair_coef is not None and model.fair_row is not None:
            rows = model.fair_row[block]
            coef = model.fair_coef(block)
            y_row = np.where(rows >= 0, yf[np.maximum(rows, 0)] if yf.size else 0.0, 0.0)
            rc = rc + np.where(rows[:, None] >= 0, np.nan_to_num(coef) * y_row[:, None], 0.0)
        rc = np.where(usable, rc, -np.inf)
        best = rc.max(axis=1) if rc.shape[1] else np.zeros(len(block))
        total += float(np.maximum(best, 0.0).sum())
        priced.append((block, rc, values))
    return total, priced


def solve_pairs(
    model: PairModel,
    *,
    time_limit: float,
    mip_rel_gap: float,
    start: list[tuple[int, int]] | None = None,
) -> PairOutcome:
    """Maximise the total value of the placements (G1–G5 and the fairness rows kept).

    Args:
        model: The problem.
        time_limit: Seconds for the whole search.
        mip_rel_gap: Relative gap at which HiGHS stops.
        start: A valid assignment to start from (default: :func:`greedy_pairs`).
    """
    from bosetting.engine.matching._highs import LpSession, solve_mip

    began = time.perf_counter()
    deadline = began + time_limit

    def left() -> float:
        return deadline - time.perf_counter()

    # --- data -------------------------------------------------------------------
    start = greedy_pairs(model) if start is None else list(start)
    start_value = _value_of(model, start)
    rows = _rows(model)
    cols = _Columns()
    if model.n_types == 0 or model.n_households == 0:
        return PairOutcome([], 0.0, 0.0, "optimal")

    def coef_of(block: NDArray[np.int64]) -> NDArray[np.float64]:
        if model.fair_coef is None:
            return np.zeros((len(block), model.n_types))
        return np.nan_to_num(model.fair_coef(block))

    # --- variables: the start, and each household's best pairs -------------------
    start_of = dict(start)
    for block in model.blocks():
        values = model.value(block)
        usable = model.usable(values)
        coef = coef_of(block)
        ranked = np.where(usable, values, -np.inf)
        k = min(_INITIAL_PER_HOUSEHOLD, model.n_types)
        top = np.argpartition(-ranked, k - 1, axis=1)[:, :k] if k else np.zeros((len(block), 0))
        for i, h in enumerate(block.tolist()):
            if h in start_of:
                t = start_of[h]
                cols.add(h, t, float(values[i, t]), float(coef[i, t]))
            for t in top[i].tolist():
                if usable[i, t]:
                    cols.add(h, t, float(values[i, t]), float(coef[i, t]))

    if not len(cols):
        return PairOutcome([], 0.0, 0.0, "optimal")  # no feasible pair at all

    # --- solve: column generation on the LP relaxation ---------------------------
    session = LpSession(*_row_bounds(model, rows))
    in_lp = 0

    def push() -> None:
        nonlocal in_lp
        new = range(in_lp, len(cols))
        entries = [_entries(model, rows, cols.h[j], cols.t[j], cols.f[j]) for j in new]
        session.add_columns(
            [cols.v[j] for j in new], [e[0] for e in entries], [e[1] for e in entries]
        )
        in_lp = len(cols)

    bound: float = math.inf
    lp_value: float | None = None
    lp_x: NDArray[np.float64] | None = None
    priced: list = []
    converged = False
    for _round in range(_MAX_ROUNDS):
        if left() <= 0:
            break
        push()
        lp = session.solve(max(left(), 0.05))
        if lp.row_dual is None or lp.objective is None:
            break
        lp_value = lp.objective
        lp_x = lp.values
        duals = _duals_by_kind(model, rows, lp.row_dual)
        lagrangian, priced = _lagrangian_bound(model, duals)
        bound = min(bound, lagrangian)
        yh = duals[0]
        added = 0
        for block, rc, values in priced:
            full = rc + yh[block][:, None]
            k = min(_ADD_PER_HOUSEHOLD, model.n_types)
            top = np.argpartition(-full, k - 1, axis=1)[:, :k]
            lazy: NDArray[np.float64] | None = None
            for i, h in enumerate(block.tolist()):
                for t in top[i].tolist():
                    if full[i, t] > _RC_TOL and (h, t) not in cols.index:
                        if lazy is None:
                            lazy = coef_of(block)
                        added += cols.add(h, t, float(values[i, t]), float(lazy[i, t]))
        if added == 0:
            converged = True
            bound = min(bound, max(lp_value, start_value))
            break

    # --- solve: fix what the relaxation decides, solve the rest ------------------
    # Households the relaxation places whole keep their pair; the integer
    # program over the others is small (the fractional households sit where
    # capacity binds) and usually closes most of the gap.
    best_pairs, best_value = start, start_value
    if lp_x is not None and left() > 0.1:
        whole = np.zeros(len(cols), dtype=bool)
        whole[: len(lp_x)] = lp_x > 1.0 - 1e-6
        kept_h = {cols.h[j] for j in np.flatnonzero(whole)}
        sub_mip = _build(model, cols, rows, integer=True)
        lower = np.asarray(sub_mip.col_lower, dtype=np.float64)
        upper = np.asarray(sub_mip.col_upper, dtype=np.float64)
        for j in range(len(cols)):
            if whole[j]:
                lower[j] = 1.0
            elif cols.h[j] in kept_h:
                upper[j] = 0.0
        sub = solve_mip(
            sub_mip,
            time_limit=max(left() / 3, 0.05),
            mip_rel_gap=mip_rel_gap,
            col_lower=lower,
            col_upper=upper,
        )
        if sub.values is not None:
            fixed = [(cols.h[j], cols.t[j]) for j in np.flatnonzero(sub.values[: len(cols)] > 0.5)]
            filled = fixed if model.n_fair else greedy_pairs(model, fixed)
            value = _value_of(model, filled)
            if value > best_value:
                best_pairs, best_value = filled, value
    if bound - best_value <= max(mip_rel_gap * abs(bound), 1e-6):
        return PairOutcome(
            sorted(best_pairs), best_value, max(bound, best_value), "optimal", len(cols)
        )

    # --- solve: reduced-cost fixing, then the integer program --------------------
    exact_columns = False
    if converged and lp_value is not None:
        incumbent = best_value
        slack = max(lp_value - incumbent, 0.0) + 1e-9
        yh = duals[0]
        extra: list[tuple[int, int, float]] = []
        for block, rc, values in priced:
            full = rc + yh[block][:, None]
            hi, ti = np.nonzero(full >= -slack)
            extra.extend(
                (int(block[i]), int(t), float(values[i, t])) for i, t in zip(hi, ti, strict=True)
            )
            if len(extra) > min(_MAX_FIXING_COLUMNS, max(3 * len(cols), 20_000)):
                break
        if len(extra) <= min(_MAX_FIXING_COLUMNS, max(3 * len(cols), 20_000)):
            exact_columns = True
            blocks = {int(h) for h, _t, _v in extra}
            coefs: dict[int, NDArray[np.float64]] = {}
            if model.fair_coef is not None and blocks:
                hs = np.array(sorted(blocks), dtype=np.int64)
                for i, row in enumerate(coef_of(hs)):
                    coefs[int(hs[i])] = row
            for h, t, v in extra:
                cols.add(h, t, v, float(coefs[h][t]) if h in coefs else 0.0)

    mip = _build(model, cols, rows, integer=True)
    missing = [(h, t) for h, t in best_pairs if (h, t) not in cols.index]
    if missing:
        hs = np.array(sorted({h for h, _ in missing}), dtype=np.int64)
        row_of = {int(h): i for i, h in enumerate(hs)}
        values, coef = model.value(hs), coef_of(hs)
        for h, t in missing:
            cols.add(h, t, float(values[row_of[h], t]), float(coef[row_of[h], t]))
        mip = _build(model, cols, rows, integer=True)
    x0 = _vector(model, cols, mip, best_pairs)
    status = "time_limit" if not converged else "feasible"
    if left() > 0.5:
        out = solve_mip(mip, time_limit=left(), mip_rel_gap=mip_rel_gap, start=x0)
        if out.values is not None and out.objective is not None and out.objective > best_value:
            chosen = np.flatnonzero(out.values[: len(cols)] > 0.5)
            best_pairs = [(cols.h[j], cols.t[j]) for j in chosen]
            best_value = _value_of(model, best_pairs)
        if exact_columns and out.dual_bound is not None:
            bound = min(bound, max(out.dual_bound, best_value))
        status = "time_limit" if out.status == "time_limit" else "feasible"
    proven: float | None = None
    if math.isfinite(bound):
        proven = max(float(bound), best_value)
    if proven is not None and proven - best_value <= max(mip_rel_gap * abs(proven), 1e-6):
        status = "optimal"
    return PairOutcome(sorted(best_pairs), best_value, proven, status, len(cols))
