"""IMDi's requests (anmodning) and the municipal councils' decisions (vedtak).

Each year IMDi asks municipalities to settle a share of the national request, using the real
2012–2014 distribution of requests. A council that is asked answers with one of the four
outcomes of Tabell 2.4 (in line with the request, fewer, none, no decision), drawn from its
own 2012–2014 behaviour (see :mod:`world`). A yearly national *willingness shift* ``s`` moves
every council the same way on the logit scale and is solved so that the expected national
share decided/requested equals the scenario's ``decision_share`` for that year.

A decision is capacity for the year (persons). With three-year decisions the same yearly
number holds for three years, the later years are known from 1 January, and unused places may
carry over within the period. Councils release their places over the year following
``release_profile`` (municipalities settle most towards the end of the year).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import brentq
from scipy.special import expit, logit

from bosetting.engine.simulation.params import Scenario
from bosetting.engine.simulation.world import FEWER, IN_LINE, NO_DECISION, NONE, Municipalities


def shifted_outcomes(
    probs: NDArray[np.float64], partial: NDArray[np.float64], shift: NDArray[np.float64] | float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Outcome probabilities and partial ratio after a willingness shift on the logit scale."""
    s = np.broadcast_to(np.asarray(shift, dtype=np.float64), partial.shape)
    weights = probs * np.stack([np.exp(s), np.ones_like(s), np.exp(-s), np.exp(-s)], axis=1)
    weights /= weights.sum(axis=1, keepdims=True)
    return weights, expit(logit(partial) + s)


def expected_share(
    requested: NDArray[np.float64],
    probs: NDArray[np.float64],
    partial: NDArray[np.float64],
    shift: NDArray[np.float64] | float,
) -> float:
    """Expected national decided/requested for the given requests and shift."""
    total = float(requested.sum())
    if total <= 0:
        return 0.0
    p, f = shifted_outcomes(probs, partial, shift)
    return float((requested * (p[:, IN_LINE] + p[:, FEWER] * f)).sum() / total)


def solve_shift(
    target: float,
    requested: NDArray[np.float64],
    probs: NDArray[np.float64],
    partial: NDArray[np.float64],
    extra: NDArray[np.float64],
) -> float:
    """The national shift whose expected share equals ``target`` (clamped to what is possible)."""

    def gap(s: float) -> float:
        return expected_share(requested, probs, partial, extra + s) - target

    low, high = -25.0, 25.0
    if gap(low) >= 0:
        return low
    if gap(high) <= 0:
        return high
    return float(brentq(gap, low, high, xtol=1e-6))


