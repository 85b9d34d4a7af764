"""Municipal borders for the map ("kommunegrenser"), and which municipalities of the 2014 and the 2024
structure each drawn shape stands for.

The only borders shipped are Kartverket's of 2020 (356 municipalities, simplified; see
``build_boundaries.py`` and ``data/SOURCES.md``). Both structures the system knows are drawn on them:

* **2014** (428 municipalities): every 2014 municipality lies inside the 2020 municipality it became,
  so a 2020 shape stands for the one or several 2014 municipalities merged into it. Two 2014
  municipalities were split between several 2020 ones; each is drawn with the 2020 municipality that
  took its administrative centre (``SPLIT_2014``).
* **2024** (357 municipalities): the 2024 reform changed counties (Viken, Vestfold og Telemark and
  Troms og Finnmark were split), which changes numbers but no municipal border. One 2020 municipality
  was split: 1507 Ålesund became 1508 Ålesund and 1580 Haram, which share its shape.

Every municipality of both structures belongs to exactly one shape; ``shared_shapes`` lists the shapes
that stand for more than one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from bosetting.reference.loaders import data_path, read_rows
from bosetting.reference.structure import STRUCTURE_2014, STRUCTURE_2024

BOUNDARIES_FILE = "kommuner_2020_grenser.geojson"

SPLIT_2014 = {
    "1613": "5059",  # Snillfjord → Orkland (Krokstadøra); parts also went to Heim and Hitra
    "1850": "1806",  # Tysfjord → Narvik (Kjøpsvik); the eastern side went to Hamarøy
}
"""2014 municipalities split between several 2020 ones: the 2020 municipality that took the
administrative centre."""

Ring = list[list[float]]


@dataclass(frozen=True)
class Shape:
    """One 2020 municipality's simplified border: polygons of rings of ``[lon, lat]`` (WGS84)."""

    number: str
    name: str
    polygons: list[list[Ring]]


@cache
def shapes() -> dict[str, Shape]:
    """The 2020 municipalities' shapes by 2020 number."""
    data = json.loads(data_path(BOUNDARIES_FILE).read_text(encoding="utf-8"))
    return {
        f["properties"]["kommunenummer"]: Shape(
            f["properties"]["kommunenummer"],
            f["properties"]["navn"],
            f["geometry"]["coordinates"],
        )
        for f in data["features"]
    }


@cache
def source() -> dict[str, object]:
    """Where the borders come from and how they were simplified (from the file itself)."""
    data = json.loads(data_path(BOUNDARIES_FILE).read_text(encoding="utf-8"))
    return {key: data[key] for key in ("source", "year", "tolerance_km", "min_area_km2")}


@cache
def _2014_to_2020() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for row in read_rows("kommunenummer_2013_2020_overgang.csv"):
        old, new = row["kommunenummer_2013"], row["kommunenummer_2020"]
        if old == "9999":  # "uoppgitt", not a municipality
            continue
        mapping[old] = SPLIT_2014.get(old, mapping.get(old, new))
    return mapping


def _covers_2020(row: dict[str, str]) -> bool:
    start, end = row["gyldig_fra_aar"], row["gyldig_til_aar"]
    return (not start or int(start) <= 2020) and (not end or int(end) >= 2020)


@cache
def _2024_to_2020() -> dict[str, str]:
    numbers_2020 = set(shapes())
    mapping: dict[str, str] = {}
    rows = [
        r
        for r in read_rows("kommuner_1994_2024_harmonisert_til_2024.csv")
        if r["kode_2024"].isdigit()
    ]
    for row in rows:
        if row["kommunenummer"] in numbers_2020 and _covers_2020(row):
            mapping.setdefault(row["kode_2024"], row["kommunenummer"])
    # 2024 municipalities split off a 2020 one (Haram): the shape their pre-2020 area went into
    old_to_2020 = _2014_to_2020()
    for row in rows:
        if row["kode_2024"] not in mapping and row["kommunenummer"] in old_to_2020:
            mapping[row["kode_2024"]] = old_to_2020[row["kommunenummer"]]
    return mapping


def shape_of(structure_year: int) -> dict[str, str]:
    """Municipality number (of the structure) → the 2020 number of the shape it is drawn in."""
    if structure_year == STRUCTURE_2014:
        return dict(_2014_to_2020())
    if structure_year == STRUCTURE_2024:
        return dict(_2024_to_2020())
    raise ValueError(f"no map for the structure of {structure_year}")


def members(structure_year: int) -> dict[str, list[str]]:
    """2020 shape number → the municipalities of the structure it stands for (sorted)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for number, shape in sorted(shape_of(structure_year).items()):
        groups[shape].append(number)
    return dict(groups)


def shared_shapes(structure_year: int) -> dict[str, list[str]]:
    """Shapes that stand for more than one municipality of the structure (merged or split)."""
    return {shape: group for shape, group in members(structure_year).items() if len(group) > 1}
