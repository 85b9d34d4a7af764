"""Read the real reference data files shipped in ``reference/data`` into plain records.

Every file is as in the project's shared data folder, with ``SOURCES.md`` beside it. Numbers are read
as text (leading zeros); an empty cell is ``None`` — never a made-up value.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DATA_PACKAGE = "bosetting.reference"


def data_path(filename: str) -> Path:
    """Path of a shipped data file."""
    return Path(str(resources.files(DATA_PACKAGE).joinpath("data", filename)))


def read_rows(filename: str) -> Iterator[dict[str, str]]:
    """Rows of a shipped CSV file as dicts of strings."""
    with data_path(filename).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def opt_int(value: str | None) -> int | None:
    """An integer cell, or None when empty."""
    if value is None or value.strip() == "":
        return None
    return int(float(value))


def opt_float(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    return float(value)


@dataclass(frozen=True)
class CountyRow:
    structure_year: int
    number: str
    name: str
    populations: dict[int, int | None]


@dataclass(frozen=True)
class MunicipalityRow:
    structure_year: int
    number: str
    name: str
    name_unique: str
    county_number: str
    county_name: str
    populations: dict[int, int | None]
    area_km2: float | None = None
    admin_centre: str = ""
    written_form: str = ""


def counties(structure_year: int) -> list[CountyRow]:
    """Counties of the 2014 (19) or 2024 (15) structure."""
    years = (2013, 2014, 2015) if structure_year == 2014 else (2024, 2025, 2026)
    return [
        CountyRow(
            structure_year,
            r["fylkesnummer"],
            r["fylkesnavn"],
            {y: opt_int(r[f"folketall_{y}"]) for y in years},
        )
        for r in read_rows(f"fylker_{structure_year}.csv")
    ]


def municipalities(structure_year: int) -> list[MunicipalityRow]:
    """Municipalities of the 2014 (428) or 2024 (357) structure with population on 1 January."""
    if structure_year == 2014:
        return [
            MunicipalityRow(
                2014,
                r["kommunenummer"],
                r["kommunenavn"],
                r["kommunenavn_entydig"],
                r["fylkesnummer"],
                r["fylkesnavn"],
                {y: opt_int(r[f"folketall_{y}"]) for y in (2013, 2014, 2015)},
            )
            for r in read_rows("kommuner_2014_folketall.csv")
        ]
    if structure_year == 2024:
        return [
            MunicipalityRow(
                2024,
                r["kommunenummer"],
                r["kommunenavn"],
                r["kommunenavn"],
                r["fylkesnummer"],
                r["fylkesnavn"],
                {y: opt_int(r[f"folketall_{y}"]) for y in (2024, 2025, 2026)},
                area_km2=opt_float(r["areal_km2"]),
                admin_centre=r["administrasjonssenter"],
                written_form=r["maalform"],
            )
            for r in read_rows("kommuner_2024_folketall.csv")
        ]
    raise ValueError(f"structure_year: no data for {structure_year} (2014 or 2024)")


@dataclass(frozen=True)
class Validity:
    """When a 2014-structure municipality stopped existing under its number, and its 2024 successor."""

    valid_to_year: int | None
    successor_2024: str | None


def validity_2014() -> dict[str, Validity]:
    """For each 2014 municipality: the last year its number was valid (from SSB's change tables) and
    its 2024 successor. ``valid_to_year`` None = the number is still valid in 2024."""
    last_year: dict[str, int | None] = {}
    for r in read_rows("kommunenummer_2013_2020_overgang.csv"):
        number = r["kommunenummer_2013"]
        if number == "9999":
            continue
        end: int | None = None
        for (_frm, to), note in (
            ((2013, 2017), "endringsmerknad_13_17"),
            ((2017, 2018), "endringsmerknad_17_18"),
            ((2018, 2019), "endringsmerknad_18_19"),
            ((2019, 2020), "endringsmerknad_19_20"),
        ):
            if not r[note].startswith("uendret"):
                end = to - 1
                break
        previous = last_year.get(number, 9999)
        last_year[number] = end if previous is None or end is None else min(end, previous or 9999)
    successor: dict[str, str | None] = {}
    for r in read_rows("kommuner_1994_2024_harmonisert_til_2024.csv"):
        successor.setdefault(
            r["kommunenummer"], None if r["kode_2024"] == "Rest" else r["kode_2024"]
        )
    return {number: Validity(end, successor.get(number)) for number, end in last_year.items()}


@dataclass(frozen=True)
class SettlementFigures:
    """IMDi's real figures for one municipality and year: requested (anmodning), decided (vedtak),
    settled (bosatt). None = not in the data (for ``decided``: no decision registered)."""

    year: int
    municipality_number: str
    municipality_name: str
    requested: int | None
    decided: int | None
    settled: int | None
    status: str
    as_of: str


def settlement_figures_2012_2014() -> list[SettlementFigures]:
    """IMDi requests, decisions and settled per municipality 2012–2014 (2014 structure).

    The 2014 row ``9999 Uoppgitt kommune`` (settled, municipality unknown) is included; callers that
    need municipalities skip it."""
    return [
        SettlementFigures(
            int(r["aar"]),
            r["kommunenummer"],
            r["kommunenavn"],
            opt_int(r["anmodning"]),
            opt_int(r["vedtak"]),
            opt_int(r["bosatt"]),
            r["status"],
            r["as_of"],
        )
        for r in read_rows("imdi_bosetting_kommune_2012_2014.csv")
    ]


def settlement_figures_2024() -> list[SettlementFigures]:
    """IMDi requests, decisions and settled per municipality in 2024 (2024 structure)."""
    return [
        SettlementFigures(
            2024,
            r["kommunenummer"],
            r["kommunenavn"],
            opt_int(r["anmodet"]),
            opt_int(r["vedtatt"]),
            opt_int(r["bosatte"]),
            "final",
            "2025-01-15",
        )
        for r in read_rows("imdi_bosetting_kommune_2024.csv")
    ]


@dataclass(frozen=True)
class EmploymentRow:
    year: int
    municipality_number: str
    rate_all_pct: float | None
    rate_immigrants_pct: float | None


def employment() -> list[EmploymentRow]:
    """Employment rates by municipality 2006–2014 (SSB via IMDi). ``0000`` is the whole country."""
    return [
        EmploymentRow(
            int(r["aar"]),
            r["kommunenummer"],
            opt_float(r["sysselsettingsandel_prosent_alle"]),
            opt_float(r["sysselsettingsandel_prosent_innvandrere"]),
        )
        for r in read_rows("sysselsetting_kommune_2006_2014.csv")
    ]
