"""Calendar arithmetic behind the time targets."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bosetting.engine.rules.kpi import Period, add_months, add_months_array

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


def test_six_months_after_a_mid_month_permit_is_the_same_day_of_month() -> None:
    assert add_months(dt.date(2014, 1, 15), 6) == dt.date(2014, 7, 15)


def test_a_month_end_permit_clips_to_the_end_of_a_shorter_month() -> None:
    # 31 August + 6 months: February has no 31st, so the last day of February.
    assert add_months(dt.date(2014, 8, 31), 6) == dt.date(2015, 2, 28)
    assert add_months(dt.date(2015, 8, 31), 6) == dt.date(2016, 2, 29)  # leap year


def test_months_cross_the_year_end() -> None:
    assert add_months(dt.date(2014, 10, 1), 6) == dt.date(2015, 4, 1)
    assert add_months(dt.date(2014, 3, 31), -1) == dt.date(2014, 2, 28)


def test_vectorised_months_keep_missing_dates_missing() -> None:
    days = np.array([dt.date(2014, 8, 31), None], dtype="datetime64[D]")
    shifted = add_months_array(days, 6)
    assert shifted[0] == np.datetime64("2015-02-28")
    assert np.isnat(shifted[1])


@given(st.lists(dates, min_size=1, max_size=30), st.integers(min_value=-24, max_value=36))
def test_vectorised_months_agree_with_the_scalar_rule(days: list[dt.date], months: int) -> None:
    shifted = add_months_array(np.array(days, dtype="datetime64[D]"), months)
    assert [d.item() for d in shifted] == [add_months(d, months) for d in days]


@given(dates, st.integers(min_value=0, max_value=36))
def test_adding_months_never_moves_backwards_nor_past_the_day_of_month(
    day: dt.date, months: int
) -> None:
    later = add_months(day, months)
    assert later >= day
    assert later.day <= day.day


def test_a_year_period_covers_new_year_to_new_years_eve() -> None:
    period = Period.year(2014)
    assert period.contains(dt.date(2014, 1, 1))
    assert period.contains(dt.date(2014, 12, 31))
    assert not period.contains(dt.date(2015, 1, 1))


def test_a_period_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="after its end"):
        Period(dt.date(2014, 2, 1), dt.date(2014, 1, 1))


def test_clipping_a_year_to_an_extract_date() -> None:
    assert Period.year(2014).clipped(dt.date(2014, 11, 30)) == Period(
        dt.date(2014, 1, 1), dt.date(2014, 11, 30)
    )
    assert Period.year(2014).clipped(dt.date(2013, 12, 31)) is None
