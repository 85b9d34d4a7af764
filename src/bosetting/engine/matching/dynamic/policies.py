"""Policies for a year of decisions: the runner, ``myopic`` and ``lookahead``.

The runner enforces the information rule by construction: at batch date t a
policy is handed a :class:`BatchView` — households ready by t and not placed,
units usable at t and not used, the capacity left, and what was seen before
t — and nothing else. Its placements are final. :func:`~.stream.check_decisions`
replays them afterwards, so a policy that reaches past the view (the tests have
one) is caught.

* ``myopic`` solves each batch optimally for the batch alone (values
  ``v(h,u,t)``) and holds nothing back: the ``myopic_value`` of the contract.
* ``lookahead`` prices what a placement uses up. Before each batch it builds
  sampled futures — the rest of the period's arrivals and flats, drawn from
  what it has seen so far at the rate it has seen them — and solves the LP
  relaxation of "everyone still to come, all capacity left" on each
  (the fast aggregated model of :mod:`..optimal`). The duals of the
  municipalities' person and UAM capacity rows are potentials: the value a
  person's place in that municipality is expected to have later. The batch is
  then solved with each pair valued ``v(h,u,t) − θ·size·(potential)``, and a
  household is left for a later batch when no pair is worth more than its
  potential (dual-price potentials learnt from sampled futures, after Ahani,
  Andersson, Martinello, Teytelboym and Trapp, Operations Research 2024).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.matching.dynamic.stream import Decision, Stream, discount, value
from bosetting.engine.matching.fairness import group_figures
from bosetting.engine.matching.greedy import concretise
from bosetting.engine.matching.household_model import pair_model
from bosetting.engine.matching.model import (
    FAIRNESS_MIN_PLACED,
    FAIRNESS_TOLERANCE,
    Household,
    Instance,
    Unit,
)
from bosetting.engine.matching.optimal import _data, build_model
from bosetting.engine.matching.pairwise import solve_pairs
from bosetting.engine.matching.prepared import Prepared
from bosetting.engine.matching.result import MatchResult, make_result
from bosetting.engine.matching.solve import solve

POLICIES = ("myopic", "lookahead")
LOOKAHEAD_SAMPLES = 2
"""Sampled futures per batch."""
POTENTIAL_SHARE = 0.35
"""Share of a batch's time limit the look-ahead may spend learning its potentials."""
SAFETY = 0.8
"""Solvers are given this share of the time left (HiGHS may overrun its limit a little)."""
LOOKAHEAD_THETA = 0.5
"""Share of the potential charged to a placement (1 = the full dual price)."""


@dataclass
class BatchView:
    """What a policy may see at batch date t — "det som er kjent på dagen".

    Attributes:
        day: The batch date t.
        index: The batch number (0 for the first).
        batches_left: Batches after this one.
        period_start: First day of the period.
        period_end: Last day of the period.
        instance: The batch as an instance at ``as_of = t``: households ready
            and not placed, units usable and not used (shared units with the
            beds left), municipalities with the capacity left.
        seen_households: Every household ready by t (placed or not).
        seen_units: Every unit usable by t (used or not).
        history_days: Days of arrivals the seen households stand for (default:
            from the period's start to t).
    """

    day: date
    index: int
    batches_left: int
    period_start: date
    period_end: date
    instance: Instance
    seen_households: tuple[Household, ...] = ()
    seen_units: tuple[Unit, ...] = ()
    history_days: int | None = None


Policy = Callable[[BatchView], list[tuple[str, str]]]
"""A policy: (household id, unit id) placements for the batch in view."""


@dataclass
class Run:
    """A policy's year: its decisions, their total value and time per batch."""

    decisions: list[Decision]
    value: float
    batches: int
    seconds: float
    batch_seconds: list[float] = field(default_factory=list)


