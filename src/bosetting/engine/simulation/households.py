"""Refugee households: arrivals with residence permits and resettlement (quota) arrivals.

Arrivals do not depend on the state of the system, so all of a run's households are drawn at
the start, year by year from their own random streams. Times are in months since the
simulation origin (1 January of the first warm-up year).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bosetting.engine.lifecycle import CaseState
from bosetting.engine.simulation.params import HOUSEHOLD_TYPES, ArrivalParams, Scenario
from bosetting.engine.simulation.streams import Streams
from bosetting.engine.simulation.world import Municipalities

SINGLE_ADULT, COUPLE, FAMILY, UAM = 0, 1, 2, 3

# Household status over its life in the model.
PENDING = 0  # permit granted, phases 2-3 running (or quota refugee not yet arrived)
POOL = 1  # settlement-ready, waiting to be matched (bosettingsklar, utsøking pending)
PROPOSED = 2  # proposed to a municipality, waiting for its answer (forespørsel)
ACCEPTED = 3  # agreement made, phase 4 preparation (avtale om bosetting)
SETTLED = 4  # moved into the municipality (bosatt)
SELF_SETTLED = 5  # found housing on their own (egenbosetting)

#: The lifecycle state each simulated status stands for: the simulator's households follow the same
#: transition table as the product's cases (a test runs the model and checks every move it makes
#: against ``bosetting.engine.lifecycle``).
CASE_STATE: dict[int, CaseState] = {
    PENDING: CaseState.PERMIT_GRANTED,
    POOL: CaseState.READY,
    PROPOSED: CaseState.PROPOSED,
    ACCEPTED: CaseState.PREPARING,
    SETTLED: CaseState.SETTLED,
    SELF_SETTLED: CaseState.SETTLED,
}


@dataclass
class Households:
    """All households of one run as parallel arrays (flyktninghusholdninger).

    Times are months since the simulation origin; ``inf`` means "not (yet) happened".
    """

    kind: NDArray[np.int64]
    size0: NDArray[np.int64]
    size: NDArray[np.int64]
    adults: NDArray[np.int64]
    quota: NDArray[np.bool_]
    permit_t: NDArray[np.float64]
    case_t: NDArray[np.float64]
    notified_t: NDArray[np.float64]
    ready_t: NDArray[np.float64]
    health: NDArray[np.bool_]
    accessible: NDArray[np.bool_]
    expects_reunification: NDArray[np.bool_]
    other_hard: NDArray[np.bool_]
    reunification_persons: NDArray[np.int64]
    tie: NDArray[np.int64]
    reception_county: NDArray[np.str_]
    age_offset: NDArray[np.int64]
    ages: NDArray[np.int64]
    g_response: NDArray[np.float64]
    g_preparation: NDArray[np.float64]
    g_reunification: NDArray[np.float64]
    # state
    status: NDArray[np.int64]
    muni: NDArray[np.int64]
    unit: NDArray[np.int64]
    blocked_until: NDArray[np.float64]
    match_t: NDArray[np.float64]
    response_t: NDArray[np.float64]
    accepted_t: NDArray[np.float64]
    move_t: NDArray[np.float64]
    self_t: NDArray[np.float64]
    reunification_t: NDArray[np.float64]
    with_agreement: NDArray[np.bool_]
    proposals: NDArray[np.int64]

    @property
    def count(self) -> int:
        """Number of households."""
        return int(self.kind.shape[0])

    @property
    def hard_to_place(self) -> NDArray[np.bool_]:
        """Households municipalities are reluctant to take: major health needs, a single adult
        expected to bring family, or other reasons such as nationality (L1159–1162)."""
        return self.health | self.expects_reunification | self.other_hard

    @property
    def left_waiting_t(self) -> NDArray[np.float64]:
        """When the household stopped waiting for a municipality: agreement or self-settled."""
        return np.minimum(np.minimum(self.accepted_t, self.move_t), self.self_t)

    @property
    def exit_t(self) -> NDArray[np.float64]:
        """When the household left reception (settled or self-settled)."""
        return np.minimum(self.move_t, self.self_t)

    def person_ages(self, index: int) -> list[int]:
        """Ages of the persons of household ``index`` (at arrival)."""
        return [int(a) for a in self.ages[self.age_offset[index] : self.age_offset[index + 1]]]


def _unit_gamma(rng: np.random.Generator, shape: float, n: int) -> NDArray[np.float64]:
    """Gamma draws with mean 1 (multiplied by a phase's mean delay when used)."""
    return rng.gamma(shape, 1.0 / shape, size=n)


def _mix_probabilities(mix: dict[str, float]) -> NDArray[np.float64]:
    p = np.array([mix[k] for k in HOUSEHOLD_TYPES], dtype=np.float64)
    return p / p.sum()


def mean_household_size(arrivals: ArrivalParams, mix: dict[str, float]) -> float:
    """Expected persons per household for a household mix."""
    p = _mix_probabilities(mix)
    family = (2.0 - arrivals.single_parent_share) + max(arrivals.children_mean, 1.0)
    return float(p[SINGLE_ADULT] + 2.0 * p[COUPLE] + family * p[FAMILY] + p[UAM])


@dataclass
class _Block:
    kind: NDArray[np.int64]
    size: NDArray[np.int64]
    adults: NDArray[np.int64]
    ages: list[NDArray[np.int64]]
    permit_t: NDArray[np.float64]


def _draw_block(
    rng: np.random.Generator,
    arrivals: ArrivalParams,
    mix: dict[str, float],
    persons: float,
    t_start: float,
) -> _Block:
    """Households arriving during one calendar year with about ``persons`` persons in total."""
    mean_size = mean_household_size(arrivals, mix)
    n = int(rng.poisson(persons / mean_size)) if persons > 0 else 0
    kind = rng.choice(4, size=n, p=_mix_probabilities(mix)).astype(np.int64)
    single_parent = rng.random(n) < arrivals.single_parent_share
    children = 1 + rng.poisson(max(arrivals.children_mean - 1.0, 0.0), size=n)
    adults = np.where(kind == COUPLE, 2, np.where(kind == FAMILY, np.where(single_parent, 1, 2), 1))
    adults = np.where(kind == UAM, 0, adults)
    size = np.where(kind == FAMILY, adults + children, np.where(kind == COUPLE, 2, 1))
    permit_t = np.sort(t_start + 12.0 * rng.random(n))
    # Ages: adults mostly young (report: young single men dominate); children 0-17; UAM 15-17.
    adult_age = np.minimum(18 + rng.gamma(2.0, 6.0, size=(n, 2)).astype(np.int64), 70)
    child_age = rng.integers(0, 18, size=(n, int(children.max(initial=1))))
    uam_age = rng.integers(15, 18, size=n)
    ages: list[NDArray[np.int64]] = []
    for i in range(n):
        if kind[i] == UAM:
            ages.append(np.array([uam_age[i]]))
        elif kind[i] == FAMILY:
            ages.append(np.concatenate([adult_age[i, : adults[i]], child_age[i, : children[i]]]))
        else:
            ages.append(adult_age[i, : adults[i]])
    return _Block(kind, size.astype(np.int64), adults.astype(np.int64), ages, permit_t)


def generate_households(
    scenario: Scenario,
    municipalities: Municipalities,
    streams: Streams,
    first_year: int,
    n_years: int,
) -> Households:
    """Draw every household that arrives during the simulated years.

    Args:
        scenario: the scenario.
        municipalities: the world (for ties and reception locations).
        streams: the run's random streams.
        first_year: calendar year at the simulation origin (first warm-up year).
        n_years: simulated calendar years, warm-up included.
    """
    arrivals = scenario.arrivals
    blocks: list[tuple[_Block, bool, int]] = []
    for offset in range(n_years):
        year = first_year + offset
        for is_quota in (False, True):
            if is_quota:
                persons = scenario.quota.persons_per_year.at(year)
                mix = scenario.quota.household_mix
                rng = streams.get("quota", year)
            else:
                persons = arrivals.permits_persons.at(year)
                mix = arrivals.household_mix
                rng = streams.get("arrivals", year)
            blocks.append((_draw_block(rng, arrivals, mix, persons, 12.0 * offset), is_quota, year))

    kind = np.concatenate([b.kind for b, _, _ in blocks]) if blocks else np.zeros(0, np.int64)
    n = int(kind.shape[0])
    size = np.concatenate([b.size for b, _, _ in blocks]) if blocks else np.zeros(0, np.int64)
    adults = np.concatenate([b.adults for b, _, _ in blocks]) if blocks else np.zeros(0, np.int64)
    permit_t = np.concatenate([b.permit_t for b, _, _ in blocks]) if blocks else np.zeros(0)
    quota = (
        np.concatenate([np.full(b.size.shape[0], q) for b, q, _ in blocks])
        if blocks
        else np.zeros(0, bool)
    )
    permit_year = (
        np.concatenate([np.full(b.size.shape[0], y) for b, _, y in blocks])
        if blocks
        else np.zeros(0, np.int64)
    )
    age_lists = [a for b, _, _ in blocks for a in b.ages]
    age_offset = np.zeros(n + 1, dtype=np.int64)
    if n:
        age_offset[1:] = np.cumsum([len(a) for a in age_lists])
    ages = np.concatenate(age_lists).astype(np.int64) if age_lists else np.zeros(0, np.int64)

    rng = streams.get("attributes")
    shape = scenario.phases.gamma_shape
    g_notify = _unit_gamma(rng, shape, n)
    g_interview = _unit_gamma(rng, shape, n)
    g_register = _unit_gamma(rng, shape, n)
    g_response = _unit_gamma(rng, shape, n)
    g_preparation = _unit_gamma(rng, shape, n)
    g_case = _unit_gamma(rng, 4.0, n)
    g_reunification = _unit_gamma(rng, 2.0, n)
    u_health = rng.random(n)
    u_access = rng.random(n)
    u_reunify = rng.random(n)
    u_ties = rng.random(n)
    u_other = rng.random(n)
    tie_choice = rng.choice(municipalities.size, size=n, p=_tie_weights(municipalities)).astype(
        np.int64
    )
    reception_muni = rng.choice(municipalities.size, size=n, p=municipalities.population_key())
    reunification_persons = np.maximum(1, rng.poisson(scenario.reunification.persons_mean, size=n))

    reception_county = municipalities.county[reception_muni] if n else np.zeros(0, dtype="<U2")
    phases = scenario.phases
    scale = np.array([phases.scale.at(int(y)) for y in permit_year]) if n else np.zeros(0)
    county_factor = _county_phase_factor(scenario, reception_county, permit_year)
    factor = scale * county_factor
    notified_t = np.where(
        quota, permit_t, permit_t + phases.notification_months * g_notify * factor
    )
    phase3 = phases.interview_months * g_interview + phases.registration_months * g_register
    ready_t = np.where(quota, permit_t, notified_t + phase3 * factor)
    case_months = (
        np.array([phases.case_processing_months.at(int(y)) for y in permit_year])
        if n
        else np.zeros(0)
    )
    case_t = permit_t - case_months * g_case

    single = kind == SINGLE_ADULT
    return Households(
        kind=kind,
        size0=size.copy(),
        size=size.copy(),
        adults=adults,
        quota=quota.astype(bool),
        permit_t=permit_t,
        case_t=case_t,
        notified_t=notified_t,
        ready_t=ready_t,
        health=(u_health < arrivals.health_needs_share) & ~quota,
        accessible=u_access < arrivals.accessible_needs_share,
        expects_reunification=single & (u_reunify < arrivals.expects_reunification_share),
        other_hard=~quota & (u_other < arrivals.other_hard_to_place_share),
        reunification_persons=reunification_persons.astype(np.int64),
        tie=np.where(u_ties < arrivals.ties_share, tie_choice, -1),
        reception_county=reception_county,
        age_offset=age_offset,
        ages=ages,
        g_response=g_response,
        g_preparation=g_preparation,
        g_reunification=g_reunification,
        status=np.zeros(n, dtype=np.int64),
        muni=np.full(n, -1, dtype=np.int64),
        unit=np.full(n, -1, dtype=np.int64),
        blocked_until=np.full(n, -np.inf),
        match_t=np.full(n, np.inf),
        response_t=np.full(n, np.inf),
        accepted_t=np.full(n, np.inf),
        move_t=np.full(n, np.inf),
        self_t=np.full(n, np.inf),
        reunification_t=np.full(n, np.inf),
        with_agreement=np.zeros(n, dtype=bool),
        proposals=np.zeros(n, dtype=np.int64),
    )


def _tie_weights(municipalities: Municipalities) -> NDArray[np.float64]:
    """Where family and compatriots live: the real 2012–2014 settlement, plus population."""
    weights = municipalities.settled.sum(axis=1) + 1e-3 * municipalities.population
    return weights / weights.sum()


def _county_phase_factor(
    scenario: Scenario, county: NDArray[np.str_], permit_year: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Faster phases 2–3 for households whose reception centre lies in a pilot county."""
    cg = scenario.policy.county_governor
    factor = np.ones(county.shape[0])
    if not cg.enabled or county.shape[0] == 0:
        return factor
    in_pilot = (
        np.isin(county, np.array(cg.counties))
        & (permit_year >= cg.from_year)
        & (permit_year <= cg.until_year)
    )
    factor[in_pilot] = cg.phase_factor
    return factor
