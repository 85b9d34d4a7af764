"""``solve``: run a solver on an instance and return checked, explained proposals."""

from __future__ import annotations

import math
import time
from dataclasses import replace

from bosetting.engine.matching.fairness import (
    fairness_violations,
    group_figures,
    protected_groups,
    summary_groups,
)
from bosetting.engine.matching.greedy import concretise, greedy_placements
from bosetting.engine.matching.household_model import pair_model
from bosetting.engine.matching.model import Instance
from bosetting.engine.matching.optimal import solve_optimal
from bosetting.engine.matching.pairwise import greedy_pairs, solve_pairs
from bosetting.engine.matching.prepared import Prepared
from bosetting.engine.matching.result import MatchResult, make_result
from bosetting.engine.matching.rules import check_assignment, score

SOLVERS = ("optimal", "greedy")
_RESERVE_SECONDS = 0.1
_RESERVE_SECONDS_PER_HOUSEHOLD = 1.5e-4


def _objective(prep: Prepared, pairs: list[tuple[int, int]]) -> float:
    inst = prep.instance
    return math.fsum(score(inst, inst.households[h], inst.units[u]) for h, u in pairs)


def _violations(prep: Prepared, pairs: list[tuple[int, int]]) -> list[str]:
    inst = prep.instance
    return check_assignment(inst, [(inst.households[h].id, inst.units[u].id) for h, u in pairs])


def solve(
    instance: Instance,
    solver: str = "optimal",
    time_limit: float = 30.0,
    mip_rel_gap: float = 1e-4,
) -> MatchResult:
    """Propose households for units — "utsøking".

    Args:
        instance: A validated instance.
        solver: ``"optimal"`` (aggregated MIP on HiGHS, warm-started from the
            greedy solution and never worse than it) or ``"greedy"``.
        time_limit: Seconds the optimising solver may spend in total.
        mip_rel_gap: Relative gap at which the optimising solver stops.

    Returns:
        A result whose assignments satisfy F1–F5 and G1–G5 (and, with the
        fairness rule on, leave no protected group worse off than outcome-blind).

    Raises:
        ValueError: for an unknown solver name or a negative time limit.
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, not {solver!r}")
    if not time_limit > 0:
        raise ValueError("time_limit must be positive")
    if instance.fairness:
        return _solve_fair(instance, solver, time_limit, mip_rel_gap)
    if instance.pair_terms:
        return _solve_households(instance, solver, time_limit, mip_rel_gap)
    return _solve_aggregated(instance, solver, time_limit, mip_rel_gap)


def _solve_aggregated(
    instance: Instance, solver: str, time_limit: float, mip_rel_gap: float
) -> MatchResult:
    """Format /1 (and /2 without household–municipality terms): the aggregated model."""
    began = time.perf_counter()
    prep = Prepared(instance)
    greedy_pairs = concretise(prep, start := greedy_placements(prep))
    problems = _violations(prep, greedy_pairs)
    if problems:
        raise RuntimeError(f"greedy solver broke a rule: {problems[0]}")

    if solver == "greedy":
        return _timed(prep, greedy_pairs, None, solver, "feasible", began)

    # Leave time to check, extract and explain the result after HiGHS stops.
    reserve = _RESERVE_SECONDS + _RESERVE_SECONDS_PER_HOUSEHOLD * len(instance.households)
    remaining = max(time_limit - (time.perf_counter() - began) - reserve, 0.05)
    outcome = solve_optimal(prep, start, time_limit=remaining, mip_rel_gap=mip_rel_gap)
    pairs = greedy_pairs
    if outcome.placements is not None:
        candidate = concretise(prep, outcome.placements)
        better = _objective(prep, candidate) > _objective(prep, greedy_pairs)
        if better and not _violations(prep, candidate):
            pairs = candidate
    return _timed(prep, pairs, outcome.upper_bound, solver, outcome.status, began)


def _timed(prep, pairs, upper_bound, solver: str, status: str, began: float) -> MatchResult:
    """The result of ``pairs``, its seconds counted from ``began`` (the preparation included)."""
    result = make_result(
        prep, pairs, upper_bound=upper_bound, seconds=0.0, solver=solver, status=status
    )
    result.seconds = time.perf_counter() - began
    return result


def _solve_households(
    instance: Instance,
    solver: str,
    time_limit: float,
    mip_rel_gap: float,
    protected: dict[str, float] | None = None,
    start: list[tuple[int, int]] | None = None,
) -> MatchResult:
    """Outcomes or preferences in the score: the household-level model (:mod:`.pairwise`)."""
    began = time.perf_counter()
    prep = Prepared(instance)
    model = pair_model(prep, protected=protected)
    first = greedy_pairs(model) if start is None else start
    first_pairs = concretise(prep, first)
    problems = _violations(prep, first_pairs)
    if problems:
        raise RuntimeError(f"household-level start broke a rule: {problems[0]}")
    if solver == "greedy":
        return _timed(prep, first_pairs, None, solver, "feasible", began)
    reserve = _RESERVE_SECONDS + _RESERVE_SECONDS_PER_HOUSEHOLD * len(instance.households)
    remaining = max(time_limit - (time.perf_counter() - began) - reserve, 0.05)
    outcome = solve_pairs(model, time_limit=remaining, mip_rel_gap=mip_rel_gap, start=first)
    pairs = first_pairs
    candidate = concretise(prep, outcome.pairs)
    if _objective(prep, candidate) > _objective(prep, first_pairs) and not _violations(
        prep, candidate
    ):
        pairs = candidate
    return _timed(prep, pairs, outcome.upper_bound, solver, outcome.status, began)


def _solve_fair(
    instance: Instance, solver: str, time_limit: float, mip_rel_gap: float
) -> MatchResult:
    """The rule "no group worse off": the outcome-blind optimum first, then the constrained one."""
    began = time.perf_counter()
    blind_instance = replace(
        instance, weights=replace(instance.weights, outcome=0.0), fairness=False
    )
    outcome_used = instance.weights.outcome > 0 and bool(instance.outcomes)
    blind = solve(
        blind_instance,
        solver=solver,
        time_limit=time_limit / 2 if outcome_used else time_limit,
        mip_rel_gap=mip_rel_gap,
    )
    blind_figures = group_figures(
        instance, [(a.household_id, a.municipality_id) for a in blind.assignments]
    )
    if not outcome_used:
        result = blind
        # The blind instance has no outcome term; its scores are the instance's scores.
    else:
        prep = Prepared(instance)
        h_index = {h.id: i for i, h in enumerate(instance.households)}
        u_index = {u.id: i for i, u in enumerate(instance.units)}
        start = [
            (h_index[a.household_id], prep.type_of_unit[u_index[a.unit_id]])
            for a in blind.assignments
        ]
        protected = protected_groups(instance, blind_figures)
        left = max(time_limit - (time.perf_counter() - began), 0.05)
        result = _solve_households(instance, solver, left, mip_rel_gap, protected, start)
        final = group_figures(
            instance, [(a.household_id, a.municipality_id) for a in result.assignments]
        )
        if fairness_violations(instance, blind_figures, final):
            # The start (the outcome-blind assignment) keeps the rule by definition.
            result = _solve_households(instance, "greedy", 1.0, mip_rel_gap, protected, start)
            result.solver = solver
            result.status = "feasible"
    final_figures = group_figures(
        instance, [(a.household_id, a.municipality_id) for a in result.assignments]
    )
    result.groups = summary_groups(blind_figures, final_figures)
    result.seconds = time.perf_counter() - began
    return result
