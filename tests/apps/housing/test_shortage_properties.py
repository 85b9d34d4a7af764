"""Invariants of the shortage rule (larger units may take smaller households, not the reverse)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bosetting.apps.housing.gap import BANDS, shortage

counts = st.fixed_dictionaries({b: st.integers(0, 50) for b in BANDS})


@given(counts, counts)
def test_missing_is_never_more_than_demand_and_never_less_than_the_plain_deficit(demand, units):
    missing = shortage(demand, units)
    for band in BANDS:
        assert 0 <= missing[band] <= demand[band]
    assert sum(missing.values()) >= sum(demand.values()) - sum(units.values())


@given(counts, counts, st.sampled_from(BANDS))
def test_one_more_unit_never_increases_the_shortage(demand, units, band):
    before = sum(shortage(demand, units).values())
    after = sum(shortage(demand, {**units, band: units[band] + 1}).values())
    assert after <= before


@given(counts, counts)
def test_the_largest_band_is_only_served_by_the_largest_units(demand, units):
    assert shortage(demand, units)["5+"] == max(0, demand["5+"] - units["5+"])
