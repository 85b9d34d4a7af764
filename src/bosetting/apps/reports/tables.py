"""The report's Tables 2.1–2.4 from live data (or a simulation result), and their row layout.

The figures come from :func:`bosetting.engine.rules.kpi.tables`; this module picks the records
(scoped), handles years that span two municipal structures, and lays the result out in the report's
rows with the Norwegian labels as printed, next to the published figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any

import numpy as np
from django.utils.translation import gettext_noop

from bosetting.apps.reports import sources
from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi.published import PARTIAL_COLUMNS, PUBLISHED_TABLES
from bosetting.reference.structure import structure_year_for

#: Keys of each table's rows, in the report's order.
TABLE_ROWS: dict[str, tuple[str, ...]] = {
    "table_2_1": (
        "settled",
        "waiting_dec31",
        "share_settled_within_6_months_pct",
        "long_waiters",
    ),
    "table_2_2": ("months_permit_to_settlement", "months_case_to_settlement"),
    "table_2_3": ("requested", "decided"),
    "table_2_4": ("in_line", "fewer", "none", "no_decision", "total"),
}

#: Table titles as printed (Fafo 2015, L636–709).
TABLE_TITLES: dict[str, str] = {
    "table_2_1": "Tabell 2.1 Antall bosatte, bosettingsklare og ventetid i mottak",
    "table_2_2": "Tabell 2.2 Ventetid i bosettingsprosessen. I måneder",
    "table_2_3": "Tabell 2.3 Bosetting i kommunene: Anmodninger fra IMDi og vedtak i kommunene",
    "table_2_4": "Tabell 2.4 Vedtak i kommunene om bosetting av flyktninger. Antall kommuner",
}

#: Row labels as printed in the report (marked for the catalogue; the page translates them, the
#: exports keep the report's bokmål).
ROW_LABELS: dict[str, str] = {
    "settled": gettext_noop("Antall bosatte"),
    "waiting_dec31": gettext_noop("Bosettingsklare i mottak (per 31. des.)"),
    "share_settled_within_6_months_pct": gettext_noop("Andel bosatt innen 6 md. (%)"),
    "long_waiters": gettext_noop("Antall lengeventende i mottak"),
    "months_permit_to_settlement": gettext_noop(
        "Ventetid fra vedtak til bosetting, bosatte fra mottak"
    ),
    "months_case_to_settlement": gettext_noop(
        "Ventetid fra saksopprettelse til bosetting, bosatte fra mottak"
    ),
    "requested": gettext_noop("Anmodning"),
    "decided": gettext_noop("Vedtak"),
    "in_line": gettext_noop("Vedtak i tråd med anmodning"),
    "fewer": gettext_noop("Tar imot færre enn anmodning"),
    "none": gettext_noop("Bosetter ikke"),
    "no_decision": gettext_noop("Uten vedtak"),
    "total": gettext_noop("Totalt"),
}

PUBLISHED_LABEL = gettext_noop("publisert i rapporten")


def _empty_tables(years: Iterable[int]) -> dict[str, dict[str, dict[str, Any]]]:
    return {
        table: {str(y): dict.fromkeys(rows) for y in years} for table, rows in TABLE_ROWS.items()
    }


def tables_for_numbers(
    numbers: Collection[str] | None,
    years: Iterable[int],
    *,
    as_of: dt.date | None = None,
    long_wait_threshold_months: int = kpi.DEFAULT_LONG_WAIT_THRESHOLD_MONTHS,
    cases: kpi.CaseArrays | None = None,
) -> dict[str, Any]:
    """Tables 2.1–2.4 for the municipalities ``numbers`` (None = the whole country).

    Each year is counted in the municipal structure it belongs to
    (:func:`bosetting.reference.structure.structure_year_for`: 2024's from 2024, else 2014's; Table
    2.4's total is the number of municipalities of that structure in the area: 428 nationally in
    2014). Every municipality falls in exactly one class; those with neither a request nor a
    decision count as "no_decision".
    """
    years = sorted(set(years))
    arrays = cases if cases is not None else sources.case_arrays(numbers)
    result: dict[str, Any] = _empty_tables(years)
    meta: dict[str, Any] = {}
    groups: dict[int, list[int]] = {}
    for year in years:
        groups.setdefault(structure_year_for(year), []).append(year)
    for structure_year, group_years in sorted(groups.items()):
        part = kpi.tables(
            arrays,
            sources.request_records(numbers, structure_year),
            sources.decision_records(numbers, structure_year),
            group_years,
            as_of=as_of,
            municipalities=sources.universe(numbers, structure_year),
            long_wait_threshold_months=long_wait_threshold_months,
        )
        for table in TABLE_ROWS:
            result[table].update(part[table])
        periods = {**meta.get("periods", {}), **part["meta"]["periods"]}
        meta = {**part["meta"], "periods": periods}
    coverage_start = register_start(arrays)
    for year in years:
        if coverage_start is None or dt.date(year, 12, 31) < coverage_start:
            key = str(year)
            result["table_2_1"][key] = dict.fromkeys(TABLE_ROWS["table_2_1"])
            result["table_2_2"][key] = dict.fromkeys(TABLE_ROWS["table_2_2"])
            meta.setdefault("periods", {})[key] = None
    meta["register_starts"] = None if coverage_start is None else coverage_start.isoformat()
    meta["structure_years"] = {str(y): structure_year_for(y) for y in years}
    result["meta"] = meta
    return result


def register_start(arrays: kpi.CaseArrays) -> dt.date | None:
    """The first settlement in the case register, or None when nobody has settled yet.

    A case register only holds the settlements made since it was started (the demo world's from
    2012), so a year that ends before its first settlement cannot say how many settled or waited
    then: Tables 2.1 and 2.2 are ``None`` for such a year, not 0. Earlier dates of later cases
    (a permit or a case opened in 2010 of a person settled in 2013) do not make it observed.
    """
    settled = arrays.settled[~np.isnat(arrays.settled)]
    return None if settled.size == 0 else settled.min().item()


def tables_for(
    user,
    years: Iterable[int],
    area: sources.Area | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Tables 2.1–2.4 for what ``user`` may see of ``area`` (aggregates only)."""
    numbers = sources.scoped_numbers(user, area)
    result = tables_for_numbers(numbers, years, **kwargs)
    result["meta"]["area"] = str(area or sources.Area())
    return result


