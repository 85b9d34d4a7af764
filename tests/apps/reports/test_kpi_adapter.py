"""The dashboard's helpers on top of the KPI engine, on hand-made records (no database)."""

from __future__ import annotations

from datetime import date

from bosetting.apps.reports import kpi_adapter
from bosetting.engine.rules.kpi import CaseRecord, Period, settled_persons, waiting_ready_persons

AT = date(2014, 12, 31)


def waiting(case_id: str, persons: int, permit: date | None, municipality: str | None = None):
    return CaseRecord(
        case_id, municipality, "single", persons, permit_date=permit, ready=date(2014, 1, 1)
    )


CASES = [
    waiting("a", 1, date(2014, 11, 1)),  # 2 months: 0–3
    waiting("b", 2, date(2014, 8, 15)),  # 4.5 months: 3–6
    waiting("c", 1, date(2014, 3, 1)),  # 10 months: 6–12
    waiting("d", 3, date(2013, 6, 1)),  # 19 months: over 12
    waiting("e", 1, None),  # no permit date
    CaseRecord("f", "0301", "single", 4, permit_date=date(2014, 1, 1), settled=date(2014, 5, 1)),
]


def test_waiting_distribution_buckets_by_months_since_the_permit():
    buckets = {b["bucket"]: b["persons"] for b in kpi_adapter.waiting_distribution(CASES, AT)}
    assert buckets == {"0–3": 1, "3–6": 2, "6–12": 1, ">12": 3, "uten vedtaksdato": 1}
    assert sum(buckets.values()) == waiting_ready_persons(CASES, AT)


def test_exactly_six_months_is_not_beyond_the_six_month_target():
    permitted = [waiting("x", 1, date(2014, 6, 30))]  # 30 Jun + 6 calendar months = 30 Dec

    def buckets(at):
        return {b["bucket"]: b["persons"] for b in kpi_adapter.waiting_distribution(permitted, at)}

    assert buckets(date(2014, 12, 30))["3–6"] == 1  # on the day: still within
    assert buckets(date(2014, 12, 31))["6–12"] == 1  # one day later: beyond


def test_month_periods_cover_the_period_and_clip_its_ends():
    months = kpi_adapter.month_periods(Period(date(2014, 1, 15), date(2014, 3, 10)))
    assert [(p.start, p.end) for p in months] == [
        (date(2014, 1, 15), date(2014, 1, 31)),
        (date(2014, 2, 1), date(2014, 2, 28)),
        (date(2014, 3, 1), date(2014, 3, 10)),
    ]
    assert kpi_adapter.month_ends(Period.year(2014))[-1] == date(2014, 12, 31)


def test_per_municipality_applies_an_engine_kpi_to_each_municipality():
    cases = [
        *CASES,
        CaseRecord("g", "1201", "uam", 1, permit_date=date(2014, 2, 1), settled=date(2014, 9, 1)),
        CaseRecord(
            "h", "1201", "single", 2, permit_date=date(2014, 2, 1), settled=date(2015, 1, 9)
        ),
    ]
    year = Period.year(2014)
    result = kpi_adapter.per_municipality(cases, lambda a: settled_persons(a, year))
    # cases with no municipality are left out; h settled after 2014
    assert result == {"0301": 4, "1201": 1}
