"""The hindsight bound of a stream (``matching-v2.md`` §4), solved with HiGHS.

The best total of ``v`` over one static assignment of all the period's
households to all its units, each pair valued at the earliest batch at which
the household is ready and the unit usable, under the period's capacities and
F2–F5, G1–G4 (G5 per batch dropped). Every policy that keeps the information
rule makes such an assignment, valued at batches no earlier than that, so none
can exceed it.

Units are grouped into types of interchangeable units — same municipality,
kind of place, ``max_occupants``, accessibility and first usable batch — and the
household × type problem is solved by :func:`~..pairwise.solve_pairs`. Its
``upper_bound`` is proven (the Lagrangian bound of column generation, and the
integer program's own bound when reduced-cost fixing makes it global), so the
reported bound stays valid when the time limit stops the search first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.matching.dynamic.stream import DISCOUNT_PER_MONTH, Stream
from bosetting.engine.matching.model import DAYS_PER_MONTH, OUTCOME_SCALE
from bosetting.engine.matching.pairwise import PairModel, solve_pairs
from bosetting.engine.matching.prepared import profile_of, service_bits


@dataclass
class Hindsight:
    """The hindsight result.

    Attributes:
        bound: A proven upper bound on the hindsight optimum (equal to it when ``exact``).
        best: The best static assignment found (a lower estimate of the optimum).
        exact: Whether the optimum was proven (within 1e-9 relative).
        pairs: (household id, unit id, batch date) of that assignment.
        seconds: Time spent.
    """

    bound: float
    best: float
    exact: bool
    pairs: list[tuple[str, str, str]]
    seconds: float


def hindsight_bound(
    stream: Stream, time_limit: float = 120.0, mip_rel_gap: float = 1e-9
) -> Hindsight:
    """Compute the hindsight bound with HiGHS (see the module docstring)."""
    import time

    began = time.perf_counter()
    inst = stream.instance
    w = inst.weights
    dates = stream.batch_dates
    households = [h for h in inst.households if stream.ready_batch(h) is not None]
    units = [u for u in inst.units if stream.usable_batch(u) is not None]
    munis = inst.municipalities
    mun_index = {m.id: i for i, m in enumerate(munis)}

    # --- data: unit types with their first usable batch -------------------------------------------
    types: dict[tuple[int, bool, int, bool, int], list[int]] = {}
    for i, u in enumerate(units):
        key = (
            mun_index[u.municipality],
            u.shared,
            0 if u.shared else u.max_occupants,
            u.accessible,
            int(stream.usable_batch(u) or 0),
        )
        types.setdefault(key, []).append(i)
    keys = list(types)
    t_mun = np.array([k[0] for k in keys], dtype=np.int64)
    t_shared = np.array([k[1] for k in keys], dtype=bool)
    t_occ = np.array([k[2] for k in keys], dtype=np.int64)
    t_acc = np.array([k[3] for k in keys], dtype=bool)
    t_batch = np.array([k[4] for k in keys], dtype=np.int64)
    t_slots = np.array([sum(units[i].slots for i in types[k]) for k in keys], dtype=np.int64)

    # --- data: households, their terms at ready_date ----------------------------------------------
    size = np.array([h.size for h in households], dtype=np.int64)
    adults = np.array([h.adults for h in households], dtype=np.float64)
    single = np.array([h.single_adult for h in households], dtype=bool)
    needs_acc = np.array(["accessible" in h.needs for h in households], dtype=bool)
    uam = np.array([h.uam for h in households], dtype=bool)
    bits = np.array([service_bits(h.needs) for h in households], dtype=np.int64)
    ready_batch = np.array([int(stream.ready_batch(h) or 0) for h in households], dtype=np.int64)
    ready_day = np.array([(h.ready_date - stream.period_start).days for h in households])  # type: ignore[operator]
    batch_day = np.array([(d - stream.period_start).days for d in dates], dtype=np.int64)
    base = np.array(
        [h.size * (w.settle + w.wait * h.priority(h.ready_date)) for h in households]  # type: ignore[arg-type]
    )
    labour = np.array([m.labour_index for m in munis])
    services = np.array([service_bits(m.services) for m in munis], dtype=np.int64)
    cap_uam = np.array([m.capacity_uam for m in munis], dtype=np.int64)
    municipal = w.labour * labour[None, :] * adults[:, None]
    h_index = {h.id: i for i, h in enumerate(households)}
    for i, h in enumerate(households):
        for t in h.ties:
            if t in mun_index:
                municipal[i, mun_index[t]] += w.ties
        if w.preference > 0:
            for mid in h.preferences:
                municipal[i, mun_index[mid]] += w.preference * h.preference_share(mid)
    if w.outcome > 0:
        for hid, mid, p in inst.outcomes:
            if hid in h_index:
                i = h_index[hid]
                municipal[i, mun_index[mid]] += w.outcome * OUTCOME_SCALE * p * adults[i]
    _ = profile_of  # households are priced one by one here; profiles are not needed

    def value(block: NDArray[np.int64]) -> NDArray[np.float64]:
        s = base[block][:, None] + municipal[block][:, t_mun]
        fit = np.where(t_shared[None, :], 1.0, size[block][:, None] / np.maximum(t_occ, 1)[None, :])
        s = s + w.fit * fit
        b = np.maximum(ready_batch[block][:, None], t_batch[None, :])
        wait = batch_day[b] - ready_day[block][:, None]
        v = s * DISCOUNT_PER_MONTH ** (wait / DAYS_PER_MONTH)
        ok = np.where(
            t_shared[None, :], single[block][:, None], size[block][:, None] <= t_occ[None, :]
        )
        ok &= ~needs_acc[block][:, None] | t_acc[None, :]
        ok &= (services[t_mun][None, :] & bits[block][:, None]) == bits[block][:, None]
        ok &= ~uam[block][:, None] | (size[block][:, None] <= cap_uam[t_mun][None, :])
        return np.where(ok, v, np.nan)

    model = PairModel(
        h_size=size,
        h_uam=uam,
        t_mun=t_mun,
        t_zone=np.full(len(keys), -1, dtype=np.int64),
        t_slots=t_slots,
        cap_persons=np.array([m.capacity_persons for m in munis], dtype=np.int64),
        cap_uam=cap_uam,
        zone_cap=None,
        value=value,
        order=np.argsort(ready_batch, kind="stable").astype(np.int64),
    )
    out = solve_pairs(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    used = {k: 0 for k in range(len(keys))}
    pairs: list[tuple[str, str, str]] = []
    for hi, ti in out.pairs:
        # Fill shared units bed by bed, like the batch solvers.
        beds = [i for i in types[keys[ti]] for _ in range(units[i].slots)]
        chosen = units[beds[used[ti]]]
        used[ti] += 1
        day = dates[max(int(ready_batch[hi]), int(t_batch[ti]))]
        pairs.append((households[hi].id, chosen.id, day.isoformat()))
    bound = out.upper_bound if out.upper_bound is not None else float("inf")
    exact = (
        out.upper_bound is not None
        and out.upper_bound - out.objective <= 1e-9 * max(1.0, abs(out.upper_bound)) + 1e-6
    )
    return Hindsight(bound, out.objective, exact, pairs, time.perf_counter() - began)
