"""Reads of geography. Geography is public reference data: no row-level restriction needed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from bosetting.apps.geo.models import (
    County,
    DataSource,
    DemoWorld,
    Municipality,
    MunicipalityYearStat,
    ReceptionCentre,
    RegionalCoverage,
    RegionalOffice,
)
from bosetting.memo import remembered
from bosetting.reference.structure import DEFAULT_STRUCTURE_YEAR, STRUCTURE_2014


def demo_world_loaded() -> bool:
    """True when the synthetic demo world is in the database (asked by every page: once per
    request, ``bosetting.memo``)."""
    return remembered("geo.demo_world_loaded", DemoWorld.objects.exists)


def municipalities(structure_year: int = DEFAULT_STRUCTURE_YEAR) -> QuerySet[Municipality]:
    return Municipality.objects.filter(structure_year=structure_year).select_related("county")


def municipality(number: str, structure_year: int = DEFAULT_STRUCTURE_YEAR) -> Municipality:
    return Municipality.objects.select_related("county").get(
        structure_year=structure_year, number=number
    )


def coverages_on(day: date) -> QuerySet[RegionalCoverage]:
    """Coverage rows valid on a day."""
    return (
        RegionalCoverage.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("office", "county")
    )


def offices_for_municipality(
    muni: Municipality, day: date | None = None
) -> dict[str, RegionalOffice]:
    """The IMDi and Husbanken offices covering a municipality on a day (default: today's data end, 2014-12-31)."""
    day = day or date(2014, 12, 31)
    result: dict[str, RegionalOffice] = {}
    for cov in coverages_on(day).filter(
        county__number=muni.county.number, county__structure_year=muni.structure_year
    ):
        if cov.partial and cov.municipality_numbers and muni.number not in cov.municipality_numbers:
            continue
        result[cov.office.agency] = cov.office
    return result


def municipality_numbers_for_office(office: RegionalOffice, day: date | None = None) -> set[str]:
    """All 2014-structure municipality numbers an office covers on a day."""
    day = day or date(2014, 12, 31)
    return set(municipality_numbers_by_office(day).get(office.pk, ()))


def municipality_numbers_by_office(day: date | None = None) -> dict[int, frozenset[str]]:
    """Every office's municipality numbers on a day, by office id: two queries for all offices,
    read once per request (the reports and the scope ask about several offices)."""
    day = day or date(2014, 12, 31)
    return remembered(("geo.office_numbers", day), lambda: _numbers_by_office(day))


def _numbers_by_office(day: date) -> dict[int, frozenset[str]]:
    whole: dict[int, set[int]] = {}  # office id -> counties it covers in full
    parts: dict[int, dict[int, set[str]]] = {}  # office id -> county id -> the numbers it covers
    for office_id, county_id, partial, listed in coverages_on(day).values_list(
        "office_id", "county_id", "partial", "municipality_numbers"
    ):
        if partial and listed:
            parts.setdefault(office_id, {}).setdefault(county_id, set()).update(listed)
        else:
            whole.setdefault(office_id, set()).add(county_id)
    counties = set().union(*whole.values(), *(p.keys() for p in parts.values()))
    in_county: dict[int, list[str]] = {}
    for county_id, number in Municipality.objects.filter(county_id__in=counties).values_list(
        "county_id", "number"
    ):
        in_county.setdefault(county_id, []).append(number)
    numbers: dict[int, set[str]] = {}
    for office_id, county_ids in whole.items():
        for county_id in county_ids:
            numbers.setdefault(office_id, set()).update(in_county.get(county_id, ()))
    for office_id, by_county in parts.items():
        for county_id, listed in by_county.items():
            covered = {n for n in in_county.get(county_id, ()) if n in listed}
            numbers.setdefault(office_id, set()).update(covered)
    return {office_id: frozenset(found) for office_id, found in numbers.items()}


def latest_stats(
    municipality_ids: list[int], year: int
) -> dict[int, tuple[float | None, int | None]]:
    """For each municipality: the latest employment rate (%) and population known up to ``year``
    (each taken from the latest year that has it)."""
    stats: dict[int, tuple[float | None, int | None]] = {}
    for s in MunicipalityYearStat.objects.filter(
        municipality_id__in=municipality_ids, year__lte=year
    ).order_by("year"):
        employment, population = stats.get(s.municipality_id, (None, None))
        stats[s.municipality_id] = (
            s.employment_rate_pct if s.employment_rate_pct is not None else employment,
            s.population if s.population is not None else population,
        )
    return stats


def municipality_ids_by_number(numbers, structure_year: int) -> dict[str, int]:
    """``{number: id}`` of the municipalities with these numbers in a structure."""
    return dict(
        Municipality.objects.filter(
            structure_year=structure_year, number__in=list(numbers)
        ).values_list("number", "pk")
    )


def reception_centre_named(name: str) -> ReceptionCentre | None:
    """The reception centre with this name, or None."""
    return ReceptionCentre.objects.filter(name=name).first()


def reception_centre_names() -> list[str]:
    """The names of every reception centre, alphabetically (a form's choices)."""
    return list(ReceptionCentre.objects.order_by("name").values_list("name", flat=True))


def demo_world() -> DemoWorld | None:
    """The demo world's marker (seed, day and summary), if the demo world is loaded."""
    return DemoWorld.objects.first()


def populations(structure_year: int, year: int) -> dict[int, int]:
    """Population per municipality id in a year (0 where unknown)."""
    return {
        s.municipality_id: s.population or 0
        for s in MunicipalityYearStat.objects.filter(
            municipality__structure_year=structure_year, year=year
        )
    }


def county(number: str, structure_year: int = DEFAULT_STRUCTURE_YEAR) -> County:
    """A county by number in a structure."""
    return County.objects.get(structure_year=structure_year, number=number)


def data_sources() -> QuerySet[DataSource]:
    """Every data set's source and licence (the About page)."""
    return DataSource.objects.all()


def totals() -> dict[str, int]:
    """How many municipalities the database holds (both structures)."""
    return {"municipalities": Municipality.objects.count()}


def municipality_numbers_in_county(county: County) -> list[str]:
    """The numbers of a county's municipalities (in the county's own structure)."""
    return list(Municipality.objects.filter(county=county).values_list("number", flat=True))


# --- reads for reports ---------------------------------------------------------------------------
# Geography is public reference data: these reads are unscoped (the reports scope their areas).


def county_or_none(number: str, structure_year: int = DEFAULT_STRUCTURE_YEAR) -> County | None:
    """The county with this number in a structure, or None."""
    return County.objects.filter(structure_year=structure_year, number=number).first()


def counties(structure_year: int = DEFAULT_STRUCTURE_YEAR) -> QuerySet[County]:
    """The counties of a structure, by number."""
    return County.objects.filter(structure_year=structure_year).order_by("number")


def municipality_or_none(
    number: str, structure_year: int = DEFAULT_STRUCTURE_YEAR
) -> Municipality | None:
    """The municipality with this number in a structure, or None."""
    return Municipality.objects.filter(structure_year=structure_year, number=number).first()


def office_by_code(code: str) -> RegionalOffice | None:
    """The regional office with this code ("imdi-vest", "hb-vest"), or None."""
    return RegionalOffice.objects.filter(code=code).first()


def regional_offices(agency: str | None = None) -> QuerySet[RegionalOffice]:
    """The regional offices (of one agency, if given), by agency and code."""
    qs = RegionalOffice.objects.all()
    return qs if agency is None else qs.filter(agency=agency)


def municipality_numbers(
    structure_year: int,
    numbers: Iterable[str] | None = None,
    county_number: str | None = None,
) -> list[str]:
    """Numbers of the municipalities of a structure, by number: all of them, or those among
    ``numbers`` and/or in the county ``county_number``."""
    qs = Municipality.objects.filter(structure_year=structure_year)
    if numbers is not None:
        qs = qs.filter(number__in=list(numbers))
    if county_number is not None:
        qs = qs.filter(county__number=county_number)
    return list(qs.values_list("number", flat=True))


def successor_numbers(numbers: Iterable[str]) -> list[str]:
    """The 2024-structure numbers that the 2014-structure municipalities ``numbers`` became."""
    return list(
        Municipality.objects.filter(structure_year=STRUCTURE_2014, number__in=list(numbers))
        .exclude(successor_number="")
        .values_list("successor_number", flat=True)
        .distinct()
    )


def municipality_names(
    numbers: Iterable[str] | None = None, structure_year: int = DEFAULT_STRUCTURE_YEAR
) -> dict[str, str]:
    """Number -> name for the municipalities of a structure (all, or those among ``numbers``)."""
    qs = Municipality.objects.filter(structure_year=structure_year)
    if numbers is not None:
        qs = qs.filter(number__in=list(numbers))
    return dict(qs.values_list("number", "name"))


def municipality_numbers_by_id() -> dict[int, str]:
    """``{id: number}`` of every municipality (all structures)."""
    return dict(Municipality.objects.values_list("id", "number"))


def reception_centre_municipality_numbers() -> dict[int, str]:
    """``{reception centre id: number of the municipality it lies in}``."""
    return dict(ReceptionCentre.objects.values_list("id", "municipality__number"))


def population_by_number(
    year: int, numbers: Iterable[str] | None = None, structure_year: int = DEFAULT_STRUCTURE_YEAR
) -> dict[str, int]:
    """Population on 1 January of ``year`` per municipality number of a structure (all, or those
    among ``numbers``); municipalities without a figure are left out."""
    qs = MunicipalityYearStat.objects.filter(
        municipality__structure_year=structure_year, year=year, population__isnull=False
    )
    if numbers is not None:
        qs = qs.filter(municipality__number__in=list(numbers))
    return dict(qs.values_list("municipality__number", "population"))


def population_years() -> list[int]:
    """The years that have population figures, oldest first."""
    return sorted(
        set(
            MunicipalityYearStat.objects.filter(population__isnull=False).values_list(
                "year", flat=True
            )
        )
    )


# --- reads for coordination ----------------------------------------------------------------------


def latest_population(municipality: Municipality) -> tuple[int, int] | None:
    """A municipality's latest population figure and its year, or None when it has none."""
    stat = (
        MunicipalityYearStat.objects.filter(municipality=municipality, population__isnull=False)
        .order_by("-year")
        .first()
    )
    return (stat.population, stat.year) if stat else None


# --- reads for knowledge -------------------------------------------------------------------------


def year_stats(year: int, structure_year: int = DEFAULT_STRUCTURE_YEAR) -> list[dict]:
    """Population and employment rate (%) of every municipality of a structure in a year (SSB), as
    ``{"municipality_id", "population", "employment_rate_pct"}`` rows."""
    return list(
        MunicipalityYearStat.objects.filter(
            year=year, municipality__structure_year=structure_year
        ).values("municipality_id", "population", "employment_rate_pct")
    )


def population_of(municipality: Municipality, year: int) -> int | None:
    """A municipality's population on 1 January of ``year``, or None when not in the data."""
    stat = MunicipalityYearStat.objects.filter(municipality=municipality, year=year).first()
    return stat.population if stat else None