def tables_from_simulation(data: dict[str, Any], years: Iterable[int]) -> dict[str, Any]:
    """The tables from a simulation result file: what it has, ``None`` elsewhere.

    The simulator writes ``table_2_1`` and ``table_2_2`` (possibly more) as ``{year: row}`` with the
    same row keys; unknown keys are ignored and missing ones stay ``None``.

    Raises:
        ValueError: the file holds no table, or a table is not a mapping of years to rows.
    """
    years = list(years)
    result = _empty_tables(years)
    found = False
    for table, rows in TABLE_ROWS.items():
        section = data.get(table)
        if section is None:
            continue
        if not isinstance(section, dict):
            raise ValueError(f"{table}: expected a mapping from year to row")
        found = True
        for year_key, row in section.items():
            if str(year_key) not in result[table]:
                continue
            if not isinstance(row, dict):
                raise ValueError(f"{table}.{year_key}: expected a mapping of row keys to numbers")
            for key in rows:
                value = row.get(key)
                if value is not None and not isinstance(value, int | float):
                    raise ValueError(f"{table}.{year_key}.{key}: expected a number or null")
                result[table][str(year_key)][key] = value
    if not found:
        raise ValueError(f"no table_2_1 … table_2_4 in the file (keys: {', '.join(sorted(data))})")
    result["meta"] = {"source": "simulation", **(data.get("meta") or {})}
    return result


def published(table: str, year: str, key: str) -> Any:
    """The report's published figure for a cell, or None."""
    return PUBLISHED_TABLES.get(table, {}).get(year, {}).get(key)


def table_rows(result: dict[str, Any], table: str) -> list[dict[str, Any]]:
    """One table in the report's layout: a row per figure, each followed by the published figures.

    Returns:
        ``[{"key", "label", "values": {year: value}, "published": bool}, ...]``; a published row
        only follows a row that has a published figure for at least one of the years.
    """
    years = list(result[table])
    rows = []
    for key in TABLE_ROWS[table]:
        rows.append(
            {
                "key": key,
                "label": ROW_LABELS[key],
                "values": {y: result[table][y].get(key) for y in years},
                "published": False,
            }
        )
        pub = {y: published(table, y, key) for y in years}
        if any(v is not None for v in pub.values()):
            rows.append(
                {
                    "key": key,
                    "label": f"  {PUBLISHED_LABEL}",
                    "values": pub,
                    "published": True,
                }
            )
    return rows


_NOTE_WORDS = (
    ("as of", "per"),
    ("November", "november"),
    ("December", "desember"),
    ("IMDi monthly report", "IMDis månedsrapport"),
)


def partial_note(table: str) -> str:
    """The report's note on columns that are not full years (e.g. "2014: per november 2014")."""
    notes = PARTIAL_COLUMNS.get(table, {})
    text = "; ".join(f"{year}: {text}" for year, text in notes.items())
    for english, norwegian in _NOTE_WORDS:
        text = text.replace(english, norwegian)
    return text


