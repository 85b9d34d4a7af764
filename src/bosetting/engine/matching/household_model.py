"""A batch instance as a household-level :class:`~.pairwise.PairModel` (format /2 terms).

The value of household h in unit type τ (municipality m) is the score of the
contract, split as in :mod:`.prepared` — household term, household–municipality
term, size–unit term — but with the household–municipality term held per
household, so that outcomes and preferences need no aggregation::

    value(h,τ) = scale(h) · ( size·(w.settle + w.wait·p(h))
                             + w.ties·[m ∈ ties(h)] + w.labour·labour(m)·adults(h)
                             + w.outcome·100·p_employment(h,m)·adults(h)
                             + w.preference·(k − r + 1)/k
                             + w.fit·fit(h,τ) )

``scale`` is 1 for a batch; the dynamic policies use it for the discount of
waiting, and ``adjust`` lets them subtract a potential per pair.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.matching.model import OUTCOME_SCALE
from bosetting.engine.matching.pairwise import PairModel
from bosetting.engine.matching.prepared import Prepared

Adjust = Callable[[NDArray[np.int64], NDArray[np.float64]], NDArray[np.float64]]
"""Changes the values of a block of households (rows) in every unit type."""


class HouseholdTerms:
    """Dense household × municipality arrays of the /2 terms of one instance."""

    def __init__(self, prep: Prepared) -> None:
        inst = prep.instance
        n_h, n_m = len(inst.households), len(inst.municipalities)
        index = {h.id: i for i, h in enumerate(inst.households)}
        self.adults = np.array([h.adults for h in inst.households], dtype=np.float64)
        self.p = np.zeros((n_h, n_m))
        self.has_p = np.zeros((n_h, n_m), dtype=bool)
        for hid, mid, p in inst.outcomes:
            i, m = index[hid], prep.mun_index[mid]
            self.p[i, m] = p
            self.has_p[i, m] = True
        self.preference = np.zeros((n_h, n_m))
        for i, h in enumerate(inst.households):
            for mid in h.preferences:
                self.preference[i, prep.mun_index[mid]] = h.preference_share(mid)
        self.tied = np.zeros((n_h, n_m), dtype=bool)
        for i, ties in enumerate(prep.h_ties):
            self.tied[i, ties] = True


def pair_model(
    prep: Prepared,
    *,
    protected: dict[str, float] | None = None,
    scale: NDArray[np.float64] | None = None,
    adjust: Adjust | None = None,
    min_value: float | None = None,
) -> PairModel:
    """The household-level model of a prepared instance.

    Args:
        prep: The prepared instance (unit types, capacities, F1–F5).
        protected: Group -> outcome-blind mean of the groups the fairness rule binds for.
        scale: A factor per household on its whole value (default 1).
        adjust: Applied to each block of values after scaling (potentials).
        min_value: Pairs worth at most this are never used.
    """
    inst = prep.instance
    w = inst.weights
    terms = HouseholdTerms(prep)
    n_h = len(inst.households)
    base = prep.h_base.astype(np.float64)
    municipal = w.labour * prep.labour[None, :] * terms.adults[:, None]
    municipal = municipal + w.ties * terms.tied
    if w.outcome > 0:
        municipal = municipal + w.outcome * OUTCOME_SCALE * terms.p * terms.adults[:, None]
    if w.preference > 0:
        municipal = municipal + w.preference * terms.preference
    factor = np.ones(n_h) if scale is None else np.asarray(scale, dtype=np.float64)

    profiles = sorted(set(prep.h_profile))
    profile_id = {pi: k for k, pi in enumerate(profiles)}
    h_prof = np.array([profile_id[pi] for pi in prep.h_profile], dtype=np.int64)
    ok = (
        np.stack([prep.type_ok(pi) for pi in profiles])
        if profiles
        else np.zeros((0, len(prep.types)), dtype=bool)
    )
    fit = (
        np.stack([prep.fit_score(pi[0]) for pi in profiles])
        if profiles
        else np.zeros((0, len(prep.types)))
    )

    def value(block: NDArray[np.int64]) -> NDArray[np.float64]:
        rows = h_prof[block]
        v = base[block][:, None] + municipal[block][:, prep.t_mun] + fit[rows]
        v = v * factor[block][:, None]
        if adjust is not None:
            v = adjust(block, v)
        return np.where(ok[rows], v, np.nan)

    fair_row = None
    fair_coef = None
    if protected:
        names = sorted(protected)
        row_of = {g: r for r, g in enumerate(names)}
        floor = np.array([protected[g] for g in names])
        fair_row = np.array(
            [row_of.get(h.group, -1) if h.group is not None else -1 for h in inst.households],
            dtype=np.int64,
        )

        def coef(block: NDArray[np.int64]) -> NDArray[np.float64]:
            rows = fair_row[block]
            means = np.where(rows >= 0, floor[np.maximum(rows, 0)], 0.0)
            p = terms.p[block][:, prep.t_mun]
            has = terms.has_p[block][:, prep.t_mun]
            c = terms.adults[block][:, None] * np.where(has, p - means[:, None], 0.0)
            return np.where(rows[:, None] >= 0, c, 0.0)

        fair_coef = coef

    order = np.array(
        sorted(range(n_h), key=lambda i: (-prep.h_priority[i], -prep.h_size[i], i)),
        dtype=np.int64,
    )
    return PairModel(
        h_size=prep.h_size.astype(np.int64),
        h_uam=np.array([pi[3] for pi in prep.h_profile], dtype=bool),
        t_mun=prep.t_mun.astype(np.int64),
        t_zone=prep.t_zone.astype(np.int64),
        t_slots=prep.t_slots.astype(np.int64),
        cap_persons=prep.cap_persons.astype(np.int64),
        cap_uam=prep.cap_uam.astype(np.int64),
        zone_cap=inst.zone_cap if prep.zones else None,
        value=value,
        order=order,
        fair_row=fair_row,
        fair_coef=fair_coef,
        min_value=min_value,
    )
