"""The map's sums: the figures of 2014 municipalities added up per drawn shape (no database)."""

from __future__ import annotations

from bosetting.apps.reports import choropleth


def row(number: str, population: int | None, settled: int, waiting: int = 0, **plan) -> dict:
    return {
        "number": number,
        "name": number,
        "population": population,
        "settled": settled,
        "waiting": waiting,
        "requested": plan.get("requested"),
        "decided": plan.get("decided"),
    }


ALESUND_2014 = [  # merged into 1507 Ålesund in 2020
    row("1504", 44_000, 30, waiting=5),
    row("1523", 4_000, 2),
    row("1529", 4_500, 0, waiting=1),
    row("1534", 9_000, 4),
    row("1546", 1_300, 0),
]


def test_merged_municipalities_are_added_up_and_the_rate_is_recomputed_from_the_sums():
    figures = choropleth.aggregate(ALESUND_2014 + [row("1201", 270_000, 300)], 2014, {}, {})
    alesund = figures["1507"]
    assert alesund["numbers_2014"] == ["1504", "1523", "1529", "1534", "1546"]
    assert alesund["population"] == 62_800 and alesund["settled"] == 36 and alesund["waiting"] == 6
    assert alesund["settled_per_1000"] == round(36 * 1000 / 62_800, 2)  # not a mean of five rates
    assert alesund["main_2014"] == "1504"  # the link goes to the most populous one
    assert figures["4601"]["settled_per_1000"] == round(300 * 1000 / 270_000, 2)


def test_requests_and_decisions_of_the_2024_structure_go_to_their_shape():
    # Haram (1580) was split off Ålesund (1508) in 2024; both are drawn in the 2020 shape 1507
    figures = choropleth.aggregate(
        ALESUND_2014, 2024, {"1508": 40, "1580": 10}, {"1508": 30, "1580": None}
    )
    assert figures["1507"]["requested"] == 50
    assert figures["1507"]["decided"] == 30
    assert figures["1507"]["decided_pct"] == 60.0


def test_a_shape_without_population_or_request_has_no_rate_and_no_per_cent():
    figures = choropleth.aggregate([row("1201", None, 3)], 2014, {}, {"1201": 5})
    assert figures["4601"]["settled_per_1000"] is None
    assert figures["4601"]["requested"] is None and figures["4601"]["decided_pct"] is None


def test_colour_classes_and_a_legend_in_words():
    breaks = choropleth._breaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None])
    assert choropleth.colour_for(None, breaks) == choropleth.NO_DATA
    assert choropleth.colour_for(0, breaks) == choropleth.PALETTE[0]
    assert choropleth.colour_for(1000, breaks) == choropleth.PALETTE[-1]  # outliers join the top
    legend = choropleth.legend_for(breaks, 0)
    assert len(legend) == 6 and legend[-1] == (choropleth.NO_DATA, "ingen tall")
    assert legend[0][1].startswith("0 til ")


def test_the_projection_puts_the_north_up_and_the_east_right():
    oslo, tromso, bergen = (
        choropleth.project(10.75, 59.91),
        choropleth.project(18.96, 69.65),
        choropleth.project(5.32, 60.39),
    )
    assert tromso[1] < oslo[1]  # y grows downwards
    assert bergen[0] < oslo[0] < tromso[0]


def test_population_of_the_plan_structure_replaces_the_missing_2014_figures():
    rows = [row("1504", None, 10), row("1534", None, 2)]
    figures = choropleth.aggregate(rows, 2024, {}, {}, {"1508": 67_000, "1580": 9_000})
    assert figures["1507"]["population"] == 76_000
    assert figures["1507"]["settled_per_1000"] == round(12 * 1000 / 76_000, 2)
