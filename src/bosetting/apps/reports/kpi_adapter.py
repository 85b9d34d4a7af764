"""Small pure helpers the dashboard needs on top of the KPI engine (no Django, no database).

They define no new KPI: the month grid cuts a period into months, and the waiting-time distribution
is the engine's ``long_waiters`` and ``waiting_ready_persons`` evaluated at the target thresholds
(3, 6 and 12 months since the permit).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import numpy as np

from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi import Period

#: Thresholds (months since the permit) of the waiting-time distribution: the report's targets.
DISTRIBUTION_THRESHOLDS_MONTHS: tuple[int, ...] = (3, 6, 12)


def month_periods(period: Period) -> list[Period]:
    """The calendar months overlapping ``period``, each clipped to it."""
    result = []
    year, month = period.start.year, period.start.month
    while dt.date(year, month, 1) <= period.end:
        first = max(dt.date(year, month, 1), period.start)
        last = min(dt.date(year, month, calendar.monthrange(year, month)[1]), period.end)
        result.append(Period(first, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
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
