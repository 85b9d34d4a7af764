"""Build the report's Tables 2.1–2.4 from plain records.

The output has the same keys as :data:`.published.PUBLISHED_TABLES`, so the
computed and the published figures can be put side by side. A value the data
cannot give is ``None``, never a made-up number:

* a year that ends before the earliest date in the case data, or starts after
  the latest one, or starts after ``as_of``, has ``None`` for every case figure;
* a share or a waiting time with no persons to compute it over is ``None``
  (for example, no ``case_opened`` dates -> ``months_case_to_settlement`` None);
* a year with no request and no decision record has ``None`` in Tables 2.3 and 2.4.

Shares are in percent and waiting times in average months (days / 30.4375),
both rounded to one decimal as the report prints them. Counts are persons,
except Table 2.4, which counts municipalities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

from .cases import (
    DEFAULT_LONG_WAIT_THRESHOLD_MONTHS,
    long_waiters,
    months_case_to_settlement,
    months_permit_to_settlement,
    settled_persons,
    share_settled_within,
    waiting_ready_persons,
)
from .periods import DAYS_PER_MONTH, Period
from .planning import decision_class_counts, requests_vs_decisions
from .records import Cases, DecisionRecord, RequestRecord, as_case_arrays


def _round1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _observed_period(
    year: int, span: tuple[dt.date, dt.date] | None, as_of: dt.date | None
) -> Period | None:
    """The part of ``year`` the case data can speak for, or None."""
    if span is None:
        return None
    period = Period.year(year)
    if period.end < span[0] or period.start > span[1]:
        return None
    return period if as_of is None else period.clipped(as_of)


def tables(
    cases: Cases,
    requests: Iterable[RequestRecord],
    decisions: Iterable[DecisionRecord],
    years: Iterable[int],
    *,
    as_of: dt.date | None = None,
    municipalities: Collection[str] | None = None,
    long_wait_threshold_months: int = DEFAULT_LONG_WAIT_THRESHOLD_MONTHS,
) -> dict[str, Any]:
    """Tables 2.1–2.4 for ``years`` as a JSON-ready dict.

    Args:
        cases: Settlement cases (records or :class:`.CaseArrays`), already
            filtered to the area of interest.
        requests: IMDi's requests (Table 2.3 and 2.4).
        decisions: Municipal decisions (Table 2.3 and 2.4).
        years: Calendar years, one column each.
        as_of: Date of the data extract. Flows of a year are counted up to it
            and stocks ("waiting_dec31", "long_waiters") are taken on it when
            it falls before 31 December, as the report's "2014 (nov.)" column.
            None = every year is complete.
        municipalities: The universe for Table 2.4 (e.g. all 428 municipalities
            of 2014); municipalities with no record are "no_decision". None =
            those that have a request or decision record in that year.
        long_wait_threshold_months: Threshold for "long_waiters" (the report
            does not define it; 6 by default).

    Returns:
        ``{"table_2_1": {"2014": {"settled", "waiting_dec31",
        "share_settled_within_6_months_pct", "long_waiters"}}, "table_2_2":
        {"2014": {"months_permit_to_settlement", "months_case_to_settlement"}},
        "table_2_3": {"2014": {"requested", "decided"}}, "table_2_4": {"2014":
        {"in_line", "fewer", "none", "no_decision", "total"}}, "meta": {...}}``;
        "meta" records the definitions used (unit, as_of, threshold, the
        period each column covers).
    """
    arrays = as_case_arrays(cases)
    requests, decisions = list(requests), list(decisions)
    years = list(years)
    span = arrays.date_span()
    planning = requests_vs_decisions(requests, decisions, years)

    t21: dict[str, dict[str, Any]] = {}
    t22: dict[str, dict[str, Any]] = {}
    t23: dict[str, dict[str, Any]] = {}
    t24: dict[str, dict[str, Any]] = {}
    periods: dict[str, dict[str, str] | None] = {}
    for year in years:
        key = str(year)
        period = _observed_period(year, span, as_of)
        periods[key] = (
            None
            if period is None
            else {"start": period.start.isoformat(), "end": period.end.isoformat()}
        )
        if period is None:
            t21[key] = dict.fromkeys(
                ("settled", "waiting_dec31", "share_settled_within_6_months_pct", "long_waiters")
            )
            t22[key] = dict.fromkeys(("months_permit_to_settlement", "months_case_to_settlement"))
        else:
            share = share_settled_within(arrays, period, 6)
            t21[key] = {
                "settled": settled_persons(arrays, period),
                "waiting_dec31": waiting_ready_persons(arrays, period.end),
                "share_settled_within_6_months_pct": _round1(
                    None if share is None else share * 100
                ),
                "long_waiters": long_waiters(arrays, period.end, long_wait_threshold_months),
            }
            t22[key] = {
                "months_permit_to_settlement": _round1(
                    months_permit_to_settlement(arrays, period).mean_months
                ),
                "months_case_to_settlement": _round1(
                    months_case_to_settlement(arrays, period).mean_months
                ),
            }

        has_planning = any(r.year == year for r in requests) or any(
            d.year == year for d in decisions
        )
        t23[key] = dict(planning[year])
        if has_planning:
            t24[key] = decision_class_counts(requests, decisions, year, municipalities)
        else:
            t24[key] = dict.fromkeys(("in_line", "fewer", "none", "no_decision", "total"))

    return {
        "table_2_1": t21,
        "table_2_2": t22,
        "table_2_3": t23,
        "table_2_4": t24,
        "meta": {
            "unit": "persons (table_2_4: municipalities)",
            "as_of": None if as_of is None else as_of.isoformat(),
            "long_wait_threshold_months": long_wait_threshold_months,
            "days_per_month": DAYS_PER_MONTH,
            "within_6_months": "settled <= permit + 6 calendar months",
            "waiting_time_statistic": "person-weighted mean",
            "periods": periods,
        },
    }
