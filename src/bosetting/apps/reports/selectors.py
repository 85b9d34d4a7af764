"""Reads of the reports: the report's Tables 2.1–2.4, the KPIs and the monthly report, for the API,
the command line and other apps.

The reports app writes nothing (it has no tables: every figure is computed by the KPI engine from
the other apps' rows), so all of it is read here; turning a result into text, CSV, XLSX or PDF is a
read too. Two kinds of entry:

* ``…_for(user, …)``: what the user may see of an area (aggregates, which every role may see within
  its scope; anonymous users and users without a role get ``PermissionDenied``);
* ``…_for_area(area, …)``: the whole area, unscoped — for the command line, run by an operator with
  the database at hand.

Areas (:class:`Area`) are given in the 2014 structure's numbers: ``Area.parse("county:12")``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from bosetting.apps.reports import export, kpis, monthly, sources, tables
from bosetting.apps.reports.monthly import MonthlyReport
from bosetting.apps.reports.sources import Area
from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi import Period

__all__ = [
    "Area",
    "MonthlyReport",
    "area_numbers",
    "kpis_for",
    "monthly_pdf",
    "monthly_report_for_area",
    "monthly_xlsx",
    "parse_month",
    "tables_csv",
    "tables_for",
    "tables_for_area",
    "tables_from_simulation",
    "tables_text",
    "tables_xlsx",
]


def area_numbers(area: Area) -> frozenset[str] | None:
    """Municipality numbers (2014 structure) of an area; None for the whole country.

    Raises:
        ValueError: the county, office or municipality does not exist.
    """
    return sources.area_numbers(area)


# --- KPIs and tables ---------------------------------------------------------------------------


def kpis_for(user, period: Period, area: Area | None = None, **kwargs: Any) -> dict[str, Any]:
    """Every KPI for ``period`` and what ``user`` may see of ``area`` (see
    :func:`bosetting.apps.reports.kpis.kpis_for_numbers` for the keyword arguments and the shape).

    Raises:
        PermissionDenied: the user may see no aggregates.
    """
    return kpis.kpis_for(user, period, area, **kwargs)


def tables_for(
    user, years: Iterable[int], area: Area | None = None, **kwargs: Any
) -> dict[str, Any]:
    """Tables 2.1–2.4 for ``years`` and what ``user`` may see of ``area`` (keyword arguments
    ``as_of`` and ``long_wait_threshold_months``).

    Raises:
        PermissionDenied: the user may see no aggregates.
    """
    return tables.tables_for(user, years, area, **kwargs)


def tables_for_area(
    area: Area,
    years: Iterable[int],
    *,
    as_of: dt.date | None = None,
    long_wait_threshold_months: int = kpi.DEFAULT_LONG_WAIT_THRESHOLD_MONTHS,
) -> dict[str, Any]:
    """Tables 2.1–2.4 for the whole ``area`` (unscoped: the command line).

    Raises:
        ValueError: the area does not exist.
    """
    result = tables.tables_for_numbers(
        sources.area_numbers(area),
        years,
        as_of=as_of,
        long_wait_threshold_months=long_wait_threshold_months,
    )
    result["meta"]["area"] = str(area)
    return result


def tables_from_simulation(data: dict[str, Any], years: Iterable[int]) -> dict[str, Any]:
    """The tables from a simulation result file: what it has, ``None`` elsewhere.

    Raises:
        ValueError: the file holds no table, or a table is not a mapping of years to rows.
    """
    return tables.tables_from_simulation(data, years)


def tables_text(result: dict[str, Any], area_label: str) -> str:
    """The four tables as plain text, the published figures under each row."""
    return export.tables_text(result, area_label)


def tables_csv(result: dict[str, Any]) -> str:
    """The four tables as long CSV (table, row, label, year, value, published)."""
    return export.tables_csv(result)


def tables_xlsx(result: dict[str, Any], area_label: str) -> bytes:
    """The four tables as an XLSX workbook, one sheet per table."""
    return export.tables_xlsx(result, area_label)


# --- the monthly report ------------------------------------------------------------------------


def parse_month(text: str) -> dt.date:
    """First day of the month ``YYYY-MM``.

    Raises:
        ValueError: not a month in the form YYYY-MM.
    """
    return monthly.parse_month(text)


def monthly_report_for_area(month: dt.date, area: Area | None = None) -> MonthlyReport:
    """The monthly report ("månedsrapport") of the month starting ``month`` for the whole ``area``
    (unscoped: the command line).

    Raises:
        ValueError: the area does not exist.
    """
    area = area or Area()
    return monthly.build_monthly(month, sources.area_numbers(area), area)


def monthly_pdf(report: MonthlyReport) -> bytes:
    """The monthly report as PDF."""
    return monthly.render_pdf(report)


def monthly_xlsx(report: MonthlyReport) -> bytes:
    """The monthly report as XLSX (key figures, chart data with native charts, Tables 2.1–2.4)."""
    return monthly.render_xlsx(report)
