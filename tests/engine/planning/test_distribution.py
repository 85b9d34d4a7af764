"""The planning year's distribution: the need by county and then municipality, by weighted criteria,
every figure explained, the sums exact; bad input refused naming the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bosetting.engine.planning import (
    CRITERIA,
    MAX_NEED,
    DistributionError,
    MunicipalityCriteria,
    distribute,
    largest_remainder,
    spread_difference,
)

WEIGHTS = {"population": 40, "labour": 20, "record": 20, "housing": 10, "quality": 10}


def _world() -> list[MunicipalityCriteria]:
    return [
        MunicipalityCriteria("0301", "03", 634_000, 66.0, 2_400, 2_600, None, 3),
        MunicipalityCriteria("1201", "12", 272_000, 69.0, 900, 900, None, 4),
        MunicipalityCriteria("1243", "12", 18_000, 71.0, 40, 60, None, 3),
        MunicipalityCriteria("0501", "05", 27_000, 67.0, 100, 80, None, 5),
        MunicipalityCriteria("1037", "10", 5_900, 65.0, 0, 0, None, 1),
    ]


def test_the_need_goes_to_counties_and_municipalities_and_adds_up_exactly():
    result = distribute(1000, 120, _world(), WEIGHTS)
    assert sum(result.counties.values()) == 1000
    assert sum(a.persons for a in result.allocations) == 1000
    assert sum(a.uam_persons for a in result.allocations) == 120
    for county, total in result.counties.items():
        assert sum(a.persons for a in result.allocations if a.county == county) == total


def test_every_figure_is_explained_by_its_criteria():
    result = distribute(1000, 0, _world(), WEIGHTS)
    bergen = next(a for a in result.allocations if a.number == "1201")
    assert [c.criterion for c in bergen.contributions] == list(CRITERIA)
    assert sum(c.persons for c in bergen.contributions) == pytest.approx(1000 * bergen.score)
    assert abs(bergen.persons - 1000 * bergen.score) < 1
    population = bergen.contributions[0]
    assert population.value == 272_000
    assert population.weight == pytest.approx(0.4)


def test_a_better_record_and_quality_give_more_for_the_same_population():
    twins = [
        MunicipalityCriteria("0001", "01", 10_000, 70.0, 100, 100, None, 5),
        MunicipalityCriteria("0002", "01", 10_000, 70.0, 50, 100, None, 1),
    ]
    result = distribute(100, 0, twins, WEIGHTS)
    good, weak = result.allocations
    assert good.persons > weak.persons


def test_housing_counts_only_where_flats_are_kept_in_the_system():
    without = distribute(100, 0, _world(), {"housing": 1})
    assert without.notes == ["housing_by_population"]
    with_flats = [
        MunicipalityCriteria(m.number, m.county, m.population, free_housing=50 if i == 4 else 0)
        for i, m in enumerate(_world())
    ]
    result = distribute(100, 0, with_flats, {"housing": 1})
    assert [a.persons for a in result.allocations if a.number == "1037"] == [100]


@pytest.mark.parametrize(
    ("need", "uam", "weights", "field"),
    [
        (-1, 0, WEIGHTS, "need_persons"),
        (MAX_NEED + 1, 0, WEIGHTS, "need_persons"),
        (100, 101, WEIGHTS, "need_uam_persons"),
        (100, 0, dict.fromkeys(CRITERIA, 0), "weights"),
        (100, 0, {"population": -1, "labour": 2}, "weight_population"),
        (100, 0, {"luck": 1}, "weight_luck"),
    ],
)
def test_bad_input_is_refused_naming_the_field(need, uam, weights, field):
    with pytest.raises(DistributionError) as caught:
        distribute(need, uam, _world(), weights)
    assert caught.value.field == field


def test_the_largest_remainder_keeps_the_total():
    assert largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert largest_remainder(0, {"a": 1}) == {"a": 0}


def test_a_difference_is_spread_over_the_figures_not_adjusted():
    spread = spread_difference(-5, {"a": 10, "b": 5, "c": 3}, {"c"})
    assert spread["c"] == 3 and sum(spread.values()) == 13
    spread = spread_difference(4, {"a": 10, "b": 5, "c": 3}, {"a"})
    assert spread["a"] == 10 and sum(spread.values()) == 22


municipality = st.builds(
    MunicipalityCriteria,
    number=st.text("0123456789", min_size=4, max_size=4),
    county=st.sampled_from(["01", "02", "03"]),
    population=st.integers(0, 700_000),
    employment_rate_pct=st.one_of(st.none(), st.floats(30, 90)),
    settled_before=st.integers(0, 3000),
    decided_before=st.integers(0, 3000),
    free_housing=st.one_of(st.none(), st.integers(0, 300)),
    quality=st.integers(1, 5),
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(municipality, min_size=1, max_size=25, unique_by=lambda m: m.number),
    st.integers(0, 20_000),
    st.data(),
    st.dictionaries(st.sampled_from(CRITERIA), st.integers(0, 100), min_size=1),
)
def test_any_distribution_adds_up_and_keeps_minors_within_each_figure(munis, need, data, weights):
    if sum(weights.values()) == 0:
        weights = {"population": 1}
    uam = data.draw(st.integers(0, need))
    try:
        result = distribute(need, uam, munis, weights)
    except DistributionError as exc:  # every share 0 (no population, no flats): refused
        assert exc.field == "weights"
        return
    assert sum(a.persons for a in result.allocations) == need
    assert all(0 <= a.uam_persons <= a.persons for a in result.allocations)
    assert sum(a.uam_persons for a in result.allocations) == uam
