"""Housing units available to settle refugees: stock, turnover, private offers, new units.

Each unit is a row of growable parallel arrays. A shared flat (bofellesskap) is stored as one
row per bed with a common ``flat`` id, so beds fill and free independently; towards the
matching engine the vacant beds of a flat are one unit with ``beds`` places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.simulation.params import UNIT_CLASSES, HousingParams

SHARED, ONE_BEDROOM, TWO_BEDROOM, THREE_BEDROOM, FOUR_BEDROOM = range(5)
BEDROOMS = np.array([1, 1, 2, 3, 4], dtype=np.int64)
MAX_OCCUPANTS = np.array([1, 2, 4, 6, 8], dtype=np.int64)

MUNICIPAL, PRIVATE = 0, 1
KIND_NAMES = ("municipal", "private_sublet")

# Unit states.
FUTURE = 0  # procured, bought or offered later; not yet available
VACANT = 1  # available for a refugee household
RESERVED = 2  # proposed to / accepted by a household that has not moved in yet
OCCUPIED = 3  # lived in (by a settled refugee household or an earlier tenant)
GONE = 4  # left the refugee stock (given to other groups, offer lapsed, private lease ended)

LEGACY = -2  # occupant code for tenants housed before the simulation started


def mix_probabilities(mix: dict[str, float]) -> NDArray[np.float64]:
    """Unit-class probabilities in :data:`UNIT_CLASSES` order."""
    p = np.array([mix[k] for k in UNIT_CLASSES], dtype=np.float64)
    return p / p.sum()


@dataclass
class Units:
    """All housing units of one run (boliger til bosetting), as growable parallel arrays."""

    capacity: int = 1024
    count: int = 0
    muni: NDArray[np.int64] = field(init=False)
    cls: NDArray[np.int64] = field(init=False)
    kind: NDArray[np.int64] = field(init=False)
    flat: NDArray[np.int64] = field(init=False)
    zone: NDArray[np.int64] = field(init=False)
    accessible: NDArray[np.bool_] = field(init=False)
    state: NDArray[np.int64] = field(init=False)
    avail_t: NDArray[np.float64] = field(init=False)
    lease_end_t: NDArray[np.float64] = field(init=False)
    occupant: NDArray[np.int64] = field(init=False)
    next_flat: int = 0

    _FIELDS = (
        ("muni", np.int64, -1),
        ("cls", np.int64, 0),
        ("kind", np.int64, 0),
        ("flat", np.int64, -1),
        ("zone", np.int64, 0),
        ("accessible", np.bool_, False),
        ("state", np.int64, GONE),
        ("avail_t", np.float64, np.inf),
        ("lease_end_t", np.float64, np.inf),
        ("occupant", np.int64, -1),
    )

    def __post_init__(self) -> None:
        for name, dtype, fill in self._FIELDS:
            setattr(self, name, np.full(self.capacity, fill, dtype=dtype))

    def _grow(self, needed: int) -> None:
        if self.count + needed <= self.capacity:
            return
        new_capacity = max(2 * self.capacity, self.count + needed)
        for name, dtype, fill in self._FIELDS:
            old = getattr(self, name)
            grown = np.full(new_capacity, fill, dtype=dtype)
            grown[: self.count] = old[: self.count]
            setattr(self, name, grown)
        self.capacity = new_capacity

    def add(
        self,
        rng: np.random.Generator,
        muni: NDArray[np.int64],
        cls: NDArray[np.int64],
        kind: int,
        avail_t: NDArray[np.float64],
        n_zones: NDArray[np.int64],
        params: HousingParams,
    ) -> NDArray[np.int64]:
        """Add flats (each shared flat becomes ``shared_beds`` bed rows); returns new row ids."""
        beds = np.where(cls == SHARED, params.shared_beds, 1)
        rows = int(beds.sum())
        self._grow(rows)
        start, stop = self.count, self.count + rows
        flat_ids = self.next_flat + np.repeat(np.arange(muni.shape[0]), beds)
        self.next_flat += int(muni.shape[0])
        self.muni[start:stop] = np.repeat(muni, beds)
        self.cls[start:stop] = np.repeat(cls, beds)
        self.kind[start:stop] = kind
        self.flat[start:stop] = flat_ids
        zone = (rng.random(muni.shape[0]) * n_zones[muni]).astype(np.int64)
        self.zone[start:stop] = np.repeat(zone, beds)
        accessible = rng.random(muni.shape[0]) < params.accessible_share
        self.accessible[start:stop] = np.repeat(accessible, beds)
        self.state[start:stop] = FUTURE
        self.avail_t[start:stop] = np.repeat(avail_t, beds)
        self.lease_end_t[start:stop] = np.inf
        self.occupant[start:stop] = -1
        self.count = stop
        return np.arange(start, stop)

    def view(self, name: str) -> NDArray[np.generic]:
        """The live part of column ``name``."""
        array: NDArray[np.generic] = getattr(self, name)[: self.count]
        return array

    def max_occupants(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """Most persons each unit may house."""
        return MAX_OCCUPANTS[self.cls[rows]]

    def vacant(self, at_t: float) -> NDArray[np.int64]:
        """Rows that are vacant at time ``at_t``."""
        n = self.count
        return np.flatnonzero(self.state[:n] == VACANT)

    def make_available(self, until_t: float) -> None:
        """Future units whose time has come become vacant."""
        n = self.count
        due = (self.state[:n] == FUTURE) & (self.avail_t[:n] < until_t)
        self.state[:n][due] = VACANT


def draw_classes(rng: np.random.Generator, mix: dict[str, float], n: int) -> NDArray[np.int64]:
    """Unit classes for ``n`` new flats."""
    return rng.choice(len(UNIT_CLASSES), size=n, p=mix_probabilities(mix)).astype(np.int64)


def initial_stock(
    rng: np.random.Generator,
    units: Units,
    flats_per_muni: NDArray[np.int64],
    params: HousingParams,
    n_zones: NDArray[np.int64],
) -> None:
    """The refugee housing stock at the origin: mostly let to earlier tenants.

    Earlier tenants' leases end uniformly over the next ``lease_months``; a share
    ``initial_vacant_share`` of the flats is vacant.
    """
    muni = np.repeat(np.arange(flats_per_muni.shape[0]), flats_per_muni).astype(np.int64)
    cls = draw_classes(rng, params.size_mix, muni.shape[0])
    rows = units.add(rng, muni, cls, MUNICIPAL, np.zeros(muni.shape[0]), n_zones, params)
    units.state[rows] = OCCUPIED
    units.occupant[rows] = LEGACY
    units.lease_end_t[rows] = rng.random(rows.shape[0]) * params.lease_months
    vacant = rng.random(rows.shape[0]) < params.initial_vacant_share
    units.state[rows[vacant]] = VACANT
    units.occupant[rows[vacant]] = -1
    units.lease_end_t[rows[vacant]] = np.inf
