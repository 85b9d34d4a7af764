"""The municipality map ("kommunekart"): municipalities as filled shapes coloured by a KPI.

The shapes are Kartverket's 2020 borders (``bosetting.reference.boundaries``), drawn server-side as
SVG paths: nothing is fetched from the internet, no script is needed to see the map, and each shape
is a link to the municipality's page. The figures are the live ones per 2014 municipality
(``dashboard.map_rows``), added up per shape; the chosen structure (2014 or 2024) decides what each
shape is called and which municipalities it lists.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from bosetting.reference import boundaries
from bosetting.reference.structure import STRUCTURE_2014

# Lambert azimuthal equal-area, centred on Norway; one unit of the SVG grid is 0.5 km.
LON0, LAT0, EARTH_KM, UNIT_KM = 15.0, 65.0, 6371.0, 0.5
MARGIN = 20
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d9d9d9"


def project(lon: float, lat: float) -> tuple[int, int]:
    """Longitude/latitude → SVG grid (x east, y down), equal-area around 15° E, 65° N."""
    lam, phi = math.radians(lon - LON0), math.radians(lat)
    phi0 = math.radians(LAT0)
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    x = EARTH_KM * k * math.cos(phi) * math.sin(lam)
    y = (
        EARTH_KM
        * k
        * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam))
    )
    return round(x / UNIT_KM), round(-y / UNIT_KM)


@dataclass(frozen=True)
class Outline:
    """One shape as an SVG path (relative moves, so that it stays short) and its bounding box."""

    d: str
    box: tuple[int, int, int, int]


@cache
def outlines() -> dict[str, Outline]:
    """Every 2020 shape's SVG path, computed once per process."""
    result = {}
    for number, shape in boundaries.shapes().items():
        parts: list[str] = []
        xs: list[int] = []
        ys: list[int] = []
        for polygon in shape.polygons:
            for ring in polygon:
                points = [project(lon, lat) for lon, lat in ring]
                x0, y0 = points[0]
                moves = [f"M{x0} {y0}l"]
                for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
                    if (ax, ay) != (bx, by):
                        moves.append(f"{bx - ax} {by - ay}")
                parts.append(" ".join(moves) + "z")
                xs.extend(p[0] for p in points)
                ys.extend(p[1] for p in points)
        result[number] = Outline("".join(parts), (min(xs), min(ys), max(xs), max(ys)))
    return result


def _sum(values: Iterable[int | None]) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def aggregate(
    rows: list[dict[str, Any]],
    plan_structure: int,
    requested: Mapping[str, int | None],
    decided: Mapping[str, int | None],
    population: Mapping[str, int] | None = None,
) -> dict[str, dict[str, Any]]:
    """The figures of the 2014 municipalities in ``rows`` added up per 2020 shape.

    ``requested`` and ``decided`` are keyed by municipality numbers of ``plan_structure`` (the
    structure of the year asked for), and so is ``population`` when given (the 2014 structure has no
    population after 2015); otherwise population comes from ``rows``, as do settled and waiting
    persons. Rates are recomputed from the sums (never averaged).
    """
    to_shape = boundaries.shape_of(STRUCTURE_2014)
    plan_shape = boundaries.shape_of(plan_structure)
    by_shape: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_shape[to_shape[row["number"]]].append(row)
    requested_by: dict[str, list[int | None]] = defaultdict(list)
    decided_by: dict[str, list[int | None]] = defaultdict(list)
    for number, value in requested.items():
        requested_by[plan_shape.get(number, "")].append(value)
    for number, value in decided.items():
        decided_by[plan_shape.get(number, "")].append(value)
    population_by: dict[str, list[int | None]] = defaultdict(list)
    for number, value in (population or {}).items():
        population_by[plan_shape.get(number, "")].append(value)
    result = {}
    for shape, group in by_shape.items():
        if population is None:
            shape_population = _sum(r["population"] for r in group)
        else:
            shape_population = _sum(population_by.get(shape, []))
        settled = sum(r["settled"] for r in group)
        req, dec = _sum(requested_by.get(shape, [])), _sum(decided_by.get(shape, []))
        result[shape] = {
            "shape": shape,
            "numbers_2014": sorted(r["number"] for r in group),
            "main_2014": max(group, key=lambda r: (r["population"] or 0, r["number"]))["number"],
            "population": shape_population,
            "settled": settled,
            "settled_per_1000": (
                round(settled * 1000 / shape_population, 2) if shape_population else None
            ),
            "waiting": sum(r["waiting"] for r in group),
            "requested": req,
            "decided": dec,
            "decided_pct": round(dec * 100 / req, 1) if req and dec is not None else None,
        }
    return result


def _fmt(value: float | int | None, decimals: int | None = None) -> str:
    if value is None:
        return "–"
    return formats.number_format(value, decimals, use_l10n=True, force_grouping=True)


def _decimals(kpi_key: str) -> int:
    return {"settled_per_1000": 2, "decided_pct": 1}.get(kpi_key, 0)


def colour_for(value: float | None, breaks: list[float]) -> str:
    """The class colour of a value (grey when there is no figure)."""
    if value is None:
        return NO_DATA
    for colour, top in zip(PALETTE, breaks, strict=False):
        if value <= top:
            return colour
    return PALETTE[-1]