def format_value(value: Any) -> str:
    """A figure as printed: decimal comma, thin grouping, '–' for no value."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", "\u00a0")


# --- the tables page: every column with its period, the report's beside live ones of the same period --

#: The report's 2014 columns of Tables 2.1 and 2.2 are per the end of November 2014 (L615, L636–665):
#: the live column beside them is counted to the same day.
REPORT_2014_AS_OF = dt.date(2014, 11, 30)
#: Tables 2.3 and 2.4 are the plans per December 2014 for 2014–2016 (L683–709).
PLAN_TABLES = ("table_2_3", "table_2_4")
PLAN_LAST_YEAR = 2016
#: Where the report takes each table from (as the report says under the table).
PUBLISHED_SOURCES: dict[str, str] = {
    "table_2_1": "Fafo 2015, tabell 2.1 (L636–648); kilde: IMDis årsrapporter",
    "table_2_2": "Fafo 2015, tabell 2.2 (L650–665); kilde: IMDis årsrapporter, for 2014 IMDis "
    "månedsrapport for november 2014",
    "table_2_3": "Fafo 2015, tabell 2.3 (L683–692); kilde: IMDi, per desember 2014",
    "table_2_4": "Fafo 2015, tabell 2.4 (L694–709); kilde: IMDi, per desember 2014",
}


def _day(d: dt.date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def page_tables(
    user, years: range, area: sources.Area | None = None
) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, Any]]:
    """What the tables page needs: the live tables for ``years`` (full years), the live Tables 2.1
    and 2.2 of 2014 counted to 30 November 2014 (None when 2014 is not shown), and the live plans
    (Tables 2.3 and 2.4) for ``years`` and, when 2014 is shown, through 2016 as the report has them."""
    numbers = sources.scoped_numbers(user, area)
    arrays = sources.case_arrays(numbers)
    result = tables_for_numbers(numbers, years, cases=arrays)
    partial = None
    if 2014 in years:
        partial = tables_for_numbers(numbers, [2014], cases=arrays, as_of=REPORT_2014_AS_OF)
    plan_years = range(years.start, max(years.stop, PLAN_LAST_YEAR + 1 if 2014 in years else 0))
    plans = tables_for_numbers(numbers, plan_years, cases=arrays) if plan_years != years else result
    return result, partial, plans


def page_columns(
    table: str,
    result: dict[str, Any],
    partial: dict[str, Any] | None,
    plans: dict[str, Any],
    today: dt.date,
) -> list[dict[str, Any]]:
    """The columns of one table on the page, each ``{"header", "period", "live": {key: value},
    "published": {key: value} | None, "published_period"}``: a live column is labelled with the
    period it counts, and the report's figures stand under the live column of the same period —
    the report's 2014 (per November) under a live 2014 counted to 30 November, beside the full year."""
    columns: list[dict[str, Any]] = []
    if table in PLAN_TABLES:
        for year, live in plans[table].items():
            pub = PUBLISHED_TABLES.get(table, {}).get(year)
            columns.append(
                {
                    "header": year,
                    "period": f"registrert per {_day(today)}",
                    "live": live,
                    "published": pub,
                    "published_period": "per desember 2014" if pub else "",
                }
            )
        return columns
    for year, live in result[table].items():
        y = int(year)
        pub = PUBLISHED_TABLES.get(table, {}).get(year)
        period = (result["meta"].get("periods") or {}).get(year)
        label = (
            "ikke i registeret"
            if period is None
            else f"{_day(dt.date.fromisoformat(period['start']))}–"
            f"{_day(dt.date.fromisoformat(period['end']))}"
        )
        if y == 2014 and partial is not None:
            columns.append(
                {
                    "header": "2014",
                    "period": label,
                    "live": live,
                    "published": None,
                    "published_period": "",
                }
            )
            part_period = (partial["meta"].get("periods") or {}).get(year)
            columns.append(
                {
                    "header": "2014 (jan.–nov.)",
                    "period": "ikke i registeret"
                    if part_period is None
                    else f"{_day(dt.date.fromisoformat(part_period['start']))}–"
                    f"{_day(REPORT_2014_AS_OF)}",
                    "live": partial[table][year],
                    "published": pub,
                    "published_period": "per november 2014" if pub else "",
                }
            )
            continue
        columns.append(
            {
                "header": year,
                "period": label,
                "live": live,
                "published": pub,
                "published_period": "hele året" if pub else "",
            }
        )
    return columns


def page_block(table: str, columns: list[dict[str, Any]]) -> dict[str, Any]:
    """One table of the page: per figure a live row and, when the report has the figure for a shown
    column, the report's row under it."""
    rows = []
    for key in TABLE_ROWS[table]:
        rows.append(
            {
                "key": key,
                "label": ROW_LABELS[key],
                "cells": [format_value(c["live"].get(key)) for c in columns],
                "published": False,
            }
        )
        pub = [None if c["published"] is None else c["published"].get(key) for c in columns]
        if any(v is not None for v in pub):
            rows.append(
                {
                    "key": key,
                    "label": f"  {PUBLISHED_LABEL}",
                    "cells": [
                        "" if c["published"] is None else format_value(v)
                        for c, v in zip(columns, pub, strict=True)
                    ],
                    "published": True,
                }
            )
    return {
        "key": table,
        "title": TABLE_TITLES[table],
        "columns": columns,
        "rows": rows,
        "published_source": PUBLISHED_SOURCES[table],
    }
