"""Small pure helpers the dashboard needs on top of the KPI engine (no Django, no database).

They define no new KPI: the month grid cuts a period into months, and the waiting-time distribution
is the engine's ``long_waiters`` and ``waiting_ready_persons`` evaluated at the target thresholds
(3, 6 and 12 months since the permit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import numpy as np

from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi import Period
from bosetting.engine.rules.kpi.periods import add_months
from bosetting.engine.rules.targets import (
    TARGET_MONTHS_ALL,
    TARGET_MONTHS_CHILDREN,
    TARGET_MONTHS_OTHERS,
)

#: Thresholds (months since the permit) of the waiting-time distribution: the report's targets.
DISTRIBUTION_THRESHOLDS_MONTHS: tuple[int, ...] = (
    TARGET_MONTHS_CHILDREN,
    TARGET_MONTHS_OTHERS,
    TARGET_MONTHS_ALL,
)


def month_periods(period: Period) -> list[Period]:
    """The calendar months overlapping ``period``, each clipped to it."""
    result = []
    month = period.start.replace(day=1)
    while month <= period.end:
        next_month = add_months(month, 1)
        last = min(next_month - dt.timedelta(days=1), period.end)
        result.append(Period(max(month, period.start), last))
        month = next_month
    return result


def month_ends(period: Period) -> list[dt.date]:
    """The last day of each month in ``period`` (the period's end for the last, partial month)."""
    return [p.end for p in month_periods(period)]


def waiting_distribution(
    cases: kpi.Cases,
    at: dt.date,
    thresholds_months: tuple[int, ...] = DISTRIBUTION_THRESHOLDS_MONTHS,
) -> list[dict[str, Any]]:
    """Settlement-ready persons waiting at ``at``, by months since the permit.

    Buckets ``0–3``, ``3–6``, ``6–12``, ``over 12`` (for the default thresholds) and ``no permit date``;
    "more than N months" is the engine's long-waiter rule with threshold N, so the buckets add up to
    :func:`kpi.waiting_ready_persons`.
    """
    arrays = kpi.as_case_arrays(cases)
    total = kpi.waiting_ready_persons(arrays, at)
    with_permit = kpi.long_waiters(arrays, at, 0) + _waiting_on_permit_day(arrays, at)
    over = [kpi.long_waiters(arrays, at, t) for t in thresholds_months]
    buckets = []
    lower, count_above_lower = 0, with_permit
    for threshold, above in zip(thresholds_months, over, strict=True):
        buckets.append(
            {
                "bucket": f"{lower}–{threshold}",
                "months_from": lower,
                "months_to": threshold,
                "persons": count_above_lower - above,
            }
        )
        lower, count_above_lower = threshold, above
    buckets.append(
        {"bucket": f">{lower}", "months_from": lower, "months_to": None, "persons": over[-1]}
    )
    buckets.append(
        {
            "bucket": "uten vedtaksdato",
            "months_from": None,
            "months_to": None,
            "persons": total - with_permit,
        }
    )
    return buckets


def _waiting_on_permit_day(arrays: kpi.CaseArrays, at: dt.date) -> int:
    """Persons waiting at ``at`` whose permit is dated ``at`` itself (0 months; not > 0 months)."""
    day = np.datetime64(at, "D")
    mask = (arrays.ready <= day) & ~(arrays.settled <= day) & (arrays.permit_date == day)
    return int(arrays.persons[mask].sum())


def per_municipality[T](cases: kpi.Cases, fn: Callable[[kpi.CaseArrays], T]) -> dict[str, T]:
    """Apply an engine KPI ``fn`` to the cases of each municipality separately.

    Sorts once and hands ``fn`` each municipality's rows (cases with no municipality are left out),
    so a map of 428 municipalities costs one pass over the data, not 428.
    """
    arrays = kpi.as_case_arrays(cases)
    known = np.array([m is not None for m in arrays.municipality], dtype=bool)
    rows = np.flatnonzero(known)
    if rows.size == 0:
        return {}
    numbers = arrays.municipality[rows].astype(str)
    order = np.argsort(numbers, kind="stable")
    codes, starts = np.unique(numbers[order], return_index=True)
    ends = [*starts[1:], len(order)]
    result: dict[str, T] = {}
    for code, start, end in zip(codes, starts, ends, strict=True):
        index = rows[order[start:end]]
        result[str(code)] = fn(
            kpi.CaseArrays(**{f.name: getattr(arrays, f.name)[index] for f in fields(arrays)})
        )
    return result
