"""Load the real reference data into the database. Transactional and idempotent (natural keys)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction

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
from bosetting.reference import loaders, regions
from bosetting.reference.sources import SOURCES
from bosetting.reference.structure import STRUCTURE_2014, STRUCTURES

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


@transaction.atomic
def do_load_geography(progress: Progress = _noop) -> dict[str, int]:
    """Load counties, municipalities, statistics, regional offices and data sources.

    Safe to run again: existing rows are updated in place, nothing is duplicated.
    Returns counts per table. (``bosetting.bootstrap.load_reference`` loads the rest of the reference
    data — IMDi's figures, coordination and the library — in the apps that own it.)
    """
    progress("datakilder")
    for src in SOURCES:
        DataSource.objects.update_or_create(
            key=src.key,
            defaults={
                "title": src.title,
                "publisher": src.publisher,
                "licence": src.licence,
                "origin": src.origin,
                "caveats": src.caveats,
                "synthetic": src.synthetic,
            },
        )

    progress("fylker og kommuner")
    validity = loaders.validity_2014()
    for structure in STRUCTURES:
        county_by_number: dict[str, County] = {}
        for row in loaders.counties(structure):
            county, _ = County.objects.update_or_create(
                structure_year=structure, number=row.number, defaults={"name": row.name}
            )
            county_by_number[row.number] = county
        existing = {m.number: m for m in Municipality.objects.filter(structure_year=structure)}
        to_create, to_update = [], []
        for row in loaders.municipalities(structure):
            if structure == STRUCTURE_2014:
                v = validity.get(row.number)
                valid_from = (
                    None  # the shipped data does not say when 2014 municipalities were formed
                )
                valid_to = date(v.valid_to_year, 12, 31) if v and v.valid_to_year else None
                successor = (v.successor_2024 or "") if v else ""
            else:
                valid_from, valid_to, successor = date(structure, 1, 1), None, row.number
            values = {
                "name": row.name,
                "name_unique": row.name_unique,
                "county": county_by_number[row.county_number],
                "valid_from": valid_from,
                "valid_to": valid_to,
                "successor_number": successor,
                "area_km2": row.area_km2,
                "admin_centre": row.admin_centre,
                "written_form": row.written_form,
            }
            if row.number in existing:
                obj = existing[row.number]
                for key, value in values.items():
                    setattr(obj, key, value)
                to_update.append(obj)
            else:
                to_create.append(
                    Municipality(structure_year=structure, number=row.number, **values)
                )
        Municipality.objects.bulk_create(to_create)
        Municipality.objects.bulk_update(to_update, list(values))

    progress("folketall og sysselsetting")
    _load_year_stats()

    progress("regionkontorer (Tabell 5.1)")
    _load_regions()

    return {
        "counties": County.objects.count(),
        "municipalities": Municipality.objects.count(),
        "municipality_year_stats": MunicipalityYearStat.objects.count(),
        "regional_offices": RegionalOffice.objects.count(),
        "regional_coverages": RegionalCoverage.objects.count(),
        "data_sources": DataSource.objects.count(),
    }


def _load_year_stats() -> None:
    munis = {(m.structure_year, m.number): m for m in Municipality.objects.all()}
    stats: dict[tuple[int, int], dict] = {}
    for structure in STRUCTURES:
        for row in loaders.municipalities(structure):
            m = munis[(structure, row.number)]
            for year, pop in row.populations.items():
                stats[(m.pk, year)] = {"population": pop}
    for row in loaders.employment():
        m = munis.get((STRUCTURE_2014, row.municipality_number))
        if m is None or row.year < 2006:
            continue
        entry = stats.setdefault((m.pk, row.year), {"population": None})
        entry["employment_rate_pct"] = row.rate_all_pct
        entry["employment_rate_immigrants_pct"] = row.rate_immigrants_pct
    MunicipalityYearStat.objects.all().delete()
    MunicipalityYearStat.objects.bulk_create(
        [
            MunicipalityYearStat(
                municipality_id=pk,
                year=year,
                population=values.get("population"),
                employment_rate_pct=values.get("employment_rate_pct"),
                employment_rate_immigrants_pct=values.get("employment_rate_immigrants_pct"),
            )
            for (pk, year), values in stats.items()
        ],
        batch_size=2000,
    )


def _load_regions() -> None:
    offices = {}
    for o in regions.OFFICES:
        offices[o.code], _ = RegionalOffice.objects.update_or_create(
            code=o.code,
            defaults={
                "agency": o.agency,
                "name": o.name,
                "city": o.city,
                "part_of_country": o.part_of_country,
            },
        )
    counties = {c.number: c for c in County.objects.filter(structure_year=STRUCTURE_2014)}
    RegionalCoverage.objects.filter(source=regions.SOURCE_TABLE_5_1).delete()
    RegionalCoverage.objects.bulk_create(
        [
            RegionalCoverage(
                office=offices[c.office_code],
                county=counties[c.county_number],
                partial=c.partial,
                area_note=c.area_note,
                municipality_numbers=list(c.municipality_numbers),
                valid_from=c.valid_from,
                valid_to=c.valid_to,
                source=c.source,
            )
            for c in regions.COVERAGES
        ]
    )


@transaction.atomic
def do_add_reception_centres(rows: list[dict]) -> list[ReceptionCentre]:
    """Add reception centres (the demo builder's synthetic ones): dicts of the model's fields."""
    centres = [ReceptionCentre(**row) for row in rows]
    for centre in centres:
        centre.full_clean(exclude=["municipality"])
    return ReceptionCentre.objects.bulk_create(centres)


@transaction.atomic
def do_mark_demo_world(seed: int, as_of, summary: dict) -> DemoWorld:
    """Mark the database as holding the synthetic demo world (every page then says so)."""
    return DemoWorld.objects.create(seed=seed, as_of=as_of, summary=summary)
