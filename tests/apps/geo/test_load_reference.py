"""Loading the real reference data into the database."""

import pytest

from bosetting.apps.geo.models import County, Municipality, RegionalOffice
from bosetting.apps.geo.selectors import (
    municipality,
    municipality_numbers_for_office,
    offices_for_municipality,
)
from bosetting.apps.planning.models import CouncilDecision, ReportedSettlement, SettlementRequest

pytestmark = pytest.mark.django_db


def test_it_loads_both_structures(reference_db):
    assert Municipality.objects.filter(structure_year=2014).count() == 428
    assert Municipality.objects.filter(structure_year=2024).count() == 357
    assert County.objects.filter(structure_year=2014).count() == 19


def test_bergen_1201_is_in_hordaland_and_served_by_imdi_vest_and_husbanken_vest(reference_db):
    bergen = municipality("1201")
    assert bergen.name == "Bergen" and bergen.county.name == "Hordaland"
    offices = offices_for_municipality(bergen)
    assert offices["imdi"].code == "imdi-vest"
    assert offices["husbanken"].code == "hb-vest"


def test_vestfold_municipality_is_imdi_ost_but_husbanken_sor(reference_db):
    offices = offices_for_municipality(municipality("0701"))  # Horten
    assert offices["imdi"].code == "imdi-ost"
    assert offices["husbanken"].code == "hb-sor"


def test_imdi_vest_covers_rogaland_hordaland_sogn_og_fjordane(reference_db):
    numbers = municipality_numbers_for_office(RegionalOffice.objects.get(code="imdi-vest"))
    assert {n[:2] for n in numbers} == {"11", "12", "14"}
    assert "1201" in numbers and "0301" not in numbers


def test_real_2014_requests_decisions_and_settled_are_loaded(reference_db):
    from django.db.models import Sum

    real = {"provenance": "real", "year": 2014, "municipality__structure_year": 2014}
    assert SettlementRequest.objects.filter(**real).aggregate(s=Sum("persons"))["s"] == 10_973
    assert CouncilDecision.objects.filter(**real).aggregate(s=Sum("persons"))["s"] == 8_084
    # IMDi's 7,784 less the 112 persons with unknown municipality
    assert (
        ReportedSettlement.objects.filter(year=2014, municipality__structure_year=2014).aggregate(
            s=Sum("persons")
        )["s"]
        == 7_672
    )


def test_loading_twice_changes_no_counts(reference_db):
    from bosetting.bootstrap import load_reference

    before = (
        Municipality.objects.count(),
        SettlementRequest.objects.count(),
        CouncilDecision.objects.count(),
    )
    load_reference()
    after = (
        Municipality.objects.count(),
        SettlementRequest.objects.count(),
        CouncilDecision.objects.count(),
    )
    assert before == after


def test_2014_municipality_merged_in_2020_has_its_end_date_and_successor(reference_db):
    halden = municipality("0101")
    assert halden.valid_to is not None and halden.valid_to.year == 2019
    assert halden.successor_number == "3101"
    assert (
        halden.valid_from is None
    )  # not in the shipped data; the app says so rather than inventing it