def run_policy(stream: Stream, policy: Policy) -> Run:
    """Run a policy over the batches of the period in date order.

    Placements are recorded as the policy makes them (the checker judges them).
    """
    inst = stream.instance
    began = time.perf_counter()
    placed: set[str] = set()
    beds_left = {u.id: u.slots for u in inst.units}
    persons_left = {m.id: m.capacity_persons for m in inst.municipalities}
    uam_left = {m.id: m.capacity_uam for m in inst.municipalities}
    decisions: list[Decision] = []
    per_batch: list[float] = []
    n = len(stream.batch_dates)
    for k, day in enumerate(stream.batch_dates):
        t0 = time.perf_counter()
        ready = [
            h
            for h in inst.households
            if h.ready_date is not None and h.ready_date <= day and h.id not in placed
        ]
        units = [
            replace(u, beds=beds_left[u.id]) if u.shared else u
            for u in inst.units
            if stream.usable(u, day) and beds_left[u.id] > 0
        ]
        munis = tuple(
            replace(m, capacity_persons=persons_left[m.id], capacity_uam=uam_left[m.id])
            for m in inst.municipalities
        )
        ready_ids = {h.id for h in ready}
        batch = replace(
            inst,
            as_of=day,
            municipalities=munis,
            units=tuple(units),
            households=tuple(ready),
            outcomes=tuple(o for o in inst.outcomes if o[0] in ready_ids),
            fairness=False,
            fairness_groups=None,
        )
        view = BatchView(
            day=day,
            index=k,
            batches_left=n - k - 1,
            period_start=stream.period_start,
            period_end=stream.period_end,
            instance=batch,
            seen_households=tuple(
                h for h in inst.households if h.ready_date is not None and h.ready_date <= day
            ),
            seen_units=tuple(u for u in inst.units if stream.usable(u, day)),
        )
        for household_id, unit_id in policy(view) if ready and units else []:
            household = inst.household_by_id[household_id]
            unit = inst.unit_by_id[unit_id]
            decisions.append(
                Decision(
                    household_id,
                    unit_id,
                    unit.municipality,
                    day,
                    value(stream, household, unit, day),
                )
            )
            placed.add(household_id)
            beds_left[unit_id] -= 1
            persons_left[unit.municipality] -= household.size
            if household.uam:
                uam_left[unit.municipality] -= household.size
        per_batch.append(time.perf_counter() - t0)
    total = float(sum(d.value for d in decisions))
    return Run(decisions, total, n, time.perf_counter() - began, per_batch)


# --- solving one batch ------------------------------------------------------------------------------


def _at_ready(batch: Instance) -> Instance:
    """The batch with permit dates moved so that priority at t is priority at ``ready_date``.

    ``v(h,u,t)`` scores a household as on the day it became ready; moving its
    permit date by ``t − ready_date`` makes ``p(h)`` at ``as_of = t`` exactly that.
    """
    moved = []
    for h in batch.households:
        assert h.ready_date is not None
        moved.append(replace(h, permit_date=h.permit_date + (batch.as_of - h.ready_date)))
    return replace(batch, households=tuple(moved))


def solve_batch(
    view: BatchView,
    *,
    time_limit: float,
    potential: Callable[[Prepared], Callable] | None = None,
) -> list[tuple[str, str]]:
    """Place the batch to maximise its total value (less potentials, when given)."""
    batch = _at_ready(view.instance)
    prep = Prepared(batch)
    if not prep.types or not batch.households:
        return []
    scale = np.array([discount(h, view.day) for h in view.instance.households])
    adjust = potential(prep) if potential is not None else None
    model = pair_model(
        prep, scale=scale, adjust=adjust, min_value=0.0 if potential is not None else None
    )
    outcome = solve_pairs(model, time_limit=max(time_limit, 0.2), mip_rel_gap=1e-4)
    pairs = concretise(prep, outcome.pairs)
    return [(batch.households[h].id, batch.units[u].id) for h, u in pairs]


def myopic(time_limit: float = 5.0) -> Policy:
    """The batch optimum, nothing held back."""

    def policy(view: BatchView) -> list[tuple[str, str]]:
        return solve_batch(view, time_limit=SAFETY * time_limit)

    return policy


def _sample_future(view: BatchView, rng: random.Random) -> Instance:
    """The rest of the period, sampled from what was seen, as one instance at ``as_of = t``.

    Future households and flats are drawn (with replacement) from those seen so
    far, as many as the rate seen so far gives for the days left. Everyone is
    scored as on the day they become ready; all flats count.
    """
    day = view.day
    elapsed = view.history_days or max((day - view.period_start).days + 1, 1)
    left = (view.period_end - day).days
    now = _at_ready(view.instance)
    households = list(now.households)
    seen_h = view.seen_households
    if seen_h and left > 0:
        expected = len(seen_h) * left / elapsed
        count = int(expected) + (rng.random() < expected - int(expected))
        for i in range(count):
            src = rng.choice(seen_h)
            assert src.ready_date is not None
            households.append(
                replace(
                    src,
                    id=f"~h{i}",
                    permit_date=day - (src.ready_date - src.permit_date),
                    ready_date=day,
                )
            )
    units = [replace(u, available_from=day) for u in now.units]
    seen_u = view.seen_units
    if seen_u and left > 0:
        expected = len(seen_u) * left / elapsed
        count = int(expected)
        units += [
            replace(rng.choice(seen_u), id=f"~u{i}", available_from=day) for i in range(count)
        ]
    known = {h.id for h in households}
    return replace(
        now,
        households=tuple(households),
        units=tuple(units),
        outcomes=tuple(o for o in now.outcomes if o[0] in known),
        zone_cap=None,
        horizon_days=0,
    )