def legend_for(breaks: list[float], decimals: int) -> list[tuple[str, str]]:
    """Each colour with the range of values it stands for, in words."""
    classes = []
    low = 0.0
    for colour, top in zip(PALETTE[:-1], breaks, strict=False):
        text = _("%(low)s til %(high)s") % {"low": _fmt(low, decimals), "high": _fmt(top, decimals)}
        classes.append((colour, text))
        low = top
    classes.append((PALETTE[-1], _("over %(low)s") % {"low": _fmt(low, decimals)}))
    classes.append((NO_DATA, _("ingen tall")))
    return classes


def _breaks(values: list[float]) -> list[float]:
    """Upper bounds of five equal classes from 0 to the 95th percentile (outliers join the top)."""
    present = sorted(v for v in values if v is not None)
    top = present[min(len(present) - 1, int(len(present) * 0.95))] if present else 1.0
    top = top or 1.0
    return [top * (i + 1) / len(PALETTE) for i in range(len(PALETTE))]


@dataclass
class MapView:
    """Everything the map page draws: the shapes with colour and hover text, the legend, the table."""

    structure_year: int
    kpi_label: str
    view_box: str
    units: list[dict[str, Any]]
    legend: list[tuple[str, str]]
    columns: list[str]
    table: list[dict[str, Any]]
    rows: list[list[Any]]
    source: dict[str, Any]

    def csv(self) -> str:
        """The figures behind the map, unformatted, one row per shape."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([_("kommunenr."), *self.columns])
        writer.writerows([["" if v is None else v for v in row] for row in self.rows])
        return buffer.getvalue()


def map_view(
    figures: dict[str, dict[str, Any]],
    structure_year: int,
    names: Mapping[str, str],
    kpi_key: str,
    kpi_label: str,
    year: int,
) -> MapView:
    """Colour the shapes in ``figures`` (from :func:`aggregate`) and name them in ``structure_year``.

    ``names`` maps the municipality numbers of ``structure_year`` to their names.
    """
    members = boundaries.members(structure_year)
    all_outlines = outlines()
    decimals = _decimals(kpi_key)
    breaks = _breaks([f[kpi_key] for f in figures.values()])
    units = []
    table = []
    for shape in sorted(figures, key=lambda s: members[s][0]):
        f = figures[shape]
        numbers = members[shape]
        label = ", ".join(f"{n} {names.get(n, n)}" for n in numbers)
        hover = [
            label,
            _("Innbyggere: %(v)s") % {"v": _fmt(f["population"])},
            _("Bosatte: %(v)s") % {"v": _fmt(f["settled"])},
            _("Bosatte per 1000 innbyggere: %(v)s") % {"v": _fmt(f["settled_per_1000"], 2)},
            _("Ventende: %(v)s") % {"v": _fmt(f["waiting"])},
            _("Anmodning %(year)s: %(v)s") % {"year": year, "v": _fmt(f["requested"])},
            _("Vedtak %(year)s: %(v)s") % {"year": year, "v": _fmt(f["decided"])},
            _("Vedtak i prosent av anmodning: %(v)s") % {"v": _fmt(f["decided_pct"], 1)},
        ]
        if len(numbers) > 1:
            hover.append(_("Ett felt for flere kommuner (grensene er fra 2020)."))
        url = reverse("coordination:municipality", args=[f["main_2014"]])
        units.append(
            {
                "shape": shape,
                "label": label,
                "d": all_outlines[shape].d,
                "colour": colour_for(f[kpi_key], breaks),
                "hover": "\n".join(hover),
                "url": url,
                "value": f[kpi_key],
            }
        )
        table.append(
            {
                "url": url,
                "cells": [
                    label,
                    _fmt(f[kpi_key], decimals),
                    _fmt(f["population"]),
                    _fmt(f["settled"]),
                    _fmt(f["settled_per_1000"], 2),
                    _fmt(f["waiting"]),
                    _fmt(f["requested"]),
                    _fmt(f["decided"]),
                    _fmt(f["decided_pct"], 1),
                ],
                "raw": [
                    " ".join(numbers),
                    label,
                    f[kpi_key],
                    f["population"],
                    f["settled"],
                    f["settled_per_1000"],
                    f["waiting"],
                    f["requested"],
                    f["decided"],
                    f["decided_pct"],
                ],
            }
        )
    boxes = [all_outlines[u["shape"]].box for u in units] or [(0, 0, 1, 1)]
    x0 = min(b[0] for b in boxes) - MARGIN
    y0 = min(b[1] for b in boxes) - MARGIN
    x1 = max(b[2] for b in boxes) + MARGIN
    y1 = max(b[3] for b in boxes) + MARGIN
    columns = [
        _("kommune"),
        kpi_label,
        _("innbyggere"),
        _("bosatte"),
        _("per 1000"),
        _("ventende"),
        _("anmodning"),
        _("vedtak"),
        _("vedtak % av anmodning"),
    ]
    return MapView(
        structure_year=structure_year,
        kpi_label=kpi_label,
        view_box=f"{x0} {y0} {x1 - x0} {y1 - y0}",
        units=units,
        legend=legend_for(breaks, decimals),
        columns=columns,
        table=table,
        rows=[r["raw"] for r in table],
        source=boundaries.source(),
    )
