"""The map's borders: every municipality of both structures is drawn, the file stays light, and the
simplification keeps borders shared (no database)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from bosetting.reference import boundaries, loaders
from bosetting.reference.build_boundaries import _km, douglas_peucker


def test_the_file_is_light_and_has_the_356_municipalities_of_2020():
    assert loaders.data_path(boundaries.BOUNDARIES_FILE).stat().st_size < 1_000_000
    shapes = boundaries.shapes()
    assert len(shapes) == 356
    assert shapes["4601"].name == "Bergen"
    for shape in shapes.values():
        assert shape.polygons, shape.number
        for polygon in shape.polygons:
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1], shape.number
                assert all(4 < lon < 32 and 57 < lat < 72 for lon, lat in ring), shape.number


def test_every_municipality_of_2014_and_2024_is_drawn_in_exactly_one_shape():
    for year, count in ((2014, 428), (2024, 357)):
        numbers = {m.number for m in loaders.municipalities(year)}
        shape_of = boundaries.shape_of(year)
        assert set(shape_of) == numbers and len(numbers) == count
        assert set(shape_of.values()) == set(boundaries.shapes())  # and no shape is left empty


def test_the_exceptions_are_the_known_merges_and_splits():
    # 2014: merged ones share their successor's shape; the two split ones go with their centre
    shared_2014 = boundaries.shared_shapes(2014)
    assert shared_2014["1507"] == ["1504", "1523", "1529", "1534", "1546"]  # Ålesund 2020
    assert len(shared_2014) == 45
    assert boundaries.shape_of(2014)["1613"] == "5059"  # Snillfjord with Orkland
    assert boundaries.shape_of(2014)["1850"] == "1806"  # Tysfjord with Narvik
    # 2024: only Ålesund/Haram (split in 2024) share a shape; the county split changed no border
    assert boundaries.shared_shapes(2024) == {"1507": ["1508", "1580"]}
    assert boundaries.shape_of(2024)["3201"] == "3024"  # Bærum: Viken → Akershus, same border


def test_neighbours_keep_a_common_border_after_simplification():
    shapes = boundaries.shapes()

    def points(number: str) -> set[tuple[float, float]]:
        return {tuple(p) for poly in shapes[number].polygons for ring in poly for p in ring}

    assert len(points("0301") & points("3024")) >= 5  # Oslo and Bærum
    assert len(points("4601") & points("4624")) >= 5  # Bergen and Bjørnafjorden


def test_the_source_is_named_in_the_file():
    source = boundaries.source()
    assert "Kartverket" in source["source"] and "CC BY 4.0" in source["source"]
    assert source["year"] == 2020 and source["tolerance_km"] > 0


coordinate = st.tuples(st.floats(5, 30), st.floats(58, 71))


@given(st.lists(coordinate, min_size=2, max_size=40), st.floats(0.01, 20))
def test_douglas_peucker_keeps_the_ends_and_stays_within_the_tolerance(chain, tolerance_km):
    simplified = douglas_peucker(chain, tolerance_km)
    assert simplified[0] == chain[0] and simplified[-1] == chain[-1]
    kept = iter(chain)
    assert all(p in kept for p in simplified)  # a subsequence, in order
    # every dropped point lies within the tolerance of the segment that replaced it
    index = {id(p): i for i, p in enumerate(chain)}
    positions = [index[id(p)] for p in simplified]
    for a, b in zip(positions, positions[1:], strict=False):
        (ax, ay), (bx, by) = _km(chain[a]), _km(chain[b])
        length = math.hypot(bx - ax, by - ay)
        for i in range(a + 1, b):
            px, py = _km(chain[i])
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((by - ay) * (px - ax) - (bx - ax) * (py - ay)) / length
            assert distance <= tolerance_km + 1e-9