class CouncilDecisions:
    """Requests and decisions of all municipalities, year by year (anmodninger og vedtak).

    Args:
        scenario: the scenario.
        municipalities: the world.
    """

    def __init__(self, scenario: Scenario, municipalities: Municipalities) -> None:
        self.scenario = scenario
        self.world = municipalities
        n = municipalities.size
        self.period_end = np.full(n, -1, dtype=np.int64)
        self.annual = np.zeros(n)
        self.carry = np.zeros(n)
        self.total = np.zeros(n)
        self.used = np.zeros(n)
        self.decision_t = np.zeros(n)
        self.year_start_t = 0.0
        profile = np.asarray(scenario.decisions.release_profile, dtype=np.float64)
        self.cumulative_release = np.cumsum(profile) / profile.sum()
        self.history: dict[int, dict[str, float]] = {}

    def _pilot(self, year: int) -> NDArray[np.bool_]:
        cg = self.scenario.policy.county_governor
        if not cg.enabled or not (cg.from_year <= year <= cg.until_year):
            return np.zeros(self.world.size, dtype=bool)
        return np.isin(self.world.county, np.array(cg.counties))

    def state_allocation_active(self, year: int) -> bool:
        """Whether the Danish state-allocation policy governs ``year``."""
        sa = self.scenario.policy.state_allocation
        return sa.enabled and year >= sa.from_year

    def target_share(self, year: int, national_request: float) -> float:
        """The national share decided/requested the councils' answers are drawn around.

        A year with IMDi's real decisions (``decided_persons``, data) takes their share of the
        request; other years the structural ``decision_share``."""
        params = self.scenario.decisions
        decided = params.decided_persons.get(str(year))
        if decided is not None and national_request > 0:
            return min(decided / national_request, 1.0)
        return params.decision_share.at(year)

    def start_year(self, year: int, year_start_t: float, rng: np.random.Generator) -> None:
        """Open ``year``: carry over, ask the councils that need a decision, draw their answers."""
        params = self.scenario.decisions
        world = self.world
        n = world.size
        national_request = params.requested_persons.at(year)
        requested = national_request * world.request_key(year)
        unused = np.maximum(self.total - self.used, 0.0)
        covered = self.period_end >= year
        pilot = self._pilot(year)
        outcome_counts = np.zeros(4)

        self.year_start_t = year_start_t
        self.used = np.zeros(n)
        self.carry = np.where(covered & params.carry_over_unused, unused, 0.0)
        self.decision_t = np.full(n, year_start_t)

        if self.state_allocation_active(year):
            sa = self.scenario.policy.state_allocation
            quota = np.round(sa.compliance * national_request * world.population_key())
            self.annual = quota
            self.period_end = np.full(n, year, dtype=np.int64)
            self.carry = np.zeros(n)
            new = np.ones(n, dtype=bool)
            requested_new = national_request * world.population_key()
            outcome_counts[IN_LINE] = float(np.sum(quota > 0))
            outcome_counts[NONE] = float(np.sum(quota <= 0))
        else:
            # Pilot counties re-ask their councils every year; a council may raise its number.
            new = ~covered | pilot
            requested_new = np.where(new, requested, 0.0)
            asked = new & (requested > 0)
            extra = np.where(pilot, self.scenario.policy.county_governor.willingness_shift, 0.0)
            shift = solve_shift(
                self.target_share(year, national_request),
                np.where(asked, requested, 0.0),
                world.outcome_probs,
                world.partial_mean,
                extra,
            )
            probs, partial = shifted_outcomes(
                world.outcome_probs, world.partial_mean, extra + shift
            )
            u = rng.random(n)
            outcome = (u[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
            outcome = np.minimum(outcome, NO_DECISION)
            kappa = params.partial_concentration
            ratio = rng.beta(partial * kappa, (1.0 - partial) * kappa)
            ratio = np.select([outcome == IN_LINE, outcome == FEWER], [1.0, ratio], 0.0)
            decided = np.round(requested * ratio)
            period = int(params.period_years.at(year))
            keeps = (outcome == IN_LINE) | (outcome == FEWER)
            delay = rng.gamma(2.0, params.decision_delay_months / 2.0, size=n)
            raise_only = pilot & covered
            decided = np.where(raise_only, np.maximum(decided, self.annual), decided)
            self.annual = np.where(asked, decided, np.where(new, 0.0, self.annual))
            self.period_end = np.where(
                asked & keeps, year + period - 1, np.where(new, year, self.period_end)
            )
            self.decision_t = np.where(asked & ~raise_only, year_start_t + delay, year_start_t)
            for k in range(4):
                outcome_counts[k] = float(np.sum(asked & (outcome == k)))
        self.total = self.annual + self.carry
        self.history[year] = {
            "requested_persons": float(requested_new[new].sum()),
            "decided_persons": float(self.annual.sum()),
            "new_decisions_persons": float(self.annual[new].sum()),
            "carried_over_persons": float(self.carry.sum()),
            "councils_in_line": outcome_counts[IN_LINE],
            "councils_fewer": outcome_counts[FEWER],
            "councils_none": outcome_counts[NONE],
            "councils_no_decision": outcome_counts[NO_DECISION],
        }

    def available(self, t: float) -> NDArray[np.float64]:
        """Persons each municipality can still take at time ``t`` (within the current year)."""
        month = int(np.clip(np.floor(t - self.year_start_t - 1e-9), 0, 11))
        # Councils take somewhat more than they decided (``beyond_decision_share``, IMDi data: 7% of
        # the decided places in 2012 were settled beyond a municipality's own decision).
        beyond = 1.0 + self.scenario.decisions.beyond_decision_share
        released = self.annual * beyond * self.cumulative_release[month]
        released = np.where(t >= self.decision_t, released, 0.0) + self.carry
        return np.maximum(released - self.used, 0.0)

    def use(
        self, muni: NDArray[np.int64], persons: NDArray[np.int64] | NDArray[np.float64]
    ) -> None:
        """Count placed persons against their municipalities' decisions."""
        np.add.at(self.used, muni, persons)

    def give_back(self, muni: NDArray[np.int64], persons: NDArray[np.int64]) -> None:
        """Return places of rejected proposals."""
        np.subtract.at(self.used, muni, persons)
