"""The monthly model of the settlement system (the digital twin's core loop).

One step is one calendar month ``[t, t+1)`` (times in months since the origin, 1 January of
the first warm-up year). In each step, in this order:

1. in January: councils' decisions for the year, procured and grant-funded units;
2. private-market offers of the month appear; procured units become available;
3. leases that end: tenants of municipal flats move on with ``move_out_probability`` (else the
   lease is renewed), private leases end and the flat leaves the stock; idle vacant municipal
   flats go to other groups after ``vacancy_release_months``, private offers lapse;
4. councils answer proposals (accept, or reject and the household goes back to the pool);
5. accepted households whose phase-4 preparation is over move in (settled);
6. family reunification: relatives join settled single adults; a household that no longer fits
   its flat moves to a larger vacant flat in its municipality when one is free;
7. self-settlement: settlement-ready refugees find housing on their own;
8. resettlement (quota) refugees arriving this month are placed directly;
9. the month's matching batch (utsøking) over everyone settlement-ready, at the month's end.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.simulation import housing as hs
from bosetting.engine.simulation.allocation import allocate, priority
from bosetting.engine.simulation.decisions import CouncilDecisions
from bosetting.engine.simulation.households import (
    ACCEPTED,
    FAMILY,
    PENDING,
    POOL,
    PROPOSED,
    SELF_SETTLED,
    SETTLED,
    SINGLE_ADULT,
    UAM,
    Households,
    generate_households,
)
from bosetting.engine.simulation.housing_dynamics import HousingDynamics
from bosetting.engine.simulation.params import Scenario
from bosetting.engine.simulation.streams import Streams
from bosetting.engine.simulation.world import Municipalities, load_municipalities

Progress = Callable[[int, int], None]
# (simulation, pool households, candidate units, batch time, capacity, minors' capacity)
# -> (positions into pool, positions into units), pairwise.
Matcher = Callable[
    [
        "Simulation",
        NDArray[np.int64],
        NDArray[np.int64],
        float,
        NDArray[np.float64],
        NDArray[np.float64],
    ],
    tuple[NDArray[np.int64], NDArray[np.int64]],
]


@dataclass
class RunRecord:
    """Everything a finished run leaves behind for the metrics."""

    first_year: int
    households: Households
    decisions: dict[int, dict[str, float]]
    counters: dict[int, dict[str, float]]
    housing_year_end: dict[int, dict[str, float]]
    wall_seconds: float
    engine_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


class Simulation(HousingDynamics):
    """One seeded run of the settlement system.

    Args:
        scenario: the scenario.
        seed: the sweep's seed.
        run_index: which Monte Carlo run of the sweep this is.
        municipalities: the world; defaults to the real 2014 municipalities.
        mode: overrides ``scenario.matching.mode`` when given.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        run_index: int = 0,
        municipalities: Municipalities | None = None,
        mode: str | None = None,
    ) -> None:
        self.scenario = scenario
        self.world = municipalities or load_municipalities(scenario.decisions.prior_strength)
        self.streams = Streams(seed, run_index)
        self.mode = mode or scenario.matching.mode
        self.first_year = scenario.start_year - scenario.warmup_years
        self.n_years = scenario.warmup_years + scenario.years
        self.n_months = 12 * self.n_years
        self.hh = generate_households(
            scenario, self.world, self.streams, self.first_year, self.n_years
        )
        self.units = hs.Units(capacity=max(1024, 8 * self.hh.count))
        volume = self.world.settled.mean(axis=1)
        flats = self.streams.get("housing", 0).poisson(
            scenario.housing.initial_units_per_settled_person * volume
        )
        hs.initial_stock(
            self.streams.get("housing", 1), self.units, flats, scenario.housing, self.world.n_zones
        )
        self.decisions = CouncilDecisions(scenario, self.world)
        self.counters: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.housing_year_end: dict[int, dict[str, float]] = {}
        self.engine_seconds = 0.0
        self._matcher: Matcher | None = None
        if self.mode in ("greedy", "full"):
            from bosetting.engine.simulation.engine_bridge import engine_matcher

            self._matcher = engine_matcher
        self._pilot_counties = np.array(scenario.policy.county_governor.counties)

    # ------------------------------------------------------------------------------------------
    def year_of(self, t: float) -> int:
        """Calendar year of time ``t``."""
        return self.first_year + int(np.floor(t / 12.0))

    def _pilot_munis(self, year: int) -> NDArray[np.bool_]:
        cg = self.scenario.policy.county_governor
        if not cg.enabled or not (cg.from_year <= year <= cg.until_year):
            return np.zeros(self.world.size, dtype=bool)
        return np.isin(self.world.county, self._pilot_counties)

    def run(self, progress: Progress | None = None) -> RunRecord:
        """Simulate every month; ``progress(done_months, total_months)`` after each."""
        started = time.perf_counter()
        for month in range(self.n_months):
            self.step(month)
            if progress is not None:
                progress(month + 1, self.n_months)
        return RunRecord(
            first_year=self.first_year,
            households=self.hh,
            decisions=dict(self.decisions.history),
            counters={y: dict(c) for y, c in self.counters.items()},
            housing_year_end=self.housing_year_end,
            wall_seconds=time.perf_counter() - started,
            engine_seconds=self.engine_seconds,
        )

    def step(self, month: int) -> None:
        """Advance one month."""
        t0, t1 = float(month), float(month + 1)
        year = self.first_year + month // 12
        if month % 12 == 0:
            self._open_year(year, t0)
        pending = (self.hh.status == PENDING) & ~self.hh.quota & (self.hh.ready_t < t0)
        self.hh.status[pending] = POOL
        self._private_offers(month, year, t0)
        self.units.make_available(t1)
        self._lease_expiries(month, t1)
        self._release_idle(t0)
        self._responses(month, t1, year)
        self._moves(month, t1)
        self._reunifications(t1, year)
        self._self_settlement(month, t0, t1, year)
        self._quota(month, t0, t1)
        self._match(month, t1, year)
        self._search(month, t1, year)
        if month % 12 == 11:
            self._year_end(year)

    # ------------------------------------------------------------------------------------------
    def _open_year(self, year: int, t0: float) -> None:
        self.decisions.start_year(year, t0, self.streams.get("decisions", year))
        self._new_units(year, t0)

    # ------------------------------------------------------------------------------------------
    def _accept_probability(self, households: NDArray[np.int64], year: int) -> NDArray[np.float64]:
        """Chance that the council accepts each proposal (negotiation, L1163-1167)."""
        m = self.scenario.matching
        if self.decisions.state_allocation_active(year):
            return np.full(
                households.shape[0], self.scenario.policy.state_allocation.accept_probability
            )
        pilot = self._pilot_munis(year)[self.hh.muni[households]]
        cg = self.scenario.policy.county_governor
        return np.where(
            pilot, max(cg.accept_probability, m.accept_probability), m.accept_probability
        )

    def _proposable(self, pool: NDArray[np.int64], month: int, year: int) -> NDArray[np.int64]:
        """The part of the pool IMDi can propose this month.

        A hard-to-place household (major health needs, or a single adult expected to bring
        family) is proposable only when some council is open to it, which happens with
        ``hard_to_place_monthly_chance`` a month (L1159-1162). Under state allocation councils
        cannot refuse; in the county-governor pilot the chance is lifted like acceptance.
        """
        hard = self.hh.hard_to_place[pool]
        if not hard.any() or self.decisions.state_allocation_active(year):
            return pool
        m = self.scenario.matching
        chance = m.hard_to_place_monthly_chance.at(year)
        cg = self.scenario.policy.county_governor
        if self._pilot_munis(year).any():
            in_pilot = np.isin(self.hh.reception_county[pool], self._pilot_counties)
            lift = max(cg.accept_probability - m.accept_probability, 0.0)
            chances = np.where(in_pilot, min(chance + lift, 1.0), chance)
        else:
            chances = np.full(pool.shape[0], chance)
        rng = self.streams.get("accept", 1_000_000 + month)
        open_to = rng.random(pool.shape[0]) < chances
        return pool[~hard | open_to]

    def _phase4_factor(self, households: NDArray[np.int64], year: int) -> NDArray[np.float64]:
        scale = self.scenario.phases.scale.at(year)
        pilot = self._pilot_munis(year)[self.hh.muni[households]]
        return np.where(pilot, scale * self.scenario.policy.county_governor.phase_factor, scale)

    def _responses(self, month: int, t1: float, year: int) -> None:
        hh, u = self.hh, self.units
        due = np.flatnonzero((hh.status == PROPOSED) & (hh.response_t < t1))
        if due.shape[0] == 0:
            return
        rng = self.streams.get("accept", month)
        accept = rng.random(due.shape[0]) < self._accept_probability(due, year)
        yes, no = due[accept], due[~accept]
        factor = self._phase4_factor(yes, year)
        prep = self.scenario.phases.preparation_months * hh.g_preparation[yes] * factor
        hh.status[yes] = ACCEPTED
        hh.accepted_t[yes] = hh.response_t[yes]
        hh.move_t[yes] = np.maximum(hh.response_t[yes] + prep, u.avail_t[hh.unit[yes]])
        # Rejected: back to the pool, the unit and the places are freed.
        units = hh.unit[no]
        u.state[units] = np.where(u.avail_t[units] <= hh.response_t[no], hs.VACANT, hs.FUTURE)
        u.avail_t[units] = np.maximum(u.avail_t[units], hh.response_t[no])
        u.occupant[units] = -1
        this_year = hh.match_t[no] > self.decisions.year_start_t + 1e-9
        self.decisions.give_back(hh.muni[no][this_year], hh.size[no][this_year])
        hh.status[no] = POOL
        hh.blocked_until[no] = hh.response_t[no] + self.scenario.matching.retry_months
        hh.muni[no] = -1
        hh.unit[no] = -1
        hh.response_t[no] = np.inf
        self.counters[year]["proposals_rejected"] += float(no.shape[0])

    def _moves(self, month: int, t1: float) -> None:
        hh = self.hh
        due = np.flatnonzero((hh.status == ACCEPTED) & (hh.move_t < t1))
        if due.shape[0] == 0:
            return
        self._occupy(due, hh.move_t[due])
        hh.status[due] = SETTLED
        rf = self.scenario.reunification
        candidates = due[hh.expects_reunification[due]]
        if candidates.shape[0]:
            rng = self.streams.get("reunification", month)
            joins = candidates[rng.random(candidates.shape[0]) < rf.probability]
            hh.reunification_t[joins] = (
                hh.move_t[joins] + rf.delay_months * hh.g_reunification[joins]
            )

    # ------------------------------------------------------------------------------------------
    def self_settlement_rules(self, year: int) -> tuple[float, str, float]:
        """Monthly probability, starting phase and network share of self-settlement in ``year``:
        the policy's from its first year on, the baseline's before (so a policy never changes the
        years before it starts)."""
        policy = self.scenario.policy.self_settlement
        if policy.enabled and year >= policy.from_year:
            return policy.monthly_probability, policy.from_phase, policy.network_share
        base = self.scenario.self_settlement
        return base.monthly_probability.at(year), base.from_phase, base.network_share

    def _self_settlement(self, month: int, t0: float, t1: float, year: int) -> None:
        p, from_phase, network_share = self.self_settlement_rules(year)
        if p <= 0:
            return
        hh, u = self.hh, self.units
        eligible = (hh.status == POOL) & (hh.blocked_until < t1) & (hh.kind != UAM)
        if from_phase == "permit":
            eligible |= (hh.status == PENDING) & ~hh.quota & (hh.permit_t < t0) & (hh.kind != UAM)
        else:
            eligible &= hh.ready_t < t0
        candidates = np.flatnonzero(eligible)
        if candidates.shape[0] == 0:
            return
        rng = self.streams.get("self", month)
        succeed = candidates[rng.random(candidates.shape[0]) < p]
        if succeed.shape[0] == 0:
            return
        network: NDArray[np.bool_] = rng.random(size=int(succeed.shape[0])) < network_share
        when: NDArray[np.float64] = t0 + rng.random(size=int(succeed.shape[0]))
        n = u.count
        offers = np.flatnonzero((u.state[:n] == hs.VACANT) & (u.kind[:n] == hs.PRIVATE))
        offer_taken = np.zeros(offers.shape[0], dtype=bool)
        offer_capacity = hs.MAX_OCCUPANTS[u.cls[offers]]
        offer_shared = u.cls[offers] == hs.SHARED
        pop_key = self.world.population_key()
        available = self.decisions.available(t1)
        settled = 0
        for i, h in enumerate(succeed):
            if network[i]:
                tie = hh.tie[h]
                muni = tie if tie >= 0 else int(rng.choice(self.world.size, p=pop_key))
                unit = -1
            else:
                fits = ~offer_taken & (offer_capacity >= hh.size[h])
                if hh.kind[h] != SINGLE_ADULT:
                    fits &= ~offer_shared
                options = np.flatnonzero(fits)
                if options.shape[0] == 0:
                    continue
                pick = int(options[rng.integers(options.shape[0])])
                offer_taken[pick] = True
                unit = int(offers[pick])
                muni = int(u.muni[unit])
            hh.status[h] = SELF_SETTLED
            hh.self_t[h] = when[i]
            hh.muni[h] = muni
            hh.unit[h] = unit
            if unit >= 0:
                self._occupy(np.array([h]), np.array([when[i]]))
            if available[muni] >= hh.size[h]:
                available[muni] -= hh.size[h]
                self.decisions.use(np.array([muni]), np.array([hh.size[h]]))
                hh.with_agreement[h] = True
            else:
                self.counters[year]["self_settled_without_agreement_persons"] += float(hh.size[h])
            settled += 1
        self.counters[year]["self_settled_households"] += float(settled)

    def _quota(self, month: int, t0: float, t1: float) -> None:
        hh = self.hh
        waiting = np.flatnonzero(hh.quota & (hh.status == PENDING) & (hh.permit_t < t1))
        if waiting.shape[0] == 0:
            return
        units = self._vacant_units(t1)
        capacity = self.decisions.available(t1)
        hpos, upos = allocate(
            self.streams.get("allocation", month, 0),
            hh.size[waiting],
            hh.kind[waiting] == UAM,
            hh.kind[waiting] == SINGLE_ADULT,
            t1 - hh.permit_t[waiting],
            self.units.muni[units],
            self.units.cls[units],
            capacity,
            np.ceil(capacity * self.scenario.decisions.uam_share),
        )
        if hpos.shape[0] == 0:
            return
        placed = waiting[hpos]
        hh.unit[placed] = units[upos]
        hh.muni[placed] = self.units.muni[units[upos]]
        hh.move_t[placed] = np.maximum(
            np.maximum(hh.permit_t[placed], t0), self.units.avail_t[units[upos]]
        )
        hh.status[placed] = SETTLED
        self.decisions.use(hh.muni[placed], hh.size[placed])
        self._occupy(placed, hh.move_t[placed])

    def _match(self, month: int, t1: float, year: int) -> None:
        """The month's matching batch (utsøking) over everyone settlement-ready and proposable."""
        hh = self.hh
        hh.status[(hh.status == PENDING) & ~hh.quota & (hh.ready_t < t1)] = POOL
        pool = np.flatnonzero((hh.status == POOL) & (hh.blocked_until < t1) & (hh.ready_t < t1))
        pool = self._proposable(pool, month, year)
        if pool.shape[0]:
            self._match_group(month, t1, year, pool, 0)

    def effective_priority(
        self, pool: NDArray[np.int64], t: float, year: int
    ) -> NDArray[np.float64]:
        """The contract's priority ``p(h)``, lowered for hard-to-place households.

        Councils decide, to some extent, also *who* they take (L603-605): a hard-to-place
        household competes as if its priority were ``hard_to_place_penalty`` lower (not under
        state allocation, where councils cannot choose). Families with children and
        unaccompanied minors get ``children_priority_bonus`` on top (IMDi's 2014 letter of
        allocation: settling children is to be prioritised, L1344-1352).
        """
        hh = self.hh
        short = (hh.kind[pool] == FAMILY) | (hh.kind[pool] == UAM)
        p = priority(t - hh.permit_t[pool], short)
        p = p + np.where(short, self.scenario.matching.children_priority_bonus.at(year), 0.0)
        if self.decisions.state_allocation_active(year):
            return p
        penalty = self.scenario.matching.hard_to_place_penalty.at(year)
        return p - np.where(hh.hard_to_place[pool], penalty, 0.0)

    def _selection_score(
        self, pool: NDArray[np.int64], t1: float, month: int, year: int
    ) -> NDArray[np.float64]:
        """Fast mode's ordering: the effective priority plus the engine's other score terms
        (ties, labour, fit), which vary by household and flat and are drawn as uniform noise
        of width ``selection_noise`` in priority units."""
        p = self.effective_priority(pool, t1, year)
        noise = self.scenario.matching.selection_noise.at(self.year_of(t1 - 1e-9))
        if noise <= 0:
            return p
        rng = self.streams.get("allocation", month, 3)
        return p + noise * rng.random(pool.shape[0])

    def _match_group(
        self, month: int, t1: float, year: int, pool: NDArray[np.int64], pass_index: int
    ) -> None:
        hh = self.hh
        units = self._vacant_units(t1)
        if units.shape[0] == 0:
            return
        capacity = self.decisions.available(t1)
        if capacity.sum() <= 0:
            return
        capacity_uam = np.ceil(capacity * self.scenario.decisions.uam_share)
        if self._matcher is None:
            hpos, upos = allocate(
                self.streams.get("allocation", month, 1 + pass_index),
                hh.size[pool],
                hh.kind[pool] == UAM,
                hh.kind[pool] == SINGLE_ADULT,
                self._selection_score(pool, t1, month, year),
                self.units.muni[units],
                self.units.cls[units],
                capacity,
                capacity_uam,
            )
        else:
            started = time.perf_counter()
            hpos, upos = self._matcher(self, pool, units, t1, capacity, capacity_uam)
            self.engine_seconds += time.perf_counter() - started
        if hpos.shape[0] == 0:
            return
        chosen, chosen_units = pool[hpos], units[upos]
        hh.status[chosen] = PROPOSED
        hh.unit[chosen] = chosen_units
        hh.muni[chosen] = self.units.muni[chosen_units]
        hh.match_t[chosen] = t1
        hh.proposals[chosen] += 1
        factor = self._phase4_factor(chosen, year)
        hh.response_t[chosen] = (
            t1 + self.scenario.phases.response_months * hh.g_response[chosen] * factor
        )
        self.units.state[chosen_units] = hs.RESERVED
        self.units.occupant[chosen_units] = chosen
        self.decisions.use(hh.muni[chosen], hh.size[chosen])
        self.counters[year]["proposals"] += float(chosen.shape[0])
