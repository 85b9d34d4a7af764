"""Invariants of the fast aggregate allocation (fast mode's own matching)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bosetting.engine.simulation.allocation import allocate, priority
from bosetting.engine.simulation.housing import MAX_OCCUPANTS, SHARED


@st.composite
def batches(draw):
    n_muni = draw(st.integers(1, 4))
    n_hh = draw(st.integers(0, 25))
    n_units = draw(st.integers(0, 25))
    size = np.array(draw(st.lists(st.integers(1, 9), min_size=n_hh, max_size=n_hh)), dtype=np.int64)
    uam = np.array(draw(st.lists(st.booleans(), min_size=n_hh, max_size=n_hh)), dtype=bool) & (
        size == 1
    )
    prio = np.array(draw(st.lists(st.floats(-2, 5), min_size=n_hh, max_size=n_hh)))
    muni = np.array(
        draw(st.lists(st.integers(0, n_muni - 1), min_size=n_units, max_size=n_units)),
        dtype=np.int64,
    )
    cls = np.array(
        draw(st.lists(st.integers(0, 4), min_size=n_units, max_size=n_units)), dtype=np.int64
    )
    capacity = np.array(
        draw(st.lists(st.integers(0, 15), min_size=n_muni, max_size=n_muni)), dtype=float
    )
    minors = np.array(
        draw(st.lists(st.integers(0, 3), min_size=n_muni, max_size=n_muni)), dtype=float
    )
    seed = draw(st.integers(0, 2**16))
    return size, uam, prio, muni, cls, capacity, minors, seed


@settings(max_examples=150, deadline=None)
@given(batches())
def test_allocation_keeps_every_hard_rule(batch):
    size, uam, prio, muni, cls, capacity, minors, seed = batch
    single_adult = (size == 1) & ~uam
    hpos, upos = allocate(
        np.random.default_rng(seed), size, uam, single_adult, prio, muni, cls, capacity, minors
    )
    # Each household and each unit at most once.
    assert len(set(hpos.tolist())) == hpos.shape[0]
    assert len(set(upos.tolist())) == upos.shape[0]
    # Households fit their units; shared beds only for single adults.
    assert np.all(size[hpos] <= MAX_OCCUPANTS[cls[upos]])
    assert np.all(single_adult[hpos][cls[upos] == SHARED])
    # Capacity of persons and of minors is never exceeded.
    placed = np.bincount(muni[upos], weights=size[hpos], minlength=capacity.shape[0])
    assert np.all(placed <= capacity + 1e-9)
    placed_minors = np.bincount(
        muni[upos], weights=size[hpos] * uam[hpos], minlength=capacity.shape[0]
    )
    assert np.all(placed_minors <= minors + 1e-9)


def test_allocation_places_everyone_when_there_is_room():
    size = np.array([1, 1, 2, 4, 6])
    uam = np.zeros(5, dtype=bool)
    units_muni = np.array([0, 0, 1, 1, 1, 0])
    units_cls = np.array([1, 0, 1, 2, 3, 4])
    hpos, upos = allocate(
        np.random.default_rng(0), size, uam, size == 1, np.zeros(5), units_muni, units_cls,
        np.array([20.0, 20.0]), np.array([0.0, 0.0]),
    )  # fmt: skip
    assert sorted(hpos.tolist()) == [0, 1, 2, 3, 4]
    # Best fit: the family of six gets the three-bedroom flat, not the four-bedroom one.
    six = upos[hpos.tolist().index(4)]
    assert units_cls[six] == 3


def test_overdue_households_go_first_when_places_are_scarce():
    size = np.ones(4, dtype=np.int64)
    uam = np.zeros(4, dtype=bool)
    prio = np.array([0.1, 2.5, 0.3, 1.2])
    hpos, _ = allocate(
        np.random.default_rng(1), size, uam, size == 1, prio, np.zeros(4, np.int64), np.ones(4, np.int64),
        np.array([2.0]), np.array([0.0]),
    )  # fmt: skip
    assert sorted(hpos.tolist()) == [1, 3]


def test_priority_follows_the_contract():
    waits = np.array([0.0, 3.0, 6.0, 30.0, -1.0])
    short = np.array([True, True, False, False, False])
    assert priority(waits, short).tolist() == [0.0, 1.0, 1.0, 3.0, 0.0]
