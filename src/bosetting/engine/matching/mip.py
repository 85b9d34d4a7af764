"""A solver-neutral mixed-integer program and the answer a backend gives back.

The model builder (:mod:`.optimal`) fills a :class:`MipProblem`; a backend
adapter (:mod:`._highs`) solves it. Only the adapter imports a solver library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass
class MipProblem:
    """``max c·x`` subject to ``row_lower <= A x <= row_upper``, bounds and integrality.

    Columns and rows are appended through :meth:`add_col` and :meth:`add_row`, so
    the builder reads in the order of the model (variables, then constraints).
    """

    col_cost: list[float] = field(default_factory=list)
    col_lower: list[float] = field(default_factory=list)
    col_upper: list[float] = field(default_factory=list)
    col_integer: list[bool] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    entry_row: list[int] = field(default_factory=list)
    entry_col: list[int] = field(default_factory=list)
    entry_value: list[float] = field(default_factory=list)
    row_family: list[str] = field(default_factory=list)

    @property
    def num_cols(self) -> int:
        """Number of variables."""
        return len(self.col_cost)

    @property
    def num_rows(self) -> int:
        """Number of constraints."""
        return len(self.row_lower)

    def add_col(self, lower: float, upper: float, integer: bool) -> int:
        """Add a variable with zero cost; returns its index."""
        self.col_cost.append(0.0)
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.col_integer.append(integer)
        return len(self.col_cost) - 1

    def add_row(
        self, cols: list[int], values: list[float], lower: float, upper: float, family: str
    ) -> int:
        """Add ``lower <= sum(values[k] * x[cols[k]]) <= upper``; returns its index.

        ``family`` names the rule the row belongs to (``"G3"`` …), for inspection.
        """
        row = len(self.row_lower)
        self.row_family.append(family)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.entry_row.extend([row] * len(cols))
        self.entry_col.extend(cols)
        self.entry_value.extend(values)
        return row


@dataclass
class MipOutcome:
    """What a backend reports.

    Attributes:
        status: ``"optimal"``, ``"time_limit"``, ``"infeasible"`` or ``"error"``.
        values: Column values of the best solution found, or ``None``.
        objective: Objective of that solution, or ``None``.
        dual_bound: Proven upper bound on the optimum (maximisation), or ``None``.
        message: Backend status text, for logs.
        row_dual: For a solved relaxation, the backend's row duals of the
            minimisation of ``-c·x`` (reduced cost of a column ``-c + Aᵀ·(−y)``), else ``None``.
    """

    status: str
    values: NDArray[np.float64] | None
    objective: float | None
    dual_bound: float | None
    message: str = ""
    row_dual: NDArray[np.float64] | None = None
