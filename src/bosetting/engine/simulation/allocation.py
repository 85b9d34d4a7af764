"""Fast aggregate allocation: the simulator's own vectorised matching for long sweeps.

``matching_mode = "fast"`` replaces the matching engine by a greedy allocation on counts that
keeps the engine's hard rules on size and capacity but not its finer score:

1. Households are split into priority bands by the engine's priority
   ``p(h) = min(wait / target, 3)`` (targets 3 months for families and minors, 6 for others):
   ``p >= 2``, ``1 <= p < 2``, ``0.5 <= p < 1`` and ``p < 0.5``, most overdue band first —
   the engine's ``wait`` term makes an overdue person worth more than a fresh one.
   Within a band, households are taken in groups of equal size, largest first (large families
   are the hardest to house, and the ``settle`` term values persons placed); unaccompanied
   minors form their own group; within a group the highest priority goes first.
2. For each group the unit classes that fit are tried smallest first (best fit: large flats
   are kept for large households; shared beds go to single adults only).
3. In each class every municipality offers ``min(vacant units of the class,
   remaining capacity // household size)`` slots (UAM also against the minors' capacity);
   the group's households are spread over the slots uniformly at random, so a municipality
   receives in proportion to what it can take.

Not honoured in fast mode (they are in ``greedy`` and ``full``): ties, labour index,
accessibility and health needs (their effect on waiting comes from the councils' lower
acceptance of hard-to-place households), zones and the dispersal cap. Everything is numpy
over arrays of households and vacant units; a month costs a few dozen vectorised passes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.simulation.housing import MAX_OCCUPANTS, SHARED

# Lower edges of the priority bands, most overdue first: p >= 2, 1-2, 0.5-1, 0-0.5, below 0.
BAND_EDGES = np.array([2.0, 1.0, 0.5, 0.0])


def priority(
    wait_months: NDArray[np.float64], short_target: NDArray[np.bool_]
) -> NDArray[np.float64]:
    """The matching contract's priority ``p(h)``: wait over target, clipped to [0, 3]."""
    target = np.where(short_target, 3.0, 6.0)
    return np.clip(wait_months / target, 0.0, 3.0)


def allocate(
    rng: np.random.Generator,
    hh_size: NDArray[np.int64],
    hh_uam: NDArray[np.bool_],
    hh_single_adult: NDArray[np.bool_],
    hh_priority: NDArray[np.float64],
    unit_muni: NDArray[np.int64],
    unit_cls: NDArray[np.int64],
    capacity_persons: NDArray[np.float64],
    capacity_uam: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Assign households to vacant units.

    Args:
        rng: random stream for spreading households over municipalities.
        hh_size, hh_uam, hh_single_adult, hh_priority: the candidate households.
        unit_muni, unit_cls: the vacant units (shared flats as one row per bed).
        capacity_persons: persons each municipality can still take (not modified).
        capacity_uam: of those, unaccompanied minors (not modified).

    Returns:
        ``(household_positions, unit_positions)``: positions into the household arrays and the
        unit arrays, pairwise; each household and each unit appears at most once.
    """
    n_muni = capacity_persons.shape[0]
    capacity = np.floor(capacity_persons + 1e-9).astype(np.int64)
    capacity_minors = np.floor(capacity_uam + 1e-9).astype(np.int64)
    if hh_size.shape[0] == 0 or unit_muni.shape[0] == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    unit_free = np.ones(unit_muni.shape[0], dtype=bool)
    class_rows = [np.flatnonzero(unit_cls == cls) for cls in range(MAX_OCCUPANTS.shape[0])]
    placed_h: list[NDArray[np.int64]] = []
    placed_u: list[NDArray[np.int64]] = []

    # Group key: priority band first, then household size (largest first), minors last.
    max_size = int(hh_size.max())
    band = np.searchsorted(-BAND_EDGES, -hh_priority, side="left")
    size_rank = np.where(hh_uam, max_size + 1, max_size - hh_size)
    key = band * (max_size + 2) + size_rank
    jitter = rng.random(hh_size.shape[0]) * 1e-9
    order = np.lexsort((-(hh_priority + jitter), key))
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    stops = np.r_[starts[1:], sorted_key.shape[0]]
    for start, stop in zip(starts, stops, strict=True):
        members = order[start:stop]  # one group, highest priority first
        size = int(hh_size[members[0]])
        minors = bool(hh_uam[members[0]])
        adult_singles = size == 1 and not minors and bool(hh_single_adult[members].all())
        for cls in range(MAX_OCCUPANTS.shape[0]):
            if members.shape[0] == 0:
                break
            if MAX_OCCUPANTS[cls] < size or (cls == SHARED and not adult_singles):
                continue
            rows = class_rows[cls]
            candidates = rows[unit_free[rows]]
            if candidates.shape[0] == 0:
                continue
            vacant = np.bincount(unit_muni[candidates], minlength=n_muni)
            slots = np.minimum(vacant, capacity // size)
            if minors:
                slots = np.minimum(slots, capacity_minors // size)
            total = int(slots.sum())
            if total == 0:
                continue
            take = min(total, members.shape[0])
            slot_muni = np.repeat(np.arange(n_muni), slots)
            chosen_muni = slot_muni[rng.permutation(total)[:take]]
            chosen_h = members[:take]
            per_muni = np.bincount(chosen_muni, minlength=n_muni)
            # The first per_muni[m] free units of this class in each municipality.
            by_muni = candidates[np.argsort(unit_muni[candidates], kind="stable")]
            muni_of = unit_muni[by_muni]
            first_of_muni = np.searchsorted(muni_of, np.arange(n_muni))
            rank = np.arange(by_muni.shape[0]) - first_of_muni[muni_of]
            chosen_u = by_muni[rank < per_muni[muni_of]]  # ordered by municipality
            placed_h.append(chosen_h[np.argsort(chosen_muni, kind="stable")])
            placed_u.append(chosen_u)
            unit_free[chosen_u] = False
            capacity -= per_muni * size
            if minors:
                capacity_minors -= per_muni * size
            members = members[take:]
    if not placed_h:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(placed_h), np.concatenate(placed_u)
