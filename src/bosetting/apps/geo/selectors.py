"""Reads of geography. Geography is public reference data: no row-level restriction needed."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from bosetting.apps.geo.models import (
    DemoWorld,
    Municipality,
    RegionalCoverage,
    RegionalOffice,
)

DEFAULT_STRUCTURE_YEAR = 2014


def demo_world_loaded() -> bool:
    """True when the synthetic demo world is in the database."""
    return DemoWorld.objects.exists()


def municipalities(structure_year: int = DEFAULT_STRUCTURE_YEAR) -> QuerySet[Municipality]:
    return Municipality.objects.filter(structure_year=structure_year).select_related("county")


def municipality(number: str, structure_year: int = DEFAULT_STRUCTURE_YEAR) -> Municipality:
    return Municipality.objects.select_related("county").get(
        structure_year=structure_year, number=number
    )


def coverages_on(day: date) -> QuerySet[RegionalCoverage]:
    """Coverage rows valid on a day."""
    from django.db.models import Q

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
    numbers: set[str] = set()
    for cov in coverages_on(day).filter(office=office):
        qs = Municipality.objects.filter(county=cov.county)
        if cov.partial and cov.municipality_numbers:
            qs = qs.filter(number__in=cov.municipality_numbers)
        numbers.update(qs.values_list("number", flat=True))
    return numbers
