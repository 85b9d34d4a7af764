"""HiGHS backend for :class:`~bosetting.engine.matching.mip.MipProblem`.

The only module that imports ``highspy``; it is imported lazily by the
optimising solver so that reading instances and the greedy solver work
without it.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix

from bosetting.engine.matching.mip import MipOutcome, MipProblem

_OBJECTIVE_TOLERANCE = 1e-6


def _new_highs(highspy: Any) -> Any:
    """A HiGHS object that prints nothing.

    ``highspy.Highs()`` installs a Python log callback in its constructor and so
    prints the HiGHS banner before ``output_flag`` can be switched off, which
    would pollute command output; the core class does not.
    """
    core = getattr(getattr(highspy, "_core", None), "_Highs", None)
    return core() if core is not None else highspy.Highs()


def solve_mip(
    problem: MipProblem,
    *,
    time_limit: float,
    mip_rel_gap: float,
    start: NDArray[np.float64] | None = None,
    relax: bool = False,
    col_lower: NDArray[np.float64] | None = None,
    col_upper: NDArray[np.float64] | None = None,
    options: dict[str, Any] | None = None,
) -> MipOutcome:
    """Maximise ``problem`` with HiGHS.

    Args:
        problem: The program.
        time_limit: Seconds HiGHS may spend.
        mip_rel_gap: HiGHS stops when its relative gap is below this.
        start: A feasible solution to start from (warm start), or ``None``.
        relax: Solve the LP relaxation (integrality dropped); its optimum is
            reported as the dual bound.
        col_lower: Column lower bounds replacing the problem's (e.g. to search a
            neighbourhood of a relaxed solution).
        col_upper: Column upper bounds replacing the problem's.
        options: Further HiGHS options by name.
    """
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = problem.num_cols
    lp.num_row_ = problem.num_rows
    # Maximise c·x as minimise -c·x: HiGHS has mishandled the objective offset
    # of presolved maximisation problems when given a start (ERGO-Code/HiGHS#2439).
    lp.sense_ = highspy.ObjSense.kMinimize
    lp.col_cost_ = -np.asarray(problem.col_cost, dtype=np.float64)
    lp.col_lower_ = np.asarray(
        problem.col_lower if col_lower is None else col_lower, dtype=np.float64
    )
    lp.col_upper_ = np.asarray(
        problem.col_upper if col_upper is None else col_upper, dtype=np.float64
    )
    lp.row_lower_ = np.asarray(problem.row_lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(problem.row_upper, dtype=np.float64)
    matrix = coo_matrix(
        (problem.entry_value, (problem.entry_row, problem.entry_col)),
        shape=(problem.num_rows, problem.num_cols),
    ).tocsc()
    matrix.sum_duplicates()
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = problem.num_cols
    lp.a_matrix_.num_row_ = problem.num_rows
    lp.a_matrix_.start_ = matrix.indptr.astype(np.int32)
    lp.a_matrix_.index_ = matrix.indices.astype(np.int32)
    lp.a_matrix_.value_ = matrix.data.astype(np.float64)
    if not relax:
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
            for integer in problem.col_integer
        ]

    highs = _new_highs(highspy)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", max(float(time_limit), 0.01))
    highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    highs.setOptionValue("random_seed", 0)
    for name, value in (options or {}).items():
        highs.setOptionValue(name, value)
    status = highs.passModel(lp)
    if status == highspy.HighsStatus.kError:
        return MipOutcome("error", None, None, None, "passModel failed")
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = np.asarray(start, dtype=np.float64).tolist()
        solution.value_valid = True
        highs.setSolution(solution)
    began = time.perf_counter()
    highs.run()

    model_status = highs.getModelStatus()
    message = highs.modelStatusToString(model_status)
    info = highs.getInfo()
    has_solution = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64) if has_solution else None
    objective = float(np.dot(problem.col_cost, values)) if values is not None else None
    row_dual = None
    if relax:
        optimal = model_status == highspy.HighsModelStatus.kOptimal
        dual_bound = objective if optimal else None
        if optimal and info.dual_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
            row_dual = np.asarray(highs.getSolution().row_dual, dtype=np.float64)
    else:
        bound = -float(info.mip_dual_bound)
        dual_bound = bound if math.isfinite(bound) else None

    if model_status == highspy.HighsModelStatus.kOptimal:
        state = "optimal"
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        state = "infeasible"
    elif model_status in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kInterrupt,
        highspy.HighsModelStatus.kSolutionLimit,
        highspy.HighsModelStatus.kIterationLimit,
    ):
        state = "time_limit"
    else:
        state = "error"

    reported = -float(info.objective_function_value) if has_solution else None
    if objective is not None and reported is not None:
        if abs(objective - reported) > _OBJECTIVE_TOLERANCE * max(1.0, abs(objective)):
            # HiGHS's own account of its solution is wrong, so its claim of
            # optimality cannot be trusted either (seen with a start solution).
            rest = time_limit - (time.perf_counter() - began)
            if start is not None and rest > 0.1:
                cold = solve_mip(
                    problem,
                    time_limit=rest,
                    mip_rel_gap=mip_rel_gap,
                    relax=relax,
                    col_lower=col_lower,
                    col_upper=col_upper,
                    options=options,
                )
                if cold.objective is not None and cold.objective >= objective:
                    return cold
            state, dual_bound, message = "error", None, f"{message}; inconsistent objective"
    return MipOutcome(state, values, objective, dual_bound, message, row_dual)


class LpSession:
    """A linear program that grows by columns and is re-solved from its last basis.

    Column generation (:mod:`.pairwise`) adds a few thousand columns at a time
    to an LP of fixed rows; solving each round from the previous basis instead
    of from scratch is what keeps it fast.
    """

    def __init__(self, row_lower: NDArray[np.float64], row_upper: NDArray[np.float64]) -> None:
        import highspy

        self._highspy = highspy
        self.highs = _new_highs(highspy)
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("random_seed", 0)
        lower = np.asarray(row_lower, dtype=np.float64)
        upper = np.asarray(row_upper, dtype=np.float64)
        inf = highspy.kHighsInf
        self.highs.changeObjectiveSense(highspy.ObjSense.kMinimize)
        self.highs.addRows(
            len(lower),
            np.where(np.isfinite(lower), lower, -inf),
            np.where(np.isfinite(upper), upper, inf),
            0,
            np.zeros(len(lower), dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.float64),
        )
        self.cost: list[float] = []

    def add_columns(
        self,
        cost: list[float],
        rows: list[list[int]],
        values: list[list[float]],
    ) -> None:
        """Add columns ``0 <= x`` with (maximisation) ``cost`` and their row entries."""
        if not cost:
            return
        starts = np.zeros(len(cost), dtype=np.int32)
        index: list[int] = []
        value: list[float] = []
        for k, (r, v) in enumerate(zip(rows, values, strict=True)):
            starts[k] = len(index)
            index.extend(r)
            value.extend(v)
        inf = self._highspy.kHighsInf
        self.highs.addCols(
            len(cost),
            -np.asarray(cost, dtype=np.float64),
            np.zeros(len(cost)),
            np.full(len(cost), inf),
            len(index),
            starts,
            np.asarray(index, dtype=np.int32),
            np.asarray(value, dtype=np.float64),
        )
        self.cost.extend(cost)

    def solve(self, time_limit: float) -> MipOutcome:
        """Solve; ``objective`` is in the maximisation sense, ``row_dual`` as in :class:`MipOutcome`."""
        highspy = self._highspy
        self.highs.setOptionValue("time_limit", max(float(time_limit), 0.01))
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            return MipOutcome(
                "time_limit", None, None, None, self.highs.modelStatusToString(status)
            )
        solution = self.highs.getSolution()
        values = np.asarray(solution.col_value, dtype=np.float64)
        objective = float(np.dot(self.cost, values))
        row_dual = np.asarray(solution.row_dual, dtype=np.float64)
        return MipOutcome("optimal", values, objective, objective, "Optimal", row_dual)
