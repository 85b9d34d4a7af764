"""Housing dynamics of the monthly model: new flats, leases, the private market, searches.

A mixin of :class:`bosetting.engine.simulation.model.Simulation`; it only reads and writes
the simulation's state (``units``, ``hh``, ``decisions`` ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.simulation import housing as hs
from bosetting.engine.simulation.households import POOL, SETTLED

if TYPE_CHECKING:
    from bosetting.engine.simulation.decisions import CouncilDecisions
    from bosetting.engine.simulation.households import Households
    from bosetting.engine.simulation.params import Scenario
    from bosetting.engine.simulation.streams import Streams
    from bosetting.engine.simulation.world import Municipalities

DAYS_PER_MONTH = 30.4375


class HousingDynamics:
    """Flats of the refugee housing stock over time (boligmassen til bosetting)."""

    scenario: Scenario
    world: Municipalities
    streams: Streams
    units: hs.Units
    hh: Households
    decisions: CouncilDecisions
    counters: dict[int, dict[str, float]]
    housing_year_end: dict[int, dict[str, float]]
    _pilot_munis: Callable[[int], NDArray[np.bool_]]

    def _new_units(self, year: int, t0: float) -> None:
        """Flats procured with the year's decisions and funded by Husbanken's grants."""
        params = self.scenario.housing
        rng = self.streams.get("housing", 10 + year)
        decided = self.decisions.annual
        rate = params.procured_units_per_decided_person.at(year)
        if self.decisions.state_allocation_active(year):
            rate = self.scenario.policy.state_allocation.procured_units_per_quota_person
        procured = rng.poisson(rate * decided)
        grants = int(rng.poisson(params.grant_units_per_year.at(year)))
        granted = np.bincount(
            rng.choice(self.world.size, size=grants, p=self.world.population_key()),
            minlength=self.world.size,
        )
        cg = self.scenario.policy.county_governor
        pilot = self._pilot_munis(year)
        if pilot.any() and cg.grant_units_per_year > 0:
            weights = np.where(pilot, self.world.population, 0.0)
            extra = int(rng.poisson(cg.grant_units_per_year))
            granted += np.bincount(
                rng.choice(self.world.size, size=extra, p=weights / weights.sum()),
                minlength=self.world.size,
            )
        for counts, mix, name in (
            (procured, params.size_mix, "units_procured"),
            (granted, params.grant_size_mix, "units_granted"),
        ):
            muni = np.repeat(np.arange(self.world.size), counts).astype(np.int64)
            if muni.shape[0] == 0:
                continue
            cls = hs.draw_classes(rng, mix, muni.shape[0])
            start = np.maximum(self.decisions.decision_t[muni], t0)
            avail = start + rng.random(muni.shape[0]) * (t0 + 12.0 - start)
            self.units.add(rng, muni, cls, hs.MUNICIPAL, avail, self.world.n_zones, params)
            self.counters[year][name] += float(muni.shape[0])

    def _private_offers(self, month: int, year: int, t0: float) -> None:
        params = self.scenario.housing
        rate = params.private_offers_per_1000_population.at(year)
        if rate <= 0:
            return
        rng = self.streams.get("private", month)
        counts = rng.poisson(rate * self.world.population / 1000.0 / 12.0)
        muni = np.repeat(np.arange(self.world.size), counts).astype(np.int64)
        if muni.shape[0] == 0:
            return
        cls = hs.draw_classes(rng, params.private_size_mix, muni.shape[0])
        avail = t0 + rng.random(muni.shape[0])
        self.units.add(rng, muni, cls, hs.PRIVATE, avail, self.world.n_zones, params)
        self.counters[year]["private_offers"] += float(muni.shape[0])

    def _lease_expiries(self, month: int, t1: float) -> None:
        u = self.units
        n = u.count
        due = np.flatnonzero((u.state[:n] == hs.OCCUPIED) & (u.lease_end_t[:n] < t1))
        if due.shape[0] == 0:
            return
        private = u.kind[due] == hs.PRIVATE
        rng = self.streams.get("lease", month)
        moves = private | (rng.random(due.shape[0]) < self.scenario.housing.move_out_probability)
        leaving = due[moves]
        staying = due[~moves]
        occupants = u.occupant[leaving]
        tenants = occupants[occupants >= 0]
        self.hh.unit[tenants] = -1
        u.state[leaving] = np.where(u.kind[leaving] == hs.PRIVATE, hs.GONE, hs.VACANT)
        u.avail_t[leaving] = u.lease_end_t[leaving]
        u.occupant[leaving] = -1
        u.lease_end_t[leaving] = np.inf
        u.lease_end_t[staying] += self.scenario.housing.lease_months

    def _release_idle(self, t0: float) -> None:
        u = self.units
        n = u.count
        params = self.scenario.housing
        vacant = u.state[:n] == hs.VACANT
        municipal_idle = (u.kind[:n] == hs.MUNICIPAL) & (
            u.avail_t[:n] < t0 - params.vacancy_release_months
        )
        private_lapsed = (u.kind[:n] == hs.PRIVATE) & (
            u.avail_t[:n] < t0 - params.private_offer_lapse_months
        )
        gone = vacant & (municipal_idle | private_lapsed)
        u.state[:n][gone] = hs.GONE

    def _occupy(self, households: NDArray[np.int64], at_t: NDArray[np.float64]) -> None:
        u = self.units
        units = self.hh.unit[households]
        u.state[units] = hs.OCCUPIED
        u.occupant[units] = households
        u.lease_end_t[units] = at_t + self.scenario.housing.lease_months

    def _reunifications(self, t1: float, year: int) -> None:
        hh, u = self.hh, self.units
        arriving = np.flatnonzero((hh.reunification_t < t1) & (hh.status == SETTLED))
        if arriving.shape[0]:
            hh.size[arriving] += hh.reunification_persons[arriving]
            hh.reunification_t[arriving] = np.inf
            self.counters[year]["reunified_persons"] += float(
                hh.reunification_persons[arriving].sum()
            )
        housed = np.flatnonzero((hh.status == SETTLED) & (hh.unit >= 0) & (hh.size > 1))
        if housed.shape[0] == 0:
            return
        too_small = housed[u.max_occupants(hh.unit[housed]) < hh.size[housed]]
        if too_small.shape[0] == 0:
            return
        n = u.count
        free = np.flatnonzero((u.state[:n] == hs.VACANT) & (u.cls[:n] != hs.SHARED))
        moved = 0
        if free.shape[0]:
            free_muni = u.muni[free]
            for h in too_small[np.argsort(hh.reunification_persons[too_small])]:
                options = free[
                    (free_muni == hh.muni[h]) & (hs.MAX_OCCUPANTS[u.cls[free]] >= hh.size[h])
                ]
                options = options[u.state[options] == hs.VACANT]
                if options.shape[0] == 0:
                    continue
                new_unit = options[np.argmin(u.cls[options])]
                old_unit = hh.unit[h]
                u.state[old_unit] = hs.VACANT if u.kind[old_unit] == hs.MUNICIPAL else hs.GONE
                u.avail_t[old_unit] = t1
                u.occupant[old_unit] = -1
                u.lease_end_t[old_unit] = np.inf
                hh.unit[h] = new_unit
                self._occupy(np.array([h]), np.array([t1]))
                moved += 1
        self.counters[year]["reunification_moves"] += float(moved)

    def _vacant_units(self, t: float) -> NDArray[np.int64]:
        """Vacant units and units free within the matching horizon."""
        u = self.units
        n = u.count
        horizon = self.scenario.matching.horizon_days / DAYS_PER_MONTH
        soon = (u.state[:n] == hs.FUTURE) & (u.avail_t[:n] <= t + horizon)
        return np.flatnonzero((u.state[:n] == hs.VACANT) | soon)

    def _search(self, month: int, t1: float, year: int) -> None:
        """Municipalities with open places but no flat look for one (phase 4's main work).

        Each open place (in households of average pool size) finds a flat after an exponential
        time with mean ``search_months``: bought or built (municipal) or leased privately.
        Nationally, no more places are searched for than there are households in the pool.
        """
        params = self.scenario.housing
        open_places = self.decisions.available(t1)
        if open_places.sum() <= 0:
            return
        pool = self.hh.status == POOL
        persons_per_household = float(self.hh.size[pool].mean()) if pool.any() else 1.3
        # Places already covered by a vacant flat are not searched for.
        vacant = self.units.state[: self.units.count] == hs.VACANT
        covered = (
            np.bincount(self.units.muni[: self.units.count][vacant], minlength=self.world.size)
            * persons_per_household
        )
        searching = np.maximum(open_places - covered, 0.0) / persons_per_household
        # Nobody searches for more flats than there are households waiting for one.
        total = float(searching.sum())
        if total > pool.sum():
            searching *= float(pool.sum()) / total
        rng = self.streams.get("housing", 100_000 + month)
        rate = 1.0 - np.exp(-1.0 / params.search_months.at(year))
        found = rng.poisson(searching * rate)
        muni = np.repeat(np.arange(self.world.size), found).astype(np.int64)
        if muni.shape[0] == 0:
            return
        cls = hs.draw_classes(rng, params.search_size_mix, muni.shape[0])
        private = rng.random(muni.shape[0]) < params.search_private_share
        avail = t1 + rng.random(muni.shape[0])
        for kind, mask in ((hs.PRIVATE, private), (hs.MUNICIPAL, ~private)):
            if mask.any():
                self.units.add(
                    rng, muni[mask], cls[mask], kind, avail[mask], self.world.n_zones, params
                )
        self.counters[year]["units_found"] += float(muni.shape[0])

    def _year_end(self, year: int) -> None:
        u = self.units
        n = u.count
        state, kind = u.state[:n], u.kind[:n]
        hh = self.hh
        settled = np.flatnonzero((hh.status == SETTLED) & (hh.unit >= 0))
        overcrowded = settled[u.max_occupants(hh.unit[settled]) < hh.size[settled]]
        self.housing_year_end[year] = {
            "units_municipal": float(
                np.sum((kind == hs.MUNICIPAL) & (state != hs.GONE) & (state != hs.FUTURE))
            ),
            "units_vacant": float(np.sum(state == hs.VACANT)),
            "units_occupied": float(np.sum(state == hs.OCCUPIED)),
            "overcrowded_households": float(overcrowded.shape[0]),
            "unused_places": float(np.maximum(self.decisions.total - self.decisions.used, 0).sum()),
        }
