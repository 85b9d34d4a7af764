"""Index arrays and aggregation shared by the solvers and the explanations.

The score separates into a household term, a household–municipality term and
a size–unit term::

    s(h,u) = size(h)·(w.settle + w.wait·p(h))               (household)
           + w.ties·[m ∈ ties(h)] + w.labour·labour(m)·adults(h)  (household, municipality)
           + w.fit·fit(size(h), u)                            (size, unit)

and feasibility separates the same way: F4 and F5 depend on the household and
the municipality only, F1–F3 on the unit and three facts about the household
(its housing size — persons plus the family expected through reunification —,
whether it needs an accessible unit, whether it may share).
So the solvers never look at single units or single households:

* a *unit type* is a set of interchangeable units: same municipality, shared or
  not, same ``max_occupants``, same accessibility and (only when ``zone_cap``
  can bind there) same zone. Units that fail F1 are dropped. Kind and bedrooms do not
  enter any rule or the score, so they do not split types.
* a *group* is (housing size, needs accessible, may share): what a unit sees.
* a *profile* is a group plus (adults, special-service needs, uam, persons):
  what a municipality sees (capacity counts persons who are here, not those
  expected).

Households of one profile differ only in their priority and their ties.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.matching.model import Household, Instance, Unit

SERVICE_BITS = {"health_high": 1, "disability": 2}

Group = tuple[int, bool, bool]
"""(housing size, needs accessible unit, may share a unit)."""

Profile = tuple[Group, int, int, bool, int]
"""(group, adults, special-service need bits, uam, persons)."""


def group_of(household: Household) -> Group:
    """The group key of a household: what a unit needs to know about it."""
    return (household.housing_size, "accessible" in household.needs, household.may_share)


def persons_of(profile: Profile) -> int:
    """The persons of a profile's households who are here: what capacity (G3, F5) counts."""
    return profile[4]


def service_bits(names: tuple[str, ...]) -> int:
    """Bit mask of the special services among ``names``."""
    bits = 0
    for name in names:
        bits |= SERVICE_BITS.get(name, 0)
    return bits


def profile_of(household: Household) -> Profile:
    """The profile key of a household: what a municipality needs to know about it."""
    return (
        group_of(household),
        household.adults,
        service_bits(household.needs),
        household.uam,
        household.size,
    )


@dataclass
class UnitType:
    """Interchangeable units inside one municipality (see the module docstring).

    Attributes:
        municipality: Index of the municipality.
        shared: Shared units (bofellesskap).
        max_occupants: For non-shared types; 0 for shared ones.
        accessible: Accessible units.
        zone: Index into :attr:`Prepared.zones`, or -1 when the zone cap cannot bind
            (no cap, or the zone has no more places than the cap).
        units: Indices into ``instance.units``, earliest available first.
        slots: Households the type takes in total (units, or beds for shared ones).
    """

    municipality: int
    shared: bool
    max_occupants: int
    accessible: bool
    zone: int
    units: list[int] = field(default_factory=list)
    slots: int = 0


