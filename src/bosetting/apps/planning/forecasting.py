"""Reads for the forecast of settled persons and the planning year's criteria (re-exported by
``selectors``): each municipality's record from the database, and the forecast as of a day.

A municipality's figures for a year are IMDi's requests (summed), the council's decision and the
persons settled: IMDi's published count where the year has them (``ReportedSettlement``; in a
year with published counts a municipality without one settled nobody — IMDi's 2014 extract lists
no zeros, and its rows add up to the national total), else the settlements registered in the
system (the cases app, through ``registry``) once the year is over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.db.models import Sum

from bosetting.apps.geo.selectors import municipalities
from bosetting.apps.planning import registry
from bosetting.apps.planning.models import CouncilDecision, ReportedSettlement, SettlementRequest
from bosetting.engine.forecast import (
    Forecast,
    InYear,
    YearRecord,
    band_of_sum,
    fit,
    forecast,
    in_year,
)
from bosetting.reference.structure import structure_year_for

FIRST_RECORD_YEAR = 1990


def year_records(
    structure_year: int,
    years: Sequence[int] | None = None,
    settled_until: date | None = None,
    *,
    since: int | None = None,
    through: int | None = None,
    numbers: Sequence[str] | None = None,
) -> list[YearRecord]:
    """Every municipality's figures for ``years`` in a structure, as the forecast's records;
    without ``years``, every year with requests or decisions from ``since`` through ``through``
    (found in the same queries that read them). ``numbers``: the structure's municipality numbers
    where the caller has them.

    Settled counts: IMDi's published ones; for a year without them, the settlements registered in
    the system if the year ended on or before ``settled_until`` (else None: not known yet)."""
    in_structure = {"municipality__structure_year": structure_year}
    if years is not None:
        in_structure["year__in"] = [y for y in years if structure_year_for(y) == structure_year]
    else:
        in_structure.update(year__gte=since or 0, year__lte=through or 9999)
    requested: dict[tuple[str, int], int] = {
        (n, y): int(total)
        for n, y, total in SettlementRequest.objects.filter(**in_structure)
        .values("municipality__number", "year")
        .annotate(total=Sum("persons"))
        .values_list("municipality__number", "year", "total")
    }
    decided = {
        (n, y): p
        for n, y, p in CouncilDecision.objects.filter(**in_structure).values_list(
            "municipality__number", "year", "persons"
        )
    }
    wanted = sorted(
        {y for y in (years or []) if structure_year_for(y) == structure_year}
        if years is not None
        else {y for _n, y in (*requested, *decided) if structure_year_for(y) == structure_year}
    )
    if not wanted:
        return []
    if numbers is None:
        numbers = list(municipalities(structure_year).values_list("number", flat=True))
    reported: dict[int, dict[str, int]] = defaultdict(dict)
    for n, y, p in ReportedSettlement.objects.filter(
        municipality__structure_year=structure_year, year__in=wanted
    ).values_list("municipality__number", "year", "persons"):
        reported[y][n] = p
    settled: dict[int, dict[str, int] | None] = {}
    for year in wanted:
        if reported.get(year):
            settled[year] = reported[year]
        elif settled_until is not None and date(year, 12, 31) <= settled_until:
            settled[year] = registry.ask(
                "settled", year, date(year, 12, 31), structure_year, default={}
            )
        else:
            settled[year] = None
    records = []
    for year in wanted:
        counts = settled[year]
        for number in numbers:
            key = (number, year)
            if key not in requested and key not in decided and not (counts or {}).get(number):
                continue
            records.append(
                YearRecord(
                    number=number,
                    year=year,
                    requested=requested.get(key),
                    decided=decided.get(key),
                    settled=None if counts is None else int(counts.get(number, 0)),
                )
            )
    return records


def records_before(year: int, today: date) -> list[YearRecord]:
    """The records of every year before ``year`` in its structure (what the model trains on and
    reads each municipality's record from)."""
    return _records_and_year(year, today, with_year=False)[0]


def _records_and_year(
    year: int, today: date, with_year: bool = True, numbers: Sequence[str] | None = None
) -> tuple[list[YearRecord], dict[str, YearRecord]]:
    """The records of the years with figures before ``year`` and, read in the same queries,
    ``year``'s own requests and decisions by municipality number (its settled count left out: a
    year is never forecast with its own settlements)."""
    read = year_records(
        structure_year_for(year),
        settled_until=today,
        since=FIRST_RECORD_YEAR,
        through=year if with_year else year - 1,
        numbers=numbers,
    )
    given = {r.number: replace(r, settled=None) for r in read if r.year == year}
    return [r for r in read if r.year != year], given


@dataclass(frozen=True)
class YearForecast:
    """The forecast of a year for every municipality, as of a day.

    Attributes:
        year: the forecast year.
        as_of: the day (1 January for a year not begun or a past year: the model's forecast).
        months_done: months of the year gone at ``as_of``.
        trained_on: the years the model was fitted on.
        rows: per municipality, the year-to-date and the forecast (``in_year`` figures).
        names: municipality names by number.
        ready_queue: persons settlement-ready nationally (None where unknown).
        relative_sd: the shock common to all municipalities (``band_of_sum``).
    """

    year: int
    as_of: date
    months_done: float
    trained_on: tuple[int, ...]
    rows: list[InYear]
    names: dict[str, str]
    ready_queue: int | None
    relative_sd: float = 0.0

    @property
    def total(self) -> float:
        return sum(r.settled for r in self.rows)

    def band(self, numbers: Collection[str] | None = None) -> tuple[float, float]:
        """The 10–90 % band of the sum over ``numbers`` (None: the country)."""
        rows = [r for r in self.rows if numbers is None or r.number in numbers]
        known = sum(r.settled_so_far + r.matched for r in rows)
        return band_of_sum(((r.p10, r.settled, r.p90) for r in rows), self.relative_sd, known)

    @property
    def total_p10(self) -> float:
        return self.band()[0]

    @property
    def total_p90(self) -> float:
        return self.band()[1]

    @property
    def settled_so_far(self) -> int:
        return sum(r.settled_so_far for r in self.rows)


def months_done(year: int, day: date) -> float:
    """Months of ``year`` gone at the end of ``day`` (0 before the year, 12 after it)."""
    if day < date(year, 1, 1):
        return 0.0
    if day >= date(year, 12, 31):
        return 12.0
    start = date(day.year, day.month, 1)
    days_in_month = ((date(day.year + day.month // 12, day.month % 12 + 1, 1)) - start).days
    return (day.month - 1) + day.day / days_in_month


def forecast_year(
    year: int, today: date, this_year: Sequence[YearRecord] | None = None
) -> YearForecast:
    """The forecast of persons settled per municipality in ``year`` as of ``today``.

    ``this_year`` gives the year's requests and decisions from outside (a decisions file); by
    default they are the database's, for every municipality of the year's structure. During the
    year the settlements registered so far, each municipality's matched queue, its free housing
    and the national queue shape what remains (``engine.forecast.in_year``); for a year not begun,
    or over, the model's forecast stands alone (a past year is never scored with its own
    settlements).

    Raises:
        ValueError: when no earlier year can train the model.
    """
    structure_year = structure_year_for(year)
    names = dict(municipalities(structure_year).values_list("number", "name"))
    records, given = _records_and_year(year, today, this_year is None, sorted(names))
    model = fit(records, year)
    if this_year is None:
        this_year = [
            given.get(number) or YearRecord(number, year, None, None) for number in sorted(names)
        ]
    predicted: list[Forecast] = forecast(model, year, this_year, records)
    during = date(year, 1, 1) <= today <= date(year, 12, 31)
    as_of = today if during else date(year, 1, 1)
    done = months_done(year, as_of) if during else 0.0
    matched, ready = (
        registry.ask("queues", structure_year, default=({}, None)) if during else ({}, None)
    )
    if during:
        rows = in_year(
            predicted,
            done,
            settled_so_far=registry.ask("settled", year, as_of, structure_year, default={}),
            matched=matched,
            free_capacity=registry.ask(
                "free_housing", date(year, 12, 31), structure_year, default={}
            ),
            ready_queue=ready,
            expected_ready=_expected_ready(records, year, done),
        )
    else:
        rows = in_year(predicted, 0.0)
    return YearForecast(
        year, as_of, done, model.trained_on, rows, names, ready, model.national_relative_sd
    )


def _expected_ready(records: Sequence[YearRecord], year: int, done: float) -> float:
    """Refugees expected to become settlement-ready in the rest of the year: last year's settled
    persons as the yearly inflow (the queue held its level on average), pro rata."""
    last = sum(r.settled or 0 for r in records if r.year == year - 1)
    return last * max(12.0 - done, 0.0) / 12.0
