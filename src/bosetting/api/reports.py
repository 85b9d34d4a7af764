"""Reports API: the report's Tables 2.1–2.4 and the KPIs, scoped like the dashboard.

Refusal policy: 401 without login/token; 403 for a user with no role (reports are aggregates, which
every role may see within its scope); a role asking for an area outside its scope gets the part it
may see (possibly empty), never another area's figures; 422 names a bad parameter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from bosetting.api._errors import answers, service_errors
from bosetting.api._fields import Day, Line
from bosetting.apps.reports import selectors
from bosetting.apps.reports.selectors import Area
from bosetting.engine.rules.kpi import Period

PREFIX = "reports"
router = Router(tags=["reports"])


def _bad(field: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ("query", field), "msg": message}])


def _area(text: str | None) -> Area:
    try:
        area = Area.parse(text)
        selectors.area_numbers(area)
    except ValueError as exc:
        raise _bad("area", str(exc)) from None
    return area


class TablesQuery(Schema):
    year_from: int = Query(2009, alias="from", ge=1990, le=2100)
    year_to: int = Query(2014, alias="to", ge=1990, le=2100)
    area: Line(60) = Query("national", description="national, county:12, region:imdi-vest, 1201 …")
    as_of: Day | None = Query(None, description="Date of the data extract.")
    long_wait_months: int = Query(6, ge=0, le=120)


@router.get("/tables", response=answers({200: dict[str, Any]}, 401, 403, 422))
def tables(request, q: Query[TablesQuery]):
    """Tables 2.1–2.4 (``table_2_1`` … ``table_2_4``: year -> row; ``null`` where the data cannot
    give a value) for the user's scope within ``area``."""
    if q.year_to < q.year_from:
        raise _bad("to", "must not be before from")
    if q.year_to - q.year_from > 50:
        raise _bad("to", "at most 50 years")
    area = _area(q.area)
    with service_errors("query"):
        return selectors.tables_for(
            request.user,
            range(q.year_from, q.year_to + 1),
            area,
            as_of=q.as_of,
            long_wait_threshold_months=q.long_wait_months,
        )


class KpiQuery(Schema):
    start: Day = Query(dt.date(2014, 1, 1), description="First day of the period.")
    end: Day = Query(dt.date(2014, 12, 31), description="Last day of the period.")
    at: Day | None = Query(None, description="Day of the stocks (default: end).")
    area: Line(60) = Query("national")
    long_wait_months: int = Query(6, ge=0, le=120)


@router.get("/kpis", response=answers({200: dict[str, Any]}, 401, 403, 422))
def kpis(request, q: Query[KpiQuery]):
    """All KPIs for the period and area: settled, waiting, long-waiters, time targets, waiting
    times, phase durations, settled per 1,000, requests vs decisions, decision classes, declines."""
    if q.end < q.start:
        raise _bad("end", "must not be before start")
    area = _area(q.area)
    with service_errors("query"):
        return selectors.kpis_for(
            request.user,
            Period(q.start, q.end),
            area,
            at=q.at,
            long_wait_threshold_months=q.long_wait_months,
        )