class Prepared:
    """Arrays over municipalities, unit types and households for one instance."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        w = instance.weights
        self.municipalities = instance.municipalities
        self.mun_index = {m.id: i for i, m in enumerate(self.municipalities)}
        self.cap_persons = np.array(
            [m.capacity_persons for m in self.municipalities], dtype=np.int64
        )
        self.cap_uam = np.array([m.capacity_uam for m in self.municipalities], dtype=np.int64)
        self.labour = np.array([m.labour_index for m in self.municipalities], dtype=float)
        self.services = np.array(
            [service_bits(m.services) for m in self.municipalities], dtype=np.int64
        )

        self.zones: list[tuple[str, str]] = []
        zone_index: dict[tuple[str, str], int] = {}
        types: dict[tuple[int, bool, int, bool, int], UnitType] = {}
        horizon_end = instance.horizon_end
        order = sorted(
            range(len(instance.units)),
            key=lambda i: (instance.units[i].available_from, instance.units[i].id),
        )
        usable = [i for i in order if instance.units[i].available_from <= horizon_end]  # F1
        # A zone can only bind if it has more places than the cap; the others
        # need no zone of their own, so their units merge into fewer types.
        zone_slots: dict[tuple[str, str], int] = defaultdict(int)
        for i in usable:
            unit = instance.units[i]
            zone_slots[(unit.municipality, unit.zone)] += unit.slots
        for i in usable:
            unit = instance.units[i]
            m = self.mun_index[unit.municipality]
            zone = -1
            zkey = (unit.municipality, unit.zone)
            if instance.zone_cap is not None and zone_slots[zkey] > instance.zone_cap:
                zone = zone_index.setdefault(zkey, len(self.zones))
                if zone == len(self.zones):
                    self.zones.append(zkey)
            occupants = 0 if unit.shared else unit.max_occupants
            key = (m, unit.shared, occupants, unit.accessible, zone)
            utype = types.get(key)
            if utype is None:
                utype = types[key] = UnitType(m, unit.shared, occupants, unit.accessible, zone)
            utype.units.append(i)
            utype.slots += unit.slots
        self.types = list(types.values())
        self.type_of_unit: dict[int, int] = {}
        for t, utype in enumerate(self.types):
            for i in utype.units:
                self.type_of_unit[i] = t
        self.t_mun = np.array([t.municipality for t in self.types], dtype=np.int64)
        self.t_shared = np.array([t.shared for t in self.types], dtype=bool)
        self.t_occ = np.array([t.max_occupants for t in self.types], dtype=np.int64)
        self.t_acc = np.array([t.accessible for t in self.types], dtype=bool)
        self.t_zone = np.array([t.zone for t in self.types], dtype=np.int64)
        self.t_slots = np.array([t.slots for t in self.types], dtype=np.int64)
        self.t_units = np.array([len(t.units) for t in self.types], dtype=np.int64)

        households = instance.households
        self.h_size = np.array([h.size for h in households], dtype=np.int64)
        self.h_priority = np.array([h.priority(instance.as_of) for h in households], dtype=float)
        self.h_base = self.h_size * (w.settle + w.wait * self.h_priority)
        self.h_group = [group_of(h) for h in households]
        self.h_profile = [profile_of(h) for h in households]
        self.h_ties = [
            sorted({self.mun_index[t] for t in h.ties if t in self.mun_index}) for h in households
        ]
        self._compatible: dict[Group, NDArray[np.bool_]] = {}
        self._fit: dict[Group, NDArray[np.float64]] = {}
        self._mun_ok: dict[Profile, NDArray[np.bool_]] = {}

    @cached_property
    def households_by_profile(self) -> dict[Profile, list[int]]:
        """Household indices per profile, in instance order."""
        out: dict[Profile, list[int]] = defaultdict(list)
        for i, profile in enumerate(self.h_profile):
            out[profile].append(i)
        return dict(out)

    def compatible(self, group: Group) -> NDArray[np.bool_]:
        """Unit types a household of ``group`` may use (F2, F3; F1 is already applied)."""
        cache = self._compatible
        if group not in cache:
            housing_size, needs_accessible, may_share = group
            ok = np.where(self.t_shared, may_share, housing_size <= self.t_occ)
            if needs_accessible:
                ok = ok & self.t_acc
            cache[group] = ok
        return cache[group]

    def fit_score(self, group: Group) -> NDArray[np.float64]:
        """``w.fit · fit`` of a household of ``group`` in each unit type."""
        cache = self._fit
        if group not in cache:
            size = group[0]
            occupants = np.maximum(self.t_occ, 1)
            fit = np.where(self.t_shared, 1.0, size / occupants)
            cache[group] = self.instance.weights.fit * fit
        return cache[group]

    def municipality_ok(self, profile: Profile) -> NDArray[np.bool_]:
        """Municipalities a household of ``profile`` may go to (F4, F5)."""
        cache = self._mun_ok
        if profile not in cache:
            _group, _adults, bits, uam, _size = profile
            ok = (self.services & bits) == bits
            if uam:
                ok = ok & (persons_of(profile) <= self.cap_uam)
            cache[profile] = ok
        return cache[profile]

    def type_ok(self, profile: Profile) -> NDArray[np.bool_]:
        """Unit types a household of ``profile`` may use (F1–F5)."""
        return self.compatible(profile[0]) & self.municipality_ok(profile)[self.t_mun]

    def labour_score(self, profile: Profile) -> NDArray[np.float64]:
        """``w.labour · labour(m) · adults`` per municipality for ``profile``."""
        return self.instance.weights.labour * self.labour * profile[1]

    def unit(self, index: int) -> Unit:
        """The unit at ``index`` of the instance."""
        return self.instance.units[index]
