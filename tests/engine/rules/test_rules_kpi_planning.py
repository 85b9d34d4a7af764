"""Requests, decisions and declines (Tables 2.3 and 2.4)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bosetting.engine.rules.kpi import (
    DECISION_CLASSES,
    DecisionRecord,
    DeclineRecord,
    Period,
    RequestRecord,
    classify_decision,
    classify_municipalities,
    decision_class_counts,
    declines_by_reason,
    filter_by_municipalities,
    requests_vs_decisions,
)

# 2014, one municipality per rule:
# 0001 requested 10, decided 10           -> in_line
# 0002 requested 10, decided 12           -> in_line
# 0003 requested 10 + supplementary 5, decided 5 -> fewer (5 < 15)
# 0004 requested 10, decided 0            -> none
# 0005 requested 10, no decision record   -> no_decision
# 0006 requested 10, decision record None -> no_decision
# 0007 not requested, decided 5           -> in_line (our rule)
# 0008 not requested, decided 0           -> none
# 0009 in the universe, no record at all  -> no_decision
# 0010 requested 0, decided 0             -> none
REQUESTS = [
    RequestRecord("0001", 2014, 10),
    RequestRecord("0002", 2014, 10),
    RequestRecord("0003", 2014, 10),
    RequestRecord("0003", 2014, 5),
    RequestRecord("0004", 2014, 10),
    RequestRecord("0005", 2014, 10),
    RequestRecord("0006", 2014, 10),
    RequestRecord("0010", 2014, 0),
    RequestRecord("0001", 2015, 7),
]
DECISIONS = [
    DecisionRecord("0001", 2014, 10),
    DecisionRecord("0002", 2014, 12),
    DecisionRecord("0003", 2014, 5),
    DecisionRecord("0004", 2014, 0),
    DecisionRecord("0006", 2014, None),
    DecisionRecord("0007", 2014, 5),
    DecisionRecord("0008", 2014, 0),
    DecisionRecord("0010", 2014, 0),
]
UNIVERSE = [f"{i:04d}" for i in range(1, 11)]


def test_requests_and_decisions_per_year() -> None:
    totals = requests_vs_decisions(REQUESTS, DECISIONS, [2014, 2015, 2016])
    # requested 2014: 10 + 10 + (10 + 5) + 10 + 10 + 10 + 0 = 65
    # decided 2014:   10 + 12 + 5 + 0 + 5 + 0 + 0 = 32 (None is no decision)
    assert totals[2014] == {"requested": 65, "decided": 32}
    # 2015: one request, no decision registered -> decided None, not 0
    assert totals[2015] == {"requested": 7, "decided": None}
    assert totals[2016] == {"requested": None, "decided": None}


def test_each_municipality_gets_the_class_of_its_rule() -> None:
    classes = classify_municipalities(REQUESTS, DECISIONS, 2014, UNIVERSE)
    assert classes == {
        "0001": "in_line",
        "0002": "in_line",
        "0003": "fewer",
        "0004": "none",
        "0005": "no_decision",
        "0006": "no_decision",
        "0007": "in_line",
        "0008": "none",
        "0009": "no_decision",
        "0010": "none",
    }


def test_class_counts_add_up_to_the_universe() -> None:
    counts = decision_class_counts(REQUESTS, DECISIONS, 2014, UNIVERSE)
    assert counts == {"in_line": 3, "fewer": 1, "none": 3, "no_decision": 3, "total": 10}


def test_without_a_universe_only_municipalities_with_records_are_classified() -> None:
    counts = decision_class_counts(REQUESTS, DECISIONS, 2014)
    # 0009 has no record, so 9 municipalities
    assert counts["total"] == 9
    assert counts["no_decision"] == 2


def test_a_record_outside_the_universe_is_refused() -> None:
    with pytest.raises(ValueError, match="0007"):
        classify_municipalities(REQUESTS, DECISIONS, 2014, [m for m in UNIVERSE if m != "0007"])


def test_decision_records_are_checked() -> None:
    with pytest.raises(ValueError, match="decided"):
        DecisionRecord("0001", 2014, -1)
    with pytest.raises(ValueError, match="requested"):
        RequestRecord("0001", 2014, -1)


@given(
    st.one_of(st.none(), st.integers(0, 500)),
    st.one_of(st.none(), st.integers(0, 500)),
)
def test_every_pair_of_request_and_decision_has_exactly_one_class(
    requested: int | None, decided: int | None
) -> None:
    assert classify_decision(requested, decided) in DECISION_CLASSES


@given(
    st.dictionaries(
        st.sampled_from([f"{i:04d}" for i in range(30)]),
        st.tuples(
            st.one_of(st.none(), st.integers(0, 50)), st.one_of(st.none(), st.integers(0, 50))
        ),
    )
)
def test_class_counts_always_sum_to_the_universe(
    data: dict[str, tuple[int | None, int | None]],
) -> None:
    requests = [RequestRecord(m, 2015, r) for m, (r, _) in data.items() if r is not None]
    decisions = [DecisionRecord(m, 2015, d) for m, (_, d) in data.items()]
    universe = [f"{i:04d}" for i in range(30)]
    counts = decision_class_counts(requests, decisions, 2015, universe)
    assert sum(counts[c] for c in DECISION_CLASSES) == counts["total"] == 30


def test_declines_by_reason_per_municipality() -> None:
    declines = [
        DeclineRecord("0301", dt.date(2014, 2, 1), "housing"),
        DeclineRecord("0301", dt.date(2014, 3, 1), "housing"),
        DeclineRecord("0301", dt.date(2014, 3, 2), "health_services"),
        DeclineRecord("1201", dt.date(2014, 5, 1), "housing"),
        DeclineRecord("1201", dt.date(2013, 5, 1), "capacity"),
    ]
    assert declines_by_reason(declines) == {
        "0301": {"housing": 2, "health_services": 1},
        "1201": {"housing": 1, "capacity": 1},
    }
    # only 2014: the 2013 capacity decline drops out
    assert declines_by_reason(declines, Period.year(2014))["1201"] == {"housing": 1}
    assert declines_by_reason([]) == {}
    assert len(filter_by_municipalities(declines, {"1201"})) == 2
