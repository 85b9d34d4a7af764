"""Gap analysis on a hand-made Bergen, worked out by hand (see the comments)."""

from __future__ import annotations

from datetime import date

import pytest

from bosetting.apps.housing.gap import BANDS, MunicipalityGapInput, compute_gap, shortage

pytestmark = pytest.mark.django_db


@pytest.fixture
def hand_made_bergen(make_household, make_unit):
    """Bergen decided 20 persons for 2015 and nobody else decided anything.

    - one family of 5 already proposed to Bergen (assigned: 5+ band, 5 persons);
    - waiting nationally: a single and a family of 6 (7 persons);
    - settled 2012–2014 (the mix): a single in Bergen (2014), and in Oslo (2013) a single, a couple and
      a family of 4 -> bands 1:2, 2:1, 3-4:1; 8 persons in 4 households, mean size 2;
    - Bergen's units for 2015: one for 6 (free from March when its old lease ends), one for 2, a shared
      flat with 3 beds where the single lives (2 free beds); not counted: a 4-person unit let until
      2017 and a 5-person unit free only in 2016.
    """
    from bosetting.apps.geo.selectors import municipality
    from bosetting.apps.housing.models import Lease
    from bosetting.apps.planning.models import CouncilDecision

    CouncilDecision.objects.create(municipality=municipality("1201"), year=2015, persons=20)
    make_household(5, status="proposed", number="1201")
    make_household(1, status="ready", number=None)
    make_household(6, status="ready", number=None)
    tenant = make_household(1, number="1201", settled_on=date(2014, 5, 1))
    for size in (1, 2, 4):
        make_household(size, number="0301", settled_on=date(2013, 6, 1))

    big = make_unit(6, available_from=date(2015, 3, 1))
    Lease.objects.create(unit=big, start=date(2012, 3, 1), end=date(2015, 3, 1))
    make_unit(2)
    shared = make_unit(3, kind="shared", beds=3, available_from=date(2014, 5, 1))
    Lease.objects.create(
        unit=shared, household=tenant, start=date(2014, 5, 1), end=date(2017, 5, 1)
    )
    let = make_unit(4, available_from=date(2014, 1, 1))
    Lease.objects.create(unit=let, start=date(2014, 1, 1), end=date(2017, 1, 1))
    make_unit(5, available_from=date(2016, 1, 1))


def test_gap_of_a_hand_made_municipality_matches_the_hand_calculation(
    hand_made_bergen, imdi_officer
):
    from bosetting.apps.housing.selectors import gap_for

    report = gap_for(imdi_officer, "municipality:1201", 2015)
    row = report.total
    # capacity = 20 decided - 0 settled - 5 assigned = 15 persons; all of it is Bergen's, so Bergen
    # gets all the waiting (1 single, 1 family of 6 = 7 persons); 15 - 7 = 8 persons remain, which the
    # mix (1: 1/2, 2: 1/4, 3-4: 1/4; mean size 2) turns into 8/2 = 4 households: 2, 1, 1, 0.
    assert row.capacity_persons == 15
    assert row.assigned == {"1": 0, "2": 0, "3-4": 0, "5+": 1}
    assert row.waiting == {"1": 1, "2": 0, "3-4": 0, "5+": 1}
    assert row.expected == {"1": 2, "2": 1, "3-4": 1, "5+": 0}
    assert row.demand == {"1": 3, "2": 1, "3-4": 1, "5+": 2}
    assert row.units == {"1": 2, "2": 1, "3-4": 0, "5+": 1}
    # 5+: 2 households, 1 unit -> 1 missing; 3-4: 1 household, no unit -> 1 missing;
    # 2: one each -> 0; 1: 3 households, 2 beds -> 1 missing.
    assert row.missing == {"1": 1, "2": 0, "3-4": 1, "5+": 1}


def test_gap_report_as_json_names_bands_and_notes(hand_made_bergen, imdi_officer):
    from bosetting.apps.housing.selectors import gap_for

    data = gap_for(imdi_officer, "municipality:1201", 2015).as_dict()
    assert data["bands"] == list(BANDS)
    assert data["total"]["missing"]["5+"] == 1
    assert data["mix_mean_size"] == 2
    assert list(data["municipalities"]) == ["1201"]


def test_spare_large_units_house_smaller_households_but_not_the_reverse():
    assert shortage({"1": 2, "2": 0, "3-4": 0, "5+": 0}, {"1": 0, "2": 0, "3-4": 0, "5+": 2}) == {
        "1": 0,
        "2": 0,
        "3-4": 0,
        "5+": 0,
    }
    assert (
        shortage({"1": 0, "2": 0, "3-4": 0, "5+": 2}, {"1": 5, "2": 0, "3-4": 0, "5+": 0})["5+"]
        == 2
    )


def test_waiting_households_follow_remaining_capacity():
    a = MunicipalityGapInput("a", decided_persons=30)
    b = MunicipalityGapInput("b", decided_persons=10)
    rows = compute_gap([a, b], {"1": 4, "2": 0, "3-4": 0, "5+": 0}, 4, {}, None)
    assert rows["a"].waiting["1"] == 3 and rows["b"].waiting["1"] == 1
    assert rows["a"].expected == {band: 0 for band in BANDS}


def test_area_outside_scope_is_refused(hand_made_bergen, municipal_officer):
    from django.core.exceptions import PermissionDenied

    from bosetting.apps.housing.selectors import gap_for

    assert gap_for(municipal_officer, None, 2015).area == "municipality:1201"
    with pytest.raises(PermissionDenied):
        gap_for(municipal_officer, "municipality:0301", 2015)
    with pytest.raises(PermissionDenied):
        gap_for(municipal_officer, "national", 2015)


def test_expected_reunification_moves_a_household_to_the_band_of_the_family_it_expects(
    make_household, imdi_officer
):
    """A single adult expecting two family members needs a flat for three (L1714–1717): it is demand
    in the 3–4 band, while the decision capacity counts only the one person who is here."""
    from bosetting.apps.cases.models import Household
    from bosetting.apps.geo.selectors import municipality
    from bosetting.apps.housing.selectors import gap_for
    from bosetting.apps.planning.models import CouncilDecision

    CouncilDecision.objects.create(municipality=municipality("1201"), year=2015, persons=10)
    waiting = make_household(1, status="ready", number=None)
    proposed = make_household(1, status="proposed", number="1201")
    Household.objects.filter(pk__in=[waiting.pk, proposed.pk]).update(
        expected_reunification_persons=2, expected_reunification_source="own_statement"
    )
    row = gap_for(imdi_officer, "municipality:1201", 2015).total
    assert row.waiting == {"1": 0, "2": 0, "3-4": 1, "5+": 0}
    assert row.assigned == {"1": 0, "2": 0, "3-4": 1, "5+": 0}
    assert row.capacity_persons == 10 - 1  # the proposed single's family is not here yet
