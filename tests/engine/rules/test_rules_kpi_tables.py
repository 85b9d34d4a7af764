"""The Tables 2.1–2.4 builder and the report's published figures.

One test reads the seed digest in ``shared/spec`` (beside the repository) to
check that the published constants were transcribed exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from tests.shared_dir import SHARED_DIR, needs_shared

from bosetting.engine.rules.kpi import (
    PUBLISHED_TABLES,
    CaseArrays,
    CaseRecord,
    DecisionRecord,
    RequestRecord,
    tables,
)

D = dt.date


def _case(case_id: str, persons: int = 1, **dates: dt.date) -> CaseRecord:
    return CaseRecord(case_id, "0301", "single", persons, **dates)  # type: ignore[arg-type]


# 2013–2014 history:
# a [2] permit 1 Feb 2013, case opened 1 Feb 2012, ready 1 Mar 2013, settled 1 Jun 2013 (120 days)
# b [1] permit 1 Jan 2014, ready 1 Feb 2014, settled 1 Sep 2014 (243 days; 6-month deadline 1 Jul)
# c [3] permit 1 Mar 2014, ready 15 Mar 2014, settled 1 Jun 2014 (92 days)
# d [1] permit 1 Feb 2014, ready 1 Mar 2014, not settled
# e [2] permit 1 Nov 2014, ready 1 Dec 2014, settled 15 Dec 2014 (44 days)
CASES = [
    _case(
        "a",
        2,
        case_opened=D(2012, 2, 1),
        permit_date=D(2013, 2, 1),
        ready=D(2013, 3, 1),
        settled=D(2013, 6, 1),
    ),
    _case("b", 1, permit_date=D(2014, 1, 1), ready=D(2014, 2, 1), settled=D(2014, 9, 1)),
    _case("c", 3, permit_date=D(2014, 3, 1), ready=D(2014, 3, 15), settled=D(2014, 6, 1)),
    _case("d", 1, permit_date=D(2014, 2, 1), ready=D(2014, 3, 1)),
    _case("e", 2, permit_date=D(2014, 11, 1), ready=D(2014, 12, 1), settled=D(2014, 12, 15)),
]
REQUESTS = [RequestRecord("0301", 2014, 10), RequestRecord("1201", 2014, 20)]
DECISIONS = [DecisionRecord("0301", 2014, 10), DecisionRecord("1201", 2014, 5)]


def test_tables_have_the_published_shape() -> None:
    built = tables(CASES, REQUESTS, DECISIONS, [2014])
    for name, published in PUBLISHED_TABLES.items():
        assert set(built[name]["2014"]) == set(published["2014"])
    json.dumps(built)  # JSON-ready


def test_table_2_1_for_a_full_year() -> None:
    row = tables(CASES, REQUESTS, DECISIONS, [2014])["table_2_1"]["2014"]
    # settled 2014: b1 + c3 + e2 = 6
    assert row["settled"] == 6
    # waiting 31 Dec 2014: only d (1 person)
    assert row["waiting_dec31"] == 1
    # within 6 months: c3 + e2 = 5 of 6 (b is two months late) -> 83.33.. -> 83.3
    assert row["share_settled_within_6_months_pct"] == 83.3
    # d waits since permit 1 Feb; 1 Aug < 31 Dec -> long-waiting
    assert row["long_waiters"] == 1


def test_table_2_2_waiting_times_in_months() -> None:
    t22 = tables(CASES, REQUESTS, DECISIONS, [2013, 2014])["table_2_2"]
    # 2014: (243 x 1 + 92 x 3 + 44 x 2) / 6 = (243 + 276 + 88) / 6 = 101.1667 days
    #       / 30.4375 = 3.3237 months -> 3.3
    assert t22["2014"]["months_permit_to_settlement"] == 3.3
    # no case settled in 2014 has a case-opened date -> None, not 0
    assert t22["2014"]["months_case_to_settlement"] is None
    # 2013: a, 1 Feb 2012 -> 1 Jun 2013 = 486 days / 30.4375 = 15.967 -> 16.0
    assert t22["2013"]["months_case_to_settlement"] == 16.0
    # 2013: 1 Feb -> 1 Jun 2013 = 120 days / 30.4375 = 3.942 -> 3.9
    assert t22["2013"]["months_permit_to_settlement"] == 3.9


def test_tables_2_3_and_2_4_from_requests_and_decisions() -> None:
    built = tables(CASES, REQUESTS, DECISIONS, [2014], municipalities=["0301", "1201", "2004"])
    # requested 10 + 20 = 30, decided 10 + 5 = 15
    assert built["table_2_3"]["2014"] == {"requested": 30, "decided": 15}
    # 0301 in line, 1201 fewer (5 < 20), 2004 no record -> no decision
    assert built["table_2_4"]["2014"] == {
        "in_line": 1,
        "fewer": 1,
        "none": 0,
        "no_decision": 1,
        "total": 3,
    }


def test_years_the_data_cannot_speak_for_are_none() -> None:
    built = tables(CASES, REQUESTS, DECISIONS, [2009, 2016])
    for year in ("2009", "2016"):
        assert all(v is None for v in built["table_2_1"][year].values())
        assert all(v is None for v in built["table_2_2"][year].values())
        assert all(v is None for v in built["table_2_3"][year].values())
        assert all(v is None for v in built["table_2_4"][year].values())
    assert built["meta"]["periods"]["2009"] is None


def test_empty_case_data_gives_none_everywhere_in_the_case_tables() -> None:
    built = tables([], [], [], [2014])
    assert all(v is None for v in built["table_2_1"]["2014"].values())
    assert all(v is None for v in built["table_2_2"]["2014"].values())


def test_an_extract_date_cuts_the_year_like_the_reports_november_column() -> None:
    built = tables(CaseArrays.from_records(CASES), [], [], [2014], as_of=D(2014, 11, 30))
    row = built["table_2_1"]["2014"]
    # up to 30 Nov: b1 + c3 = 4 settled (e settles 15 Dec)
    assert row["settled"] == 4
    # on 30 Nov: d waits; e is ready only on 1 Dec -> 1
    assert row["waiting_dec31"] == 1
    assert built["meta"]["periods"]["2014"] == {"start": "2014-01-01", "end": "2014-11-30"}


def test_long_waiter_threshold_is_configurable() -> None:
    row = tables(CASES, [], [], [2014], long_wait_threshold_months=12)["table_2_1"]["2014"]
    # d: permit 1 Feb 2014 + 12 months = 1 Feb 2015, after 31 Dec -> not long
    assert row["long_waiters"] == 0


def test_published_decision_classes_add_up_to_428_municipalities() -> None:
    for year, row in PUBLISHED_TABLES["table_2_4"].items():
        assert (
            row["in_line"] + row["fewer"] + row["none"] + row["no_decision"] == row["total"] == 428
        ), year


SEED_DIGEST = SHARED_DIR / "spec" / "seed-digest.md"


def _digest_row(label_start: str) -> list[str]:
    for line in SEED_DIGEST.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"| {label_start}"):
            return [cell.strip() for cell in line.strip("|").split("|")[1:]]
    raise AssertionError(f"row {label_start!r} not found in the seed digest")


def _number(cell: str) -> float | None:
    if cell == "-":
        return None
    return float(re.sub(r"\s", "", cell).replace(",", "."))


@pytest.mark.parametrize(
    ("table", "key", "label"),
    [
        ("table_2_1", "settled", "Antall bosatte"),
        ("table_2_1", "waiting_dec31", "Bosettingsklare i mottak"),
        ("table_2_1", "share_settled_within_6_months_pct", "Andel bosatt innen 6 md."),
        ("table_2_1", "long_waiters", "Antall lengeventende"),
        ("table_2_2", "months_permit_to_settlement", "Ventetid fra vedtak"),
        ("table_2_2", "months_case_to_settlement", "Ventetid fra saksopprettelse"),
    ],
)
@needs_shared("spec/seed-digest.md")
def test_published_constants_match_the_seed_digest_2009_2014(
    table: str, key: str, label: str
) -> None:
    """Reads shared/spec/seed-digest.md beside the repository."""
    cells = _digest_row(label)
    published = [PUBLISHED_TABLES[table][str(y)][key] for y in range(2009, 2015)]
    assert published == [_number(c) for c in cells]


@pytest.mark.parametrize(
    ("table", "key", "label", "years"),
    [
        ("table_2_3", "requested", "Anmodning (request)", (2014, 2015, 2016)),
        ("table_2_3", "decided", "Vedtak (decision)", (2014, 2015, 2016)),
        ("table_2_4", "in_line", "Vedtak i tråd", (2014, 2015)),
        ("table_2_4", "fewer", "Tar imot færre", (2014, 2015)),
        ("table_2_4", "none", "Bosetter ikke", (2014, 2015)),
        ("table_2_4", "no_decision", "Uten vedtak", (2014, 2015)),
    ],
)
@needs_shared("spec/seed-digest.md")
def test_published_planning_constants_match_the_seed_digest(
    table: str, key: str, label: str, years: tuple[int, ...]
) -> None:
    """Reads shared/spec/seed-digest.md beside the repository."""
    cells = _digest_row(label)
    published = [PUBLISHED_TABLES[table][str(y)][key] for y in years]
    assert published == [_number(c) for c in cells]