def capacity_potentials(
    view: BatchView, samples: int = LOOKAHEAD_SAMPLES, seed: int = 0, time_limit: float = 10.0
) -> tuple[dict[str, float], dict[str, float]]:
    """Dual prices of a person's place and a minor's place per municipality, over sampled futures.

    Samples are averaged; a sample whose LP is not solved within its share of ``time_limit`` is
    left out (the potentials of the others are scaled up accordingly).
    """
    from bosetting.engine.matching._highs import solve_mip

    began = time.perf_counter()
    rng = random.Random(f"{seed}-{view.day.isoformat()}")
    persons: dict[str, float] = {m.id: 0.0 for m in view.instance.municipalities}
    minors: dict[str, float] = dict(persons)
    solved = 0
    for k in range(samples):
        share = (time_limit - (time.perf_counter() - began)) / (samples - k)
        if share <= 0.05:
            break
        future = _sample_future(view, rng)
        prep = Prepared(future)
        if not prep.types or not future.households:
            continue
        data = _data(prep)
        mip, v = build_model(prep, data)
        if mip.num_cols == 0:
            continue
        lp = solve_mip(mip, time_limit=share, mip_rel_gap=1e-4, relax=True)
        if lp.row_dual is None:
            continue
        solved += 1
        count_mun = {col: m for (m, _size), col in v.n.items()}
        owner_of_row: dict[int, int] = {}
        for r, c in zip(mip.entry_row, mip.entry_col, strict=True):
            family = mip.row_family[r]
            if family in ("G3",) and c in count_mun:
                owner_of_row[r] = count_mun[c]
        for r, m in owner_of_row.items():
            persons[prep.municipalities[m].id] += max(-float(lp.row_dual[r]), 0.0)
        minor_rows = [r for r, f in enumerate(mip.row_family) if f == "G4"]
        minor_mun = {col: m for (_pi, m), col in v.y.items()}
        minor_mun.update({col: m for (_c, m), col in v.t.items()})
        for r in minor_rows:
            cols = [c for rr, c in zip(mip.entry_row, mip.entry_col, strict=True) if rr == r]
            if cols and cols[0] in minor_mun:
                mid = prep.municipalities[minor_mun[cols[0]]].id
                minors[mid] += max(-float(lp.row_dual[r]), 0.0)
    if solved:
        persons = {k: v / solved for k, v in persons.items()}
        minors = {k: v / solved for k, v in minors.items()}
    return persons, minors


def lookahead(
    time_limit: float = 5.0, theta: float = LOOKAHEAD_THETA, samples: int = LOOKAHEAD_SAMPLES
) -> Policy:
    """Capacity potentials from sampled futures; a pair must be worth more than what it uses up."""

    def policy(view: BatchView) -> list[tuple[str, str]]:
        began = time.perf_counter()
        if view.batches_left == 0:
            return solve_batch(view, time_limit=SAFETY * time_limit)  # nothing comes later
        persons, minors = capacity_potentials(
            view, samples, time_limit=POTENTIAL_SHARE * time_limit
        )

        def potential(prep: Prepared) -> Callable:
            gamma = np.array([persons[m.id] for m in prep.municipalities])
            eta = np.array([minors[m.id] for m in prep.municipalities])
            size = prep.h_size.astype(np.float64)
            uam = np.array([pi[3] for pi in prep.h_profile], dtype=bool)

            def adjust(block: NDArray[np.int64], v: NDArray[np.float64]) -> NDArray[np.float64]:
                per_person = gamma[prep.t_mun][None, :] + np.where(
                    uam[block][:, None], eta[prep.t_mun][None, :], 0.0
                )
                return v - theta * size[block][:, None] * per_person

            return adjust

        left = SAFETY * time_limit - (time.perf_counter() - began)
        return solve_batch(view, time_limit=left, potential=potential)

    return policy


