"""The two agencies' regional offices and the counties they cover — Table 5.1 of the report (L2366–2452).

Dated data: the structure below is the one the report describes for 2014 (valid from 2014-01-01 until
the county reform of 2020, after which the counties no longer exist). A later structure is a new entry
with its own dates, never an edit of this one.

Troms is split between Husbanken's two northern offices: Region Bodø covers Sør-Troms and Midt-Troms,
Region Hammerfest covers Nord-Troms, Balsfjord and Tromsø. The report names regions, not municipalities;
the municipality lists below follow the regional councils (regionråd) of 2014. Karlsøy belongs to the
Tromsø region and is therefore put with Hammerfest — an interpretation, marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SOURCE_TABLE_5_1 = "Fafo 2015, Tabell 5.1 (L2366–2452)"
STRUCTURE_2014_FROM = date(2014, 1, 1)
STRUCTURE_2014_TO = date(2019, 12, 31)


@dataclass(frozen=True)
class Office:
    """A regional office ("regionkontor") of IMDi or Husbanken."""

    agency: str  # "imdi" | "husbanken"
    code: str
    name: str
    city: str
    part_of_country: str  # øst, sør, vest, midt, nord


@dataclass(frozen=True)
class Coverage:
    """An office covering a county (2014 county numbers), wholly or in part."""

    office_code: str
    county_number: str
    partial: bool = False
    area_note: str = ""
    municipality_numbers: tuple[str, ...] = field(default_factory=tuple)
    valid_from: date = STRUCTURE_2014_FROM
    valid_to: date | None = STRUCTURE_2014_TO
    source: str = SOURCE_TABLE_5_1


OFFICES: tuple[Office, ...] = (
    Office("imdi", "imdi-ost", "IMDi Øst", "Oslo", "øst"),
    Office("imdi", "imdi-indre-ost", "IMDi Indre Øst", "Gjøvik", "øst"),
    Office("imdi", "imdi-sor", "IMDi Sør", "Kristiansand", "sør"),
    Office("imdi", "imdi-vest", "IMDi Vest", "Bergen", "vest"),
    Office("imdi", "imdi-midt", "IMDi Midt-Norge", "Trondheim", "midt"),
    Office("imdi", "imdi-nord", "IMDi Nord", "Narvik", "nord"),
    Office("husbanken", "hb-ost", "Husbanken Region øst", "Oslo", "øst"),
    Office("husbanken", "hb-sor", "Husbanken Region sør", "Arendal og Drammen", "sør"),
    Office("husbanken", "hb-vest", "Husbanken Region vest", "Bergen", "vest"),
    Office("husbanken", "hb-midt", "Husbanken Region Midt-Norge", "Trondheim", "midt"),
    Office("husbanken", "hb-bodo", "Husbanken Region Bodø", "Bodø", "nord"),
    Office("husbanken", "hb-hammerfest", "Husbanken Region Hammerfest", "Hammerfest", "nord"),
)

# Troms (19) in 2014, split between Husbanken Bodø and Hammerfest.
TROMS_HAMMERFEST = ("1902", "1933", "1936", "1938", "1939", "1940", "1941", "1942", "1943")
TROMS_BODO = (
    "1903", "1911", "1913", "1917", "1919", "1920", "1922", "1923",
    "1924", "1925", "1926", "1927", "1928", "1929", "1931",
)  # fmt: skip

# 2014 county numbers: 01 Østfold, 02 Akershus, 03 Oslo, 04 Hedmark, 05 Oppland, 06 Buskerud,
# 07 Vestfold, 08 Telemark, 09 Aust-Agder, 10 Vest-Agder, 11 Rogaland, 12 Hordaland,
# 14 Sogn og Fjordane, 15 Møre og Romsdal, 16 Sør-Trøndelag, 17 Nord-Trøndelag, 18 Nordland,
# 19 Troms, 20 Finnmark.
COVERAGES: tuple[Coverage, ...] = (
    # IMDi
    *(Coverage("imdi-ost", c) for c in ("02", "03", "07", "01")),
    *(Coverage("imdi-indre-ost", c) for c in ("04", "05", "06")),
    *(Coverage("imdi-sor", c) for c in ("09", "10", "08")),
    *(Coverage("imdi-vest", c) for c in ("11", "12", "14")),
    *(Coverage("imdi-midt", c) for c in ("17", "16", "15")),
    *(Coverage("imdi-nord", c) for c in ("18", "19", "20")),
    # Husbanken
    *(Coverage("hb-ost", c) for c in ("02", "03", "04", "05", "01")),
    *(Coverage("hb-sor", c) for c in ("09", "10", "08", "07", "06")),
    *(Coverage("hb-vest", c) for c in ("11", "12", "14")),
    *(Coverage("hb-midt", c) for c in ("17", "16", "15")),
    Coverage("hb-bodo", "18", area_note="Nordland (og Svalbard)"),
    Coverage(
        "hb-bodo",
        "19",
        partial=True,
        area_note="Sør-Troms, Midt-Troms",
        municipality_numbers=TROMS_BODO,
    ),
    Coverage("hb-hammerfest", "20", area_note="Finnmark"),
    Coverage(
        "hb-hammerfest",
        "19",
        partial=True,
        area_note="Nord-Troms, Balsfjord, Tromsø (Karlsøy: tolkning, Tromsø-regionen)",
        municipality_numbers=TROMS_HAMMERFEST,
    ),
)


def office(code: str) -> Office:
    """The office with this code."""
    for item in OFFICES:
        if item.code == code:
            return item
    raise KeyError(code)


def offices_for_county(county_number: str, agency: str) -> list[Office]:
    """Offices of one agency covering (part of) a 2014 county."""
    codes = [c.office_code for c in COVERAGES if c.county_number == county_number]
    return [o for o in OFFICES if o.code in codes and o.agency == agency]


def office_for_municipality(municipality_number: str, agency: str) -> Office:
    """The office of one agency covering a 2014 municipality."""
    county = municipality_number[:2]
    for cov in COVERAGES:
        if cov.county_number != county:
            continue
        found = office(cov.office_code)
        if found.agency != agency:
            continue
        if cov.partial and municipality_number not in cov.municipality_numbers:
            continue
        return found
    raise KeyError(f"{agency}: no office covers {municipality_number}")


def overlaps() -> list[dict]:
    """Counties where the two agencies' maps do not line up (an IMDi office shares the county's
    Husbanken office with a different set of counties). One row per county and office pair."""
    rows = []
    for county in sorted({c.county_number for c in COVERAGES}):
        imdi = offices_for_county(county, "imdi")
        hb = offices_for_county(county, "husbanken")
        for i in imdi:
            i_counties = {c.county_number for c in COVERAGES if c.office_code == i.code}
            for h in hb:
                h_counties = {c.county_number for c in COVERAGES if c.office_code == h.code}
                if i_counties != h_counties:
                    rows.append(
                        {
                            "county_number": county,
                            "imdi_office": i.code,
                            "husbanken_office": h.code,
                            "imdi_counties": sorted(i_counties),
                            "husbanken_counties": sorted(h_counties),
                        }
                    )
    return rows
