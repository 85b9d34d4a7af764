"""The forecast of settled persons per municipality: trained on earlier years only, it beats
"settled = decided" out of sample on IMDi's real 2012–2014 figures (shipped in the package, so this
runs in a bare clone too); during the year it is settled-so-far plus the rest."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bosetting.engine.forecast import (
    DecisionsFileError,
    Forecast,
    YearRecord,
    evaluate,
    expected_decision,
    fit,
    forecast,
    in_year,
    parse_decisions_csv,
    share_by_month,
)
from bosetting.reference.loaders import settlement_figures_2012_2014


def real_records() -> list[YearRecord]:
    """IMDi's figures 2012–2014; an empty settled cell is 0 (the 2014 extract lists no zeros and
    its rows add up to the national total with the unknown-municipality row)."""
    return [
        YearRecord(r.municipality_number, r.year, r.requested, r.decided, r.settled or 0)
        for r in settlement_figures_2012_2014()
        if r.municipality_number != "9999"
    ]


def test_trained_on_2012_2013_it_beats_settled_equals_decided_in_2014():
    result = evaluate(real_records(), 2014)
    assert result.trained_on == (2013,)  # 2013 with 2012 as its record: earlier years only
    assert result.municipalities == 428
    assert result.naive.forecast_total == 8084  # Σ decided 2014
    assert result.model.settled_total == result.naive.settled_total == 7672
    assert abs(result.model.national_error) < abs(result.naive.national_error)
    assert result.model.wape < result.naive.wape
    assert result.beats_naive


def test_the_forecast_never_reads_the_year_it_forecasts():
    records = real_records()
    scrambled = [
        YearRecord(r.number, r.year, r.requested, r.decided, 10_000) if r.year == 2014 else r
        for r in records
    ]
    assert fit(records, 2014).coefficients.tolist() == fit(scrambled, 2014).coefficients.tolist()
    this_year = [r for r in records if r.year == 2014]
    assert forecast(fit(records, 2014), 2014, this_year, records) == forecast(
        fit(scrambled, 2014), 2014, this_year, scrambled
    )


def test_without_an_earlier_year_to_learn_from_it_says_so():
    with pytest.raises(ValueError, match="no year before 2012"):
        fit(real_records(), 2012)


def test_the_band_holds_the_forecast_and_nothing_is_negative():
    records = real_records()
    for f in forecast(fit(records, 2014), 2014, [r for r in records if r.year == 2014], records):
        assert 0 <= f.p10 <= f.settled <= f.p90


def test_during_the_year_it_is_settled_so_far_plus_the_rest():
    whole = [Forecast("1201", 300.0, 250.0, 350.0), Forecast("0301", 1000.0, 900.0, 1100.0)]
    assert in_year(whole, 0.0)[0].settled == pytest.approx(300.0)
    june = in_year(whole, 6.0, settled_so_far={"1201": 200}, matched={"1201": 20})
    bergen = june[0]
    left = 1 - share_by_month(6.0)
    assert bergen.settled_so_far == 200 and bergen.matched == 20
    assert bergen.settled == pytest.approx(200 + 20 + max(300 * left - 20, 0))
    assert bergen.p10 <= bergen.settled <= bergen.p90
    # Free housing bounds what is not matched yet; the national queue bounds the rest.
    housed = in_year(whole, 6.0, free_capacity={"0301": 10})
    assert housed[1].settled == pytest.approx(10)
    queued = in_year(whole, 6.0, ready_queue=100)
    assert sum(r.remaining for r in queued) == pytest.approx(100)
    assert in_year(whole, 12.0, settled_so_far={"1201": 310})[0].settled == 310


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 12), st.integers(0, 500), st.integers(0, 50))
def test_the_in_year_forecast_is_never_below_what_is_known(months, so_far, matched):
    row = in_year(
        [Forecast("1201", 300.0, 200.0, 400.0)], months, {"1201": so_far}, {"1201": matched}
    )[0]
    assert row.settled >= so_far + matched
    assert row.p10 <= row.settled <= row.p90


def test_the_seasonal_shares_reach_88_percent_by_november():
    assert share_by_month(0) == 0 and share_by_month(12) == pytest.approx(1.0)
    assert share_by_month(11) == pytest.approx(6874 / 7784, abs=0.01)


def test_a_council_that_always_decided_in_line_is_expected_to_again():
    record = [YearRecord("1201", y, 300, 300, 300) for y in (2012, 2013)]
    expected = expected_decision(350, record)
    assert expected.likeliest == "in_line"
    assert 200 < expected.persons < 350
    never = expected_decision(100, [YearRecord("0001", y, 20, None) for y in (2012, 2013)])
    assert never.likeliest == "no_decision"
    assert never.persons < expected.persons * 100 / 350


KNOWN = {"0301", "1201", "1243"}


def test_a_decisions_file_is_read():
    rows = parse_decisions_csv(
        "kommunenummer,anmodning,vedtak\n0301,1000,800\n1201,300,\n", 2016, KNOWN
    )
    assert [(r.number, r.requested, r.decided) for r in rows] == [
        ("0301", 1000, 800),
        ("1201", 300, None),
    ]


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [
        ("kommunenummer,anmodning\n0301,10\n", 1, "vedtak", "missing column"),
        ("kommunenummer,anmodning,vedtak\n0301,10,5\n9998,10,5\n", 3, "kommunenummer", "unknown"),
        ("kommunenummer,anmodning,vedtak\n0301,10,5\n0301,10,5\n", 3, "kommunenummer", "twice"),
        ("kommunenummer,anmodning,vedtak\n0301,ti,5\n", 2, "anmodning", "not a whole number"),
        ("kommunenummer,anmodning,vedtak\n0301,10,-5\n", 2, "vedtak", "below 0"),
        ("kommunenummer,anmodning,vedtak\n0301,10\n", 2, "vedtak", "no cell"),
        ("kommunenummer,anmodning,vedtak\n", 2, None, "no rows"),
    ],
)
def test_a_bad_decisions_file_is_refused_naming_row_and_column(text, row, column, message):
    with pytest.raises(DecisionsFileError) as caught:
        parse_decisions_csv(text, 2016, KNOWN)
    assert caught.value.row == row
    assert caught.value.column == column
    assert message in str(caught.value)