def make_policy(name: str, time_limit: float = 5.0) -> Policy:
    """The policy called ``name`` (``myopic`` or ``lookahead``).

    Raises:
        ValueError: for an unknown name.
    """
    if name == "myopic":
        return myopic(time_limit)
    if name == "lookahead":
        return lookahead(time_limit)
    raise ValueError(f"policy must be one of {', '.join(POLICIES)}, not {name!r}")


ROUND_HISTORY_DAYS = 90
"""A product round assumes its queue of ready households is about three months of arrivals."""


def solve_round_lookahead(
    instance: Instance,
    *,
    time_limit: float,
    theta: float = LOOKAHEAD_THETA,
    samples: int = LOOKAHEAD_SAMPLES,
) -> tuple[MatchResult, dict[str, object]]:
    """One product round with the look-ahead policy's potentials ("utsøking med framsyn").

    The rest of the calendar year is sampled from the round's own queue and flats (the queue taken
    as about three months of arrivals), the capacity potentials are learnt from it, and the round
    is solved with every pair charged its potential; households for whom no pair is worth it are
    left for a later round. Scores in the result are the contract's ``s(h,u)``. With the fairness
    rule on, a result that would leave a protected group worse off than the outcome-blind optimum
    is replaced by the ordinary round's (which keeps the rule).

    Returns:
        The result and what the look-ahead did: ``held_back`` (households with a feasible pair
        left for later) and ``potentials`` (per person, by municipality id).
    """
    began = time.perf_counter()
    day = instance.as_of
    ready = tuple(replace(h, ready_date=day) for h in instance.households)
    batch = replace(instance, households=ready, fairness=False, fairness_groups=None)
    view = BatchView(
        day=day,
        index=0,
        batches_left=1,
        period_start=date(day.year, 1, 1),
        period_end=date(day.year, 12, 31),
        instance=batch,
        seen_households=ready,
        seen_units=batch.units,
        history_days=ROUND_HISTORY_DAYS,
    )
    persons, minors = capacity_potentials(view, samples, time_limit=POTENTIAL_SHARE * time_limit)
    prep = Prepared(instance)
    gamma = np.array([persons[m.id] for m in prep.municipalities])
    eta = np.array([minors[m.id] for m in prep.municipalities])
    size = prep.h_size.astype(np.float64)
    uam = np.array([pi[3] for pi in prep.h_profile], dtype=bool)

    def adjust(block: NDArray[np.int64], v: NDArray[np.float64]) -> NDArray[np.float64]:
        per_person = gamma[prep.t_mun][None, :] + np.where(
            uam[block][:, None], eta[prep.t_mun][None, :], 0.0
        )
        return v - theta * size[block][:, None] * per_person

    pairs: list[tuple[int, int]] = []
    if prep.types and instance.households:
        model = pair_model(prep, adjust=adjust, min_value=0.0)
        left = max(time_limit - (time.perf_counter() - began), 0.5)
        pairs = concretise(prep, solve_pairs(model, time_limit=left, mip_rel_gap=1e-4).pairs)
    result = make_result(
        prep,
        pairs,
        upper_bound=None,
        seconds=0.0,
        solver="lookahead",
        status="feasible",
    )
    placed = {h for h, _ in pairs}
    could = {h for h in range(len(instance.households)) if prep.type_ok(prep.h_profile[h]).any()}
    info: dict[str, object] = {"held_back": len(could - placed), "potentials": persons}
    if instance.fairness:
        ordinary = solve(instance, time_limit=max(time_limit - (time.perf_counter() - began), 1.0))
        assert ordinary.groups is not None
        blind = {g: f["mean_p_employment_outcome_blind"] for g, f in ordinary.groups.items()}
        final = group_figures(
            instance, [(a.household_id, a.municipality_id) for a in result.assignments]
        )
        blind_placed = {g: f["placed_outcome_blind"] for g, f in ordinary.groups.items()}
        worse = [
            g
            for g, mean in blind.items()
            if blind_placed[g] >= FAIRNESS_MIN_PLACED
            and mean is not None
            and (final[g].mean_p_employment or 0.0) < mean - FAIRNESS_TOLERANCE
        ]
        if worse:
            result, info = ordinary, {**info, "held_back": 0, "fallback": "fairness"}
        else:
            result.groups = {
                g: {
                    **ordinary.groups[g],
                    "placed": final[g].placed,
                    "mean_p_employment": final[g].mean_p_employment,
                }
                for g in ordinary.groups
            }
    result.seconds = time.perf_counter() - began
    return result, info
