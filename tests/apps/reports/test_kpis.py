"""KPIs through the report selectors and the KPI engine, on hand-made histories (see conftest)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bosetting.apps.reports import kpis, selectors, tables
from bosetting.engine.rules.kpi import DAYS_PER_MONTH, Period

pytestmark = pytest.mark.django_db

YEAR_2014 = Period.year(2014)


def test_national_kpis_count_persons_as_worked_out_by_hand(histories, imdi_officer):
    result = kpis.kpis_for(imdi_officer, YEAR_2014)
    # settled in 2014: A (3) + B (1) + C (1)
    assert result["settled_persons"] == 5
    # waiting at 31 Dec: D (1) + E (2)
    assert result["waiting_ready_persons"] == 3
    # only D's permit (1 Mar) is more than 6 months before 31 Dec
    assert result["long_waiters"] == 1
    # within 6 months: A (64 days) and C (134 days) = 4 of 5 persons; B took 8 months
    assert result["share_settled_within_6_months_pct"] == 80.0
    assert result["share_settled_within_12_months_pct"] == 100.0
    # the family with children settled within 3 months; the minor (4.5 months) did not
    assert result["share_family_children_within_3_months_pct"] == 100.0
    assert result["share_uam_within_3_months_pct"] == 0.0
    assert result["time_targets"]["uam_within_3_months"]["met"] is False


def test_waiting_time_permit_to_settlement_is_person_weighted(histories, imdi_officer):
    result = kpis.kpis_for(imdi_officer, YEAR_2014)
    mean_days = (3 * 64 + 243 + 134) / 5
    assert result["waiting_permit_to_settlement"]["mean_months"] == round(
        mean_days / DAYS_PER_MONTH, 1
    )
    # person-expanded days: 64, 64, 64, 134, 243 -> median 64
    assert result["waiting_permit_to_settlement"]["median_months"] == round(64 / DAYS_PER_MONTH, 1)
    # only A has a case-opened date: 10 Jan 2013 -> 15 Mar 2014 = 429 days
    assert result["waiting_case_to_settlement"]["persons"] == 3
    assert result["waiting_case_to_settlement"]["mean_months"] == round(429 / DAYS_PER_MONTH, 1)


def test_phase_durations_use_the_recorded_phase_dates(histories, imdi_officer):
    phases = kpis.kpis_for(imdi_officer, YEAR_2014)["phases"]
    # no notification, interview, proposal or acceptance dates were recorded
    assert phases["permit_to_notified"]["mean_months"] is None
    assert phases["accepted_to_settled"]["persons"] == 0


def test_a_county_area_keeps_the_queue_of_its_reception_centres(histories, imdi_officer):
    result = kpis.kpis_for(imdi_officer, YEAR_2014, selectors.Area("county", "12"))
    assert result["settled_persons"] == 4  # A and B in Bergen
    assert result["waiting_ready_persons"] == 1  # D in the Bergen centre
    assert result["share_settled_within_6_months_pct"] == 75.0


def test_a_municipal_officer_sees_only_its_own_municipality(histories, other_municipal_officer):
    result = kpis.kpis_for(other_municipal_officer, YEAR_2014)
    assert result["settled_persons"] == 1  # C in Oslo
    assert result["waiting_ready_persons"] == 2  # E in the Oslo centre
    # asking for the whole country does not widen the scope
    widened = kpis.kpis_for(other_municipal_officer, YEAR_2014, selectors.Area())
    assert widened["settled_persons"] == 1


def test_a_regional_officer_asking_for_another_region_gets_nothing_of_it(
    histories, imdi_regional_officer
):
    result = kpis.kpis_for(imdi_regional_officer, YEAR_2014, selectors.Area("municipality", "0301"))
    assert result["settled_persons"] == 0
    assert result["waiting_ready_persons"] == 0


def test_anonymous_users_get_no_kpis(histories, anonymous):
    with pytest.raises(PermissionDenied):
        kpis.kpis_for(anonymous, YEAR_2014)


def test_stocks_can_be_taken_on_any_day(histories, imdi_officer):
    # on 30 Jun 2014: B (ready 5 Jan, settled 1 Aug) and D (ready 1 Apr) wait; A and C are settled
    result = kpis.kpis_for(imdi_officer, YEAR_2014, at=date(2014, 6, 30))
    assert result["waiting_ready_persons"] == 2
    # B's permit (1 Dec 2013) is more than 6 months before 30 Jun; D's (1 Mar) is not
    assert result["long_waiters"] == 1
    # with a 3-month threshold both count
    short = kpis.kpis_for(
        imdi_officer, YEAR_2014, at=date(2014, 6, 30), long_wait_threshold_months=3
    )
    assert short["long_waiters"] == 2


def test_settled_per_1000_uses_the_population_on_1_january(histories, imdi_officer):
    from bosetting.apps.geo.models import MunicipalityYearStat

    bergen = MunicipalityYearStat.objects.get(
        municipality__structure_year=2014, municipality__number="1201", year=2014
    ).population
    result = kpis.kpis_for(imdi_officer, YEAR_2014, selectors.Area("municipality", "1201"))
    assert result["settled_per_1000_by_municipality"]["1201"] == round(4 * 1000 / bergen, 2)
    assert result["published"]["settled_per_1000"]["1201"] == 1.2


def test_requests_decisions_and_classes_for_a_year(planning_2016, imdi_officer):
    result = kpis.kpis_for(imdi_officer, Period.year(2016))
    assert result["requests_vs_decisions"]["2016"] == {"requested": 470, "decided": 440}
    classes = result["decision_classes"]["2016"]
    # Bergen and Hammerfest (decision, no request) in line; Oslo fewer; Kvinesdal none
    assert classes["in_line"] == 2
    assert classes["fewer"] == 1
    assert classes["none"] == 1
    assert classes["no_decision"] == 428 - 4
    assert classes["total"] == 428


def test_declines_are_counted_per_municipality_and_reason(histories, imdi_officer):
    from bosetting.apps.cases.models import Household
    from bosetting.apps.geo.models import Municipality
    from bosetting.apps.matching.choices import DeclineReason
    from bosetting.apps.matching.models import MatchingRound, Proposal

    rnd = MatchingRound.objects.create(as_of=date(2014, 5, 1))
    bergen = Municipality.objects.get(structure_year=2014, number="1201")
    for ref, reason, day in (
        ("D", DeclineReason.HOUSING_SIZE, date(2014, 5, 3)),
        ("E", DeclineReason.HOUSING_SIZE, date(2014, 5, 4)),
        ("E", DeclineReason.SCHOOL_KINDERGARTEN, date(2015, 1, 4)),
    ):
        Proposal.objects.create(
            round=rnd,
            household=Household.objects.get(reference=ref),
            municipality=bergen,
            score=1.0,
            status=Proposal.Status.DECLINED,
            decided_on=day,
            decline_reason=reason,
        )
    result = kpis.kpis_for(imdi_officer, YEAR_2014)
    assert result["declines_by_reason"] == {"1201": {"housing_size": 2}}


def test_tables_follow_the_report_layout(histories, planning_2016, imdi_officer):
    result = tables.tables_for(imdi_officer, [2013, 2014, 2016])
    assert result["table_2_1"]["2014"] == {
        "settled": 5,
        "waiting_dec31": 3,
        "share_settled_within_6_months_pct": 80.0,
        "long_waiters": 1,
    }
    # the register's first settlement is A on 15 Mar 2014: 2013 cannot be told (not 0)
    assert result["table_2_1"]["2013"] == dict.fromkeys(result["table_2_1"]["2013"])
    assert result["table_2_2"]["2013"]["months_permit_to_settlement"] is None
    assert result["meta"]["register_starts"] == "2014-03-15"
    # 2016 lies after every case date: nothing can be said about cases
    assert result["table_2_1"]["2016"]["settled"] is None
    assert result["table_2_4"]["2016"]["total"] == 428
    rows = tables.table_rows(result, "table_2_1")
    assert rows[0]["label"] == "Antall bosatte"
    assert rows[1]["published"] and rows[1]["values"]["2014"] == 6874


def test_areas_parse_and_resolve_to_municipalities(reference_db, db):
    assert selectors.Area.parse("1201") == selectors.Area("municipality", "1201")
    assert selectors.Area.parse("12") == selectors.Area("county", "12")
    assert selectors.Area.parse("imdi-vest") == selectors.Area("region", "imdi-vest")
    assert selectors.Area.parse("") == selectors.Area()
    vest = selectors.area_numbers(selectors.Area("region", "imdi-vest"))
    hordaland = selectors.area_numbers(selectors.Area("county", "12"))
    assert "1201" in hordaland and hordaland < vest  # Vest: Rogaland, Hordaland, Sogn og Fjordane
    assert selectors.area_numbers(selectors.Area()) is None
    with pytest.raises(ValueError, match="county:99"):
        selectors.area_numbers(selectors.Area("county", "99"))


def test_years_from_2020_are_counted_in_the_2024_structure(reference_db, imdi_officer):
    from bosetting.apps.geo.models import Municipality

    result = tables.tables_for(imdi_officer, [2024])
    assert result["meta"]["structure_years"] == {"2024": 2024}
    assert (
        result["table_2_4"]["2024"]["total"]
        == Municipality.objects.filter(structure_year=2024).count()
    )
    # an area in 2014 numbers is carried to the 2024 structure: Bergen 1201 -> 4601
    bergen = tables.tables_for(imdi_officer, [2024], selectors.Area("municipality", "1201"))
    assert bergen["table_2_4"]["2024"]["total"] == 1


def test_each_phase_is_timed_from_its_dates(histories, imdi_officer):
    from tests.apps.reports.conftest import make_case

    # one family of 2 through every phase in 2014: 10, 20, 5, 30, 7 and 40 days
    make_case(
        "F",
        "family_no_children",
        2,
        municipality="0301",
        permit_date=date(2014, 1, 1),
        notified_on=date(2014, 1, 11),
        interview_on=date(2014, 1, 31),
        ready_on=date(2014, 2, 5),
        proposed_on=date(2014, 3, 7),
        accepted_on=date(2014, 3, 14),
        settled_on=date(2014, 4, 23),
    )
    phases = kpis.kpis_for(imdi_officer, YEAR_2014)["phases"]
    expected_days = {
        "permit_to_notified": 10,
        "notified_to_interview": 20,
        "interview_to_ready": 5,
        "ready_to_proposed": 30,
        "proposed_to_accepted": 7,
        "accepted_to_settled": 40,
    }
    for phase, days in expected_days.items():
        assert phases[phase]["persons"] == 2
        assert phases[phase]["mean_months"] == round(days / DAYS_PER_MONTH, 1)
