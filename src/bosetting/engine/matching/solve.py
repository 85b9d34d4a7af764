"""``solve``: run a solver on an instance and return checked, explained proposals."""

from __future__ import annotations

import math
import time

from bosetting.engine.matching.greedy import concretise, greedy_placements
from bosetting.engine.matching.model import Instance
from bosetting.engine.matching.optimal import solve_optimal
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
        A result whose assignments satisfy F1–F5 and G1–G5.

    Raises:
        ValueError: for an unknown solver name or a negative time limit.
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, not {solver!r}")
    if not time_limit > 0:
        raise ValueError("time_limit must be positive")
    began = time.perf_counter()
    prep = Prepared(instance)
    greedy_pairs = concretise(prep, start := greedy_placements(prep))
    problems = _violations(prep, greedy_pairs)
    if problems:
        raise RuntimeError(f"greedy solver broke a rule: {problems[0]}")

    if solver == "greedy":
        result = make_result(
            prep, greedy_pairs, upper_bound=None, seconds=0.0, solver=solver, status="feasible"
        )
        result.seconds = time.perf_counter() - began
        return result

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
    result = make_result(
        prep,
        pairs,
        upper_bound=outcome.upper_bound,
        seconds=0.0,
        solver=solver,
        status=outcome.status,
    )
    result.seconds = time.perf_counter() - began
    return result
