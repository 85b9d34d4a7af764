"""KPIs and chart series for any period and area, computed by the KPI engine.

Nothing here defines a KPI: each figure is a call into :mod:`bosetting.engine.rules.kpi`
(or a small pure helper in :mod:`bosetting.apps.reports.kpi_adapter` built on it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from bosetting.apps.reports import kpi_adapter, sources
from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi import Period
from bosetting.engine.rules.kpi.published import OTHER_FIGURES
from bosetting.engine.rules.targets import (
    TARGET_MONTHS_ALL,
    TARGET_MONTHS_CHILDREN,
    TARGET_MONTHS_OTHERS,
)
from bosetting.reference.structure import structure_year_for

#: Settled per 1,000 inhabitants as the report prints it for three case municipalities
#: (Fafo 2015, digest §6; 2013 figures) and the mean across municipalities (L2126).
PUBLISHED_SETTLED_PER_1000: dict[str, float] = {"1201": 1.2, "2004": 3.3, "1037": 4.2}
PUBLISHED_MEAN_SETTLED_PER_1000 = OTHER_FIGURES["mean_settled_per_1000_across_municipalities"][0]


def _months(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _pct(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


def _stats(stats: kpi.DurationStats) -> dict[str, Any]:
    return {
        "persons": stats.count_persons,
        "mean_months": _months(stats.mean_months),
        "median_months": _months(stats.median_months),
        "excluded_persons": stats.excluded_persons,
    }


def kpis_for_numbers(
    numbers: Collection[str] | None,
    period: Period,
    *,
    at: dt.date | None = None,
    long_wait_threshold_months: int = kpi.DEFAULT_LONG_WAIT_THRESHOLD_MONTHS,
    cases: kpi.CaseArrays | None = None,
) -> dict[str, Any]:
    """Every KPI of issue 5 for the municipalities ``numbers`` (None = all) and ``period``.

    Args:
        numbers: Municipality numbers (2014 structure) of the area, None for the country.
        period: Flows (settled, shares, waiting times, phases) count events in this period.
        at: Day for the stocks (waiting, long-waiters); default the period's last day.
        long_wait_threshold_months: Months since the permit beyond which a waiting person is a
            long-waiter (the report does not define it; 6 by default).
        cases: Already loaded cases (else they are read for ``numbers``).

    Returns:
        A JSON-ready dict; shares in percent, durations in average months, ``None`` where the
        data cannot give a value.
    """
    arrays = cases if cases is not None else sources.case_arrays(numbers)
    at = at or period.end
    targets = {
        r.target.name: {
            "months": r.target.months,
            "households": list(r.target.household_types or ()),
            "share_pct": _pct(r.share),
            "target_pct": round(r.target.target_share * 100, 1),
            "persons": r.persons_counted,
            "met": r.met,
        }
        for r in kpi.time_target_results(arrays, period)
    }
    pop_year = sources.latest_population_year(period.start.year)
    pop = sources.population(numbers, pop_year) if pop_year else {}
    rates = kpi.settled_per_1000_by_municipality(arrays, period, pop)
    years = list(range(period.start.year, period.end.year + 1))
    planning: dict[str, Any] = {}
    classes: dict[str, Any] = {}
    for structure_year in sorted({structure_year_for(y) for y in years}):
        group = [y for y in years if structure_year_for(y) == structure_year]
        requests = sources.request_records(numbers, structure_year)
        decisions = sources.decision_records(numbers, structure_year)
        for year, row in kpi.requests_vs_decisions(requests, decisions, group).items():
            planning[str(year)] = row
        muni_universe = sources.universe(numbers, structure_year)
        for year in group:
            classes[str(year)] = kpi.decision_class_counts(requests, decisions, year, muni_universe)
    declines = kpi.declines_by_reason(sources.decline_records(numbers), period)
    area_settled_per_1000 = kpi.settled_per_1000(arrays, period, sum(pop.values()))
    return {
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "at": at.isoformat(),
        "settled_persons": kpi.settled_persons(arrays, period),
        "settled_persons_self_settled_excluded": kpi.settled_persons(
            arrays, period, include_self_settled=False
        ),
        "waiting_ready_persons": kpi.waiting_ready_persons(arrays, at),
        "long_waiters": kpi.long_waiters(arrays, at, long_wait_threshold_months),
        "long_wait_threshold_months": long_wait_threshold_months,
        "share_settled_within_6_months_pct": _pct(
            kpi.share_settled_within(arrays, period, TARGET_MONTHS_OTHERS)
        ),
        "share_settled_within_12_months_pct": _pct(
            kpi.share_settled_within(arrays, period, TARGET_MONTHS_ALL)
        ),
        "share_family_children_within_3_months_pct": _pct(
            kpi.share_settled_within(
                arrays, period, TARGET_MONTHS_CHILDREN, household_types=("family_children",)
            )
        ),
        "share_uam_within_3_months_pct": _pct(
            kpi.share_settled_within(
                arrays, period, TARGET_MONTHS_CHILDREN, household_types=("uam",)
            )
        ),
        "time_targets": targets,
        "waiting_permit_to_settlement": _stats(kpi.months_permit_to_settlement(arrays, period)),
        "waiting_case_to_settlement": _stats(kpi.months_case_to_settlement(arrays, period)),
        "phases": {name: _stats(s) for name, s in kpi.phase_durations(arrays, period).items()},
        "population_year": pop_year,
        "settled_per_1000": None
        if area_settled_per_1000 is None
        else round(area_settled_per_1000, 2),
        "mean_settled_per_1000_across_municipalities": _round2(kpi.mean_of_rates(rates)),
        "settled_per_1000_by_municipality": {m: _round2(v) for m, v in sorted(rates.items())},
        "requests_vs_decisions": planning,
        "decision_classes": classes,
        "declines_by_reason": declines,
        "published": {
            "mean_settled_per_1000_across_municipalities": PUBLISHED_MEAN_SETTLED_PER_1000,
            "settled_per_1000": PUBLISHED_SETTLED_PER_1000,
        },
    }


def _round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def kpis_for(user, period: Period, area: sources.Area | None = None, **kwargs: Any) -> dict:
    """:func:`kpis_for_numbers` for what ``user`` may see of ``area``."""
    numbers = sources.scoped_numbers(user, area)
    result = kpis_for_numbers(numbers, period, **kwargs)
    result["area"] = str(area or sources.Area())
    return result


def dashboard_series(
    arrays: kpi.CaseArrays,
    period: Period,
    *,
    at: dt.date | None = None,
) -> dict[str, Any]:
    """The numbers behind the dashboard's charts (each chart's table and CSV use the same).

    Returns:
        ``{"queue": [{month, waiting_ready_persons, long_waiters}], "settled_by_month":
        [{month, settled_persons}], "waiting_distribution": [{bucket, persons}]}``.
    """
    at = at or period.end
    months = kpi_adapter.month_ends(period)
    queue = [
        {
            "month": m.strftime("%Y-%m"),
            "waiting_ready_persons": kpi.waiting_ready_persons(arrays, m),
            "long_waiters": kpi.long_waiters(arrays, m),
        }
        for m in months
    ]
    settled = [
        {"month": p.start.strftime("%Y-%m"), "settled_persons": kpi.settled_persons(arrays, p)}
        for p in kpi_adapter.month_periods(period)
    ]
    return {
        "queue": queue,
        "settled_by_month": settled,
        "waiting_distribution": kpi_adapter.waiting_distribution(arrays, at),
    }
