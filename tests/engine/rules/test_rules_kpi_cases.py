"""Case KPIs on small hand-made histories, answers worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bosetting.engine.rules.kpi import (
    DAYS_PER_MONTH,
    CaseArrays,
    CaseRecord,
    Period,
    filter_by_municipalities,
    filter_case_arrays,
    long_waiters,
    mean_of_rates,
    months_case_to_settlement,
    months_permit_to_settlement,
    phase_durations,
    settled_per_1000,
    settled_per_1000_by_municipality,
    settled_persons,
    share_settled_within,
    time_target_results,
    waiting_ready_persons,
)

D = dt.date
Y2014 = Period.year(2014)
DEC31 = D(2014, 12, 31)


def case(case_id: str, household: str = "single", persons: int = 1, **dates: object) -> CaseRecord:
    municipality = dates.pop("municipality", "0301")
    self_settled = dates.pop("self_settled", False)
    return CaseRecord(
        case_id=case_id,
        municipality=municipality,  # type: ignore[arg-type]
        household_type=household,  # type: ignore[arg-type]
        persons=persons,
        self_settled=self_settled,  # type: ignore[arg-type]
        **dates,  # type: ignore[arg-type]
    )


# The 2014 history used by most tests (persons in brackets):
# A [1] single: permit 15 Jan, settled 15 Jul 2014 = exactly permit + 6 months (181 days)
# B [1] single: permit 15 Jan, settled 16 Jul 2014 = one day past 6 months (182 days)
# C [4] family with children: permit 1 Mar, settled 30 May (90 days; 3-month deadline 1 Jun)
# D [1] unaccompanied minor: permit 1 Feb, settled 1 Jun (120 days; 3-month deadline 1 May)
# E [2] family without children: permit 10 Jan, ready 20 Jan, never settled
# F [1] single: permit 1 Oct, ready 15 Oct, never settled
# G [1] single: permit 1 Jun 2013, ready 1 Jul 2013, settled 10 Jan 2015
# H [1] self-settled single: permit 1 Apr, settled 20 Apr (19 days), no ready date
# I [1] single with no permit date: ready 1 May, settled 1 Sep
HISTORY = [
    case(
        "A",
        case_opened=D(2013, 7, 15),
        permit_date=D(2014, 1, 15),
        ready=D(2014, 2, 1),
        settled=D(2014, 7, 15),
    ),
    case("B", permit_date=D(2014, 1, 15), ready=D(2014, 2, 1), settled=D(2014, 7, 16)),
    case(
        "C",
        "family_children",
        4,
        permit_date=D(2014, 3, 1),
        ready=D(2014, 3, 10),
        settled=D(2014, 5, 30),
        municipality="1201",
    ),
    case("D", "uam", 1, permit_date=D(2014, 2, 1), ready=D(2014, 2, 15), settled=D(2014, 6, 1)),
    case("E", "family_no_children", 2, permit_date=D(2014, 1, 10), ready=D(2014, 1, 20)),
    case("F", permit_date=D(2014, 10, 1), ready=D(2014, 10, 15)),
    case("G", permit_date=D(2013, 6, 1), ready=D(2013, 7, 1), settled=D(2015, 1, 10)),
    case("H", permit_date=D(2014, 4, 1), settled=D(2014, 4, 20), self_settled=True),
    case("I", ready=D(2014, 5, 1), settled=D(2014, 9, 1), municipality=None),
]


def test_settled_counts_persons_not_households() -> None:
    # A1 + B1 + C4 + D1 + H1 + I1 = 9 (G settles in 2015, E and F never)
    assert settled_persons(HISTORY, Y2014) == 9


def test_self_settled_can_be_left_out() -> None:
    # 9 - H1 = 8
    assert settled_persons(HISTORY, Y2014, include_self_settled=False) == 8


def test_waiting_at_new_years_eve_is_ready_and_not_yet_settled() -> None:
    # E2 + F1 + G1 (G settles 10 Jan 2015) = 4
    assert waiting_ready_persons(HISTORY, DEC31) == 4


def test_a_case_settled_on_the_day_is_no_longer_waiting() -> None:
    # On 15 Jul 2014: waiting are B1 (settles 16 Jul), E2, G1, I1 (settles 1 Sep) = 5;
    # A settled that very day, so it is not waiting.
    assert waiting_ready_persons(HISTORY, D(2014, 7, 15)) == 5


def test_share_within_six_months_counts_the_deadline_day_as_within() -> None:
    # Persons settled in 2014 with a permit: A1 B1 C4 D1 H1 = 8 (I has no permit).
    # Within 6 months: A (on the deadline day) C4 D1 H1 = 7; B is one day late.
    assert share_settled_within(HISTORY, Y2014, 6) == pytest.approx(7 / 8)


def test_one_day_past_six_months_is_not_within() -> None:
    only_b = [c for c in HISTORY if c.case_id == "B"]
    assert share_settled_within(only_b, Y2014, 6) == 0.0
    assert share_settled_within(only_b, Y2014, 12) == 1.0


def test_six_months_are_calendar_months_not_182_6_days() -> None:
    # 1 Jul 2014 -> 1 Jan 2015 is 184 days (> 182.6) but exactly 6 calendar months: within
    july = [case("J", permit_date=D(2014, 7, 1), settled=D(2015, 1, 1))]
    assert share_settled_within(july, Period.year(2015), 6) == 1.0
    # 31 Aug 2014 + 6 months = 28 Feb 2015 (month end): on it within, a day later not
    on_time = [case("K", permit_date=D(2014, 8, 31), settled=D(2015, 2, 28))]
    late = [case("L", permit_date=D(2014, 8, 31), settled=D(2015, 3, 1))]
    assert share_settled_within(on_time, Period.year(2015), 6) == 1.0
    assert share_settled_within(late, Period.year(2015), 6) == 0.0


def test_three_month_targets_for_families_with_children_and_minors() -> None:
    # C (family with children) 90 days, deadline 1 Jun -> within: 4/4
    assert share_settled_within(HISTORY, Y2014, 3, household_types={"family_children"}) == 1.0
    # D (unaccompanied minor) settled 1 Jun, deadline 1 May -> not within: 0/1
    assert share_settled_within(HISTORY, Y2014, 3, household_types={"uam"}) == 0.0


def test_time_targets_report_share_and_whether_met() -> None:
    results = {r.target.name: r for r in time_target_results(HISTORY, Y2014)}
    # 7/8 = 87.5 % >= 70 % -> met
    assert results["all_within_6_months"].share == pytest.approx(0.875)
    assert results["all_within_6_months"].met is True
    # all 8 within 12 months
    assert results["all_within_12_months"].met is True
    assert results["uam_within_3_months"].persons_counted == 1
    assert results["uam_within_3_months"].met is False


def test_long_waiters_are_ready_and_waiting_more_than_the_threshold_since_permit() -> None:
    # At 31 Dec 2014, waiting: E (permit 10 Jan; +6 months = 10 Jul < 31 Dec) -> 2
    #                          F (permit 1 Oct; +6 months = 1 Apr 2015)      -> not long
    #                          G (permit 1 Jun 2013; +6 months = 1 Dec 2013)  -> 1
    assert long_waiters(HISTORY, DEC31) == 3
    # With 12 months: E's deadline is 10 Jan 2015 -> not long; G still long -> 1
    assert long_waiters(HISTORY, DEC31, threshold_months=12) == 1


def test_a_long_waiter_must_be_strictly_past_the_threshold() -> None:
    waiting = [case("W", permit_date=D(2014, 6, 30), ready=D(2014, 7, 1))]
    # permit + 6 months = 30 Dec 2014: on that day not yet "more than 6 months"
    assert long_waiters(waiting, D(2014, 12, 30)) == 0
    assert long_waiters(waiting, D(2014, 12, 31)) == 1


def test_waiting_time_permit_to_settlement_is_person_weighted() -> None:
    stats = months_permit_to_settlement(HISTORY, Y2014)
    # days: A 181, B 182, C 90 x 4 persons, D 120, H 19  (I has no permit)
    # mean = (181 + 182 + 360 + 120 + 19) / 8 = 862 / 8 = 107.75 days
    assert stats.count_persons == 8
    assert stats.mean_days == pytest.approx(107.75)
    assert stats.mean_months == pytest.approx(107.75 / 30.4375)
    # person-expanded: 19, 90, 90, 90, 90, 120, 181, 182 -> middle two 90, 90
    assert stats.median_days == 90
    assert stats.median_months == pytest.approx(90 / DAYS_PER_MONTH)


def test_waiting_time_from_case_creation_uses_only_cases_with_that_date() -> None:
    stats = months_case_to_settlement(HISTORY, Y2014)
    # only A has case_opened: 15 Jul 2013 -> 15 Jul 2014 = 365 days
    assert stats.count_persons == 1
    assert stats.mean_days == 365


def test_no_case_creation_dates_gives_none_not_zero() -> None:
    no_opened = [c for c in HISTORY if c.case_id != "A"]
    stats = months_case_to_settlement(no_opened, Y2014)
    assert stats.count_persons == 0
    assert stats.mean_months is None
    assert stats.median_months is None


def test_settled_before_permit_is_left_out_of_the_mean_and_reported() -> None:
    broken = [
        case("X", permit_date=D(2014, 5, 1), settled=D(2014, 4, 1)),
        case("Y", persons=2, permit_date=D(2014, 1, 1), settled=D(2014, 1, 31)),
    ]
    stats = months_permit_to_settlement(broken, Y2014)
    # X is negative (-30 days) and excluded; Y: 30 days for 2 persons
    assert stats.excluded_persons == 1
    assert stats.count_persons == 2
    assert stats.mean_days == 30


# Phase history:
# P [2]: permit 1 Jan, notified 11 Jan (10), interview 10 Feb (30), ready 20 Feb (10),
#        proposed 21 Apr (60), accepted 1 May (10), settled 30 Jun (60)
# Q [1]: permit 1 Jan, notified 21 Jan (20), no interview, ready 1 Mar, proposed 11 Mar (10)
PHASE_HISTORY = [
    case(
        "P",
        persons=2,
        permit_date=D(2014, 1, 1),
        notified=D(2014, 1, 11),
        interview=D(2014, 2, 10),
        ready=D(2014, 2, 20),
        proposed=D(2014, 4, 21),
        accepted=D(2014, 5, 1),
        settled=D(2014, 6, 30),
    ),
    case(
        "Q",
        permit_date=D(2014, 1, 1),
        notified=D(2014, 1, 21),
        ready=D(2014, 3, 1),
        proposed=D(2014, 3, 11),
    ),
]


def test_phase_durations_over_a_year() -> None:
    phases = phase_durations(PHASE_HISTORY, Y2014)
    # permit->notified: P 10 x 2, Q 20 -> mean 40/3, median of 10,10,20 = 10
    assert phases["permit_to_notified"].count_persons == 3
    assert phases["permit_to_notified"].mean_days == pytest.approx(40 / 3)
    assert phases["permit_to_notified"].median_days == 10
    # notified->interview: only P (Q has no interview) -> 30
    assert phases["notified_to_interview"].count_persons == 2
    assert phases["notified_to_interview"].mean_days == 30
    assert phases["interview_to_ready"].mean_days == 10
    # ready->proposed: P 60 x 2, Q 10 -> mean 130/3, median 60
    assert phases["ready_to_proposed"].mean_days == pytest.approx(130 / 3)
    assert phases["ready_to_proposed"].median_days == 60
    assert phases["proposed_to_accepted"].mean_days == 10
    assert phases["accepted_to_settled"].mean_days == 60
    assert phases["accepted_to_settled"].count_persons == 2


def test_phase_durations_count_phases_that_ended_in_the_period() -> None:
    january = Period(D(2014, 1, 1), D(2014, 1, 31))
    phases = phase_durations(PHASE_HISTORY, january)
    # only the notifications (11 and 21 Jan) end in January
    assert phases["permit_to_notified"].count_persons == 3
    assert phases["accepted_to_settled"].count_persons == 0
    assert phases["accepted_to_settled"].mean_days is None


def test_settled_per_thousand_inhabitants() -> None:
    cases = [
        case("a", persons=3, settled=D(2014, 3, 1), municipality="0001"),
        case("b", persons=2, settled=D(2013, 3, 1), municipality="0001"),  # other year
        case("c", persons=5, settled=D(2014, 3, 1), municipality="9999"),  # no population
    ]
    rates = settled_per_1000_by_municipality(cases, Y2014, {"0001": 2000, "0002": 1000, "0003": 0})
    # 0001: 3 / 2000 * 1000 = 1.5; 0002: nobody settled -> 0.0; 0003: no population -> None
    assert rates == {"0001": 1.5, "0002": 0.0, "0003": None}
    # mean over municipalities with a rate: (1.5 + 0.0) / 2
    assert mean_of_rates(rates) == 0.75
    # the whole set: 3 + 5 = 8 persons in 2014 on 4,000 inhabitants -> 2.0
    assert settled_per_1000(cases, Y2014, 4000) == 2.0
    assert settled_per_1000(cases, Y2014, 0) is None


def test_area_filter_keeps_only_the_named_municipalities() -> None:
    # Bergen (1201) holds only C (4 persons)
    bergen = filter_by_municipalities(HISTORY, {"1201"})
    assert [c.case_id for c in bergen] == ["C"]
    assert settled_persons(filter_case_arrays(HISTORY, {"1201"}), Y2014) == 4
    # I has no municipality and is dropped by every filter
    assert "I" not in [c.case_id for c in filter_by_municipalities(HISTORY, {"0301", "1201"})]


def test_empty_inputs_give_zero_counts_and_none_for_shares_and_means() -> None:
    assert settled_persons([], Y2014) == 0
    assert waiting_ready_persons([], DEC31) == 0
    assert long_waiters([], DEC31) == 0
    assert share_settled_within([], Y2014, 6) is None
    assert months_permit_to_settlement([], Y2014).mean_months is None
    assert all(r.share is None and r.met is None for r in time_target_results([], Y2014))


def test_records_are_checked_on_creation() -> None:
    with pytest.raises(ValueError, match="household_type"):
        case("bad", household="couple")
    with pytest.raises(ValueError, match="persons"):
        case("bad", persons=0)


# --- invariants -------------------------------------------------------------

day = st.dates(min_value=D(2012, 1, 1), max_value=D(2016, 12, 31))


@st.composite
def histories(draw: st.DrawFn) -> list[CaseRecord]:
    cases = []
    for i in range(draw(st.integers(min_value=0, max_value=25))):
        permit = draw(st.one_of(st.none(), day))
        base = permit or draw(day)
        ready = draw(st.one_of(st.none(), st.just(base + dt.timedelta(draw(st.integers(0, 60))))))
        settled = draw(
            st.one_of(st.none(), st.just(base + dt.timedelta(draw(st.integers(0, 700)))))
        )
        cases.append(
            CaseRecord(
                case_id=str(i),
                municipality=draw(st.sampled_from(["0301", "1201", "2004", None])),
                household_type=draw(
                    st.sampled_from(["single", "family_children", "family_no_children", "uam"])
                ),
                persons=draw(st.integers(1, 7)),
                permit_date=permit,
                ready=ready,
                settled=settled,
            )
        )
    return cases


@settings(max_examples=60, deadline=None)
@given(histories())
def test_a_year_is_the_sum_of_its_months(cases: list[CaseRecord]) -> None:
    months = [
        Period(D(2014, m, 1), D(2014 + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1))
        for m in range(1, 13)
    ]
    assert sum(settled_persons(cases, p) for p in months) == settled_persons(cases, Y2014)


@settings(max_examples=60, deadline=None)
@given(histories())
def test_shares_are_fractions_and_grow_with_the_time_allowed(cases: list[CaseRecord]) -> None:
    three, six, twelve = (share_settled_within(cases, Y2014, m) for m in (3, 6, 12))
    if six is None:
        assert three is None and twelve is None
    else:
        assert three is not None and twelve is not None
        assert 0.0 <= three <= six <= twelve <= 1.0


@settings(max_examples=60, deadline=None)
@given(histories(), day)
def test_long_waiters_are_a_part_of_those_waiting(cases: list[CaseRecord], at: dt.date) -> None:
    assert 0 <= long_waiters(cases, at) <= waiting_ready_persons(cases, at)
    assert long_waiters(cases, at, 12) <= long_waiters(cases, at, 6)


@settings(max_examples=60, deadline=None)
@given(histories())
def test_records_and_columns_give_the_same_answers(cases: list[CaseRecord]) -> None:
    arrays = CaseArrays.from_records(cases)
    assert settled_persons(arrays, Y2014) == settled_persons(cases, Y2014)
    assert share_settled_within(arrays, Y2014, 6) == share_settled_within(cases, Y2014, 6)
    inside = filter_case_arrays(arrays, {"0301", "1201"})
    outside = filter_case_arrays(arrays, {"2004"})
    unplaced = sum(
        c.persons for c in cases if c.municipality is None and c.settled and c.settled.year == 2014
    )
    assert settled_persons(inside, Y2014) + settled_persons(
        outside, Y2014
    ) + unplaced == settled_persons(arrays, Y2014)
