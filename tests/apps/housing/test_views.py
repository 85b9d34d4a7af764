"""Housing pages: who sees what, forms apply the model's rules, HTMX fragments."""

from __future__ import annotations

from datetime import date

import pytest
from tests.clock import on_business_day

from bosetting.apps.housing.models import HousingUnit, Lease

pytestmark = [pytest.mark.django_db, on_business_day]


def _as(client, user):
    client.force_login(user)
    return client


def test_unit_list_full_page_and_fragment(client, make_unit, municipal_officer):
    unit = make_unit(4, flag_damp_mould=True)
    c = _as(client, municipal_officer)
    page = c.get("/boliger/")
    assert page.status_code == 200 and unit.code in page.content.decode()
    assert "<html" in page.content.decode() and "fukt/mugg" in page.content.decode()
    fragment = c.get("/boliger/", HTTP_HX_REQUEST="true")
    assert unit.code in fragment.content.decode() and "<html" not in fragment.content.decode()


@pytest.mark.parametrize("persona", ["county_governor_outside_pilot", "analyst"])
def test_roles_without_housing_rights_get_403_on_units(client, request, persona):
    assert _as(client, request.getfixturevalue(persona)).get("/boliger/").status_code == 403


def test_anonymous_is_sent_to_login(client, reference_db):
    assert client.get("/boliger/").status_code == 302


def test_unit_form_refuses_negative_rent_with_the_field_named(client, municipal_officer, muni):
    c = _as(client, municipal_officer)
    data = {
        "municipality": muni("1201").pk,
        "code": "form-1",
        "kind": "municipal",
        "bedrooms": 2,
        "max_occupants": 4,
        "beds": 1,
        "zone": "1201-01",
        "rent_nok": -5,
    }
    response = c.post("/boliger/ny/", data)
    assert response.status_code == 200
    assert not HousingUnit.objects.filter(code="form-1").exists()
    data["rent_nok"] = 9000
    assert c.post("/boliger/ny/", data).status_code == 302
    assert HousingUnit.objects.get(code="form-1").municipality.number == "1201"


def test_husbanken_sees_a_unit_but_no_household_reference(
    client, make_unit, make_household, husbanken_advisor
):
    unit = make_unit(3)
    household = make_household(3, settled_on=date(2014, 1, 1))
    Lease.objects.create(unit=unit, household=household, start=date(2014, 1, 1))
    page = _as(client, husbanken_advisor).get(f"/boliger/{unit.pk}/").content.decode()
    assert unit.code in page and household.reference not in page
    assert "Ny leiekontrakt" not in page


def test_overlapping_lease_through_the_page_shows_the_message(client, make_unit, municipal_officer):
    unit = make_unit(3)
    Lease.objects.create(unit=unit, start=date(2015, 1, 1), end=date(2018, 1, 1))
    c = _as(client, municipal_officer)
    response = c.post(
        f"/boliger/{unit.pk}/kontrakt/", {"start": "2016-01-01", "notice_months": 3}, follow=True
    )
    assert "overlapper" in response.content.decode()
    assert Lease.objects.filter(unit=unit).count() == 1


def test_a_unit_in_another_municipality_is_404(client, make_unit, municipal_officer):
    oslo = make_unit(3, number="0301")
    assert _as(client, municipal_officer).get(f"/boliger/{oslo.pk}/").status_code == 404


def test_gap_page_shows_table_and_chart_for_own_area(client, municipal_officer):
    c = _as(client, municipal_officer)
    page = c.get("/boliger/boliggap/?year=2015").content.decode()
    assert 'data-testid="gap-table"' in page and "gap-chart-data" in page and "plotly" in page
    fragment = c.get("/boliger/boliggap/?year=2015", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="gap-table"' in fragment and "<html" not in fragment
    assert c.get("/boliger/boliggap/?area=national").status_code == 403


def test_career_page_is_personal_data(client, make_household, municipal_officer, husbanken_advisor):
    from bosetting.apps.housing.models import HousingCareerStep

    household = make_household(2, settled_on=date(2014, 1, 1))
    HousingCareerStep.objects.create(
        household=household, on=date(2014, 1, 1), tenure="municipal_rental"
    )
    page = _as(client, municipal_officer).get(f"/boliger/karriere/{household.pk}/")
    assert page.status_code == 200 and "Kommunal utleiebolig" in page.content.decode()
    assert (
        _as(client, husbanken_advisor).get(f"/boliger/karriere/{household.pk}/").status_code == 403
    )


def test_menu_shows_housing_for_husbanken_and_only_gap_for_analyst(
    client, husbanken_advisor, analyst
):
    page = _as(client, husbanken_advisor).get("/").content.decode()
    assert 'href="/boliger/"' in page and 'href="/boliger/boliggap/"' in page
    page = _as(client, analyst).get("/").content.decode()
    assert 'href="/boliger/"' not in page and 'href="/boliger/boliggap/"' in page
