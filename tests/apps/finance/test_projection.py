"""Integration-grant projection: rates from the rule tables; a missing rate is the stated even-split
assumption, marked, or (assumption off) an unknown year shown and left out. Never a silent 0."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bosetting.apps.finance.projection import person_category
from bosetting.apps.finance.selectors import projection_for
from bosetting.engine.rules.grants import GrantRow, GrantTable

pytestmark = pytest.mark.django_db


def _table(years, adult_rate=100, child_rate=50):
    rows = []
    for y in years:
        for i in range(1, 6):
            rows.append(GrantRow(y, "adult", i, adult_rate * i, "in_force", "test"))
            rows.append(GrantRow(y, "child", i, child_rate * i, "in_force", "test"))
    return GrantTable(rows)


@pytest.fixture
def bergen_2014(make_household):
    """A family of 3 (2 adults born 1980, 1 child born 2008) settled in Bergen in 2014."""
    return make_household(3, number="1201", settled_on=date(2014, 6, 1))


def test_known_years_are_summed_from_the_rule_table(bergen_2014, imdi_officer):
    p = projection_for(imdi_officer, "1201", 2015, 2, table=_table([2015, 2016]))
    # 2015 is settlement-year index 2: 2 adults x 200 + 1 child x 100 = 500; 2016 index 3: 750.
    assert [(y.year, y.amount_nok) for y in p.years] == [(2015, 500), (2016, 750)]
    assert p.total_known_nok == 1250 and p.excluded_years == []


def test_without_the_assumption_a_year_without_rates_is_unknown_and_left_out_of_the_total(
    bergen_2014, imdi_officer
):
    p = projection_for(imdi_officer, "1201", 2015, 3, table=_table([2015, 2017]), assume=False)
    assert [y.amount_nok for y in p.years] == [500, None, 1000]
    assert p.total_known_nok == 1500
    assert p.excluded_years == [2016]
    assert any("ukjent" in note for note in p.notes)


def test_decided_not_settled_persons_follow_the_national_category_mix(
    bergen_2014, make_household, imdi_officer
):
    from bosetting.apps.geo.selectors import municipality
    from bosetting.apps.planning.models import CouncilDecision

    CouncilDecision.objects.create(municipality=municipality("1201"), year=2015, persons=6)
    p = projection_for(imdi_officer, "1201", 2015, 1, table=_table([2015]))
    # national mix 2012–2014 = the family: 2/3 adults, 1/3 children -> 4 adults, 2 children in 2015
    assert p.decided_remaining == {2015: 6}
    assert p.cohorts[(2015, "adult")] == pytest.approx(4)
    assert p.cohorts[(2015, "child")] == pytest.approx(2)
    # 2015: cohort 2014 at index 2 (500) + cohort 2015 at index 1: 4 x 100 + 2 x 50 = 500
    assert p.years[0].amount_nok == 1000


def test_a_year_without_rates_takes_the_last_known_total_split_evenly_and_says_so(
    bergen_2014, imdi_officer
):
    p = projection_for(imdi_officer, "1201", 2015, 3, table=_table([2015, 2017]))
    # 2016 has no rates: 2015's five-year totals (adult 1500, child 750) / 5 = 300 and 150 a year
    assert [y.amount_nok for y in p.years] == [500, 2 * 300 + 150, 1000]
    assert p.excluded_years == [] and p.years[1].assumed and not p.years[0].assumed
    assert any("Antakelse" in note and "slås av" in note for note in p.notes)


def test_shipped_rules_have_only_five_year_totals_so_every_year_is_an_assumption_never_zero(
    bergen_2014, imdi_officer
):
    p = projection_for(imdi_officer, "1201", 2015)
    # the 2014 cohort is paid for in 2015–2018 (index 2–5); the 2014 total 669 600 kr / 5 = 133 920
    # per adult and child a year, 2014's totals carried forward; nobody is paid for in 2019
    assert [y.amount_nok for y in p.years] == [3 * 133_920] * 4 + [0]
    assert p.total_known_nok == 4 * 3 * 133_920 and p.excluded_years == []
    assert all(y.assumed for y in p.years[:4])
    assert "669600" in p.years[0].assumed[0] and "budsjett 2014" in p.years[0].assumed[0]
    reference = {(r["settled_year"], r["category"]): r for r in p.reference}
    assert reference[(2014, "adult")]["amount_nok"] == 2 * 669_600
    off = projection_for(imdi_officer, "1201", 2015, assume=False)
    assert [y.amount_nok for y in off.years] == [None, None, None, None, 0]
    assert off.total_known_nok == 0 and off.excluded_years == [2015, 2016, 2017, 2018]


def test_projection_is_refused_outside_the_scope(bergen_2014, other_municipal_officer):
    with pytest.raises(PermissionDenied):
        projection_for(other_municipal_officer, "1201", 2015)


def test_person_categories():
    assert person_category("uam", 1999, 2014) == "uam"
    assert person_category("family_children", 2008, 2014) == "child"
    assert person_category("single", 1980, 2014) == "single_adult"
    assert person_category("family_children", 1980, 2014) == "adult"
    assert person_category("family_children", 1950, 2014) == "elderly"
