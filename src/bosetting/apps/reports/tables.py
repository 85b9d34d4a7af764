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

#: Row labels as printed in the report.
ROW_LABELS: dict[str, str] = {
    "settled": "Antall bosatte",
    "waiting_dec31": "Bosettingsklare i mottak (per 31. des.)",
    "share_settled_within_6_months_pct": "Andel bosatt innen 6 md. (%)",
    "long_waiters": "Antall lengeventende i mottak",
    "months_permit_to_settlement": "Ventetid fra vedtak til bosetting, bosatte fra mottak",
    "months_case_to_settlement": "Ventetid fra saksopprettelse til bosetting, bosatte fra mottak",
    "requested": "Anmodning",
    "decided": "Vedtak",
    "in_line": "Vedtak i tråd med anmodning",
    "fewer": "Tar imot færre enn anmodning",
    "none": "Bosetter ikke",
    "no_decision": "Uten vedtak",
    "total": "Totalt",
}

PUBLISHED_LABEL = "publisert i rapporten"


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
    same row keys; unknown keys are ignored and missing ones stay ``None``. Where the file has them
    on the report's own basis (``report_basis``: 2014 to November, as the published columns), those
    are compared.

    Raises:
        ValueError: the file holds no table, or a table is not a mapping of years to rows.
    """
    years = list(years)
    result = _empty_tables(years)
    found = False
    basis = data.get("report_basis")
    source = basis if isinstance(basis, dict) else data
    for table, rows in TABLE_ROWS.items():
        section = source.get(table)
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
