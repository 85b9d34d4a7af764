"""The housing API: /api/units, /api/leases, /api/housing-gap — rights, rules and filters."""

from __future__ import annotations

from datetime import date

import pytest

pytestmark = pytest.mark.django_db

UNIT = {
    "municipality": "1201",
    "code": "api-1",
    "kind": "municipal",
    "bedrooms": 3,
    "max_occupants": 6,
    "zone": "1201-02",
    "rent_nok": 11000,
    "available_from": "2015-02-01",
}


def _as(client, user):
    client.force_login(user)
    return client


def test_municipal_officer_creates_a_unit_in_own_municipality(client, municipal_officer):
    response = _as(client, municipal_officer).post(
        "/api/units", UNIT, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["municipality_number"] == "1201"
    other = {**UNIT, "municipality": "0301", "code": "api-2"}
    assert client.post("/api/units", other, content_type="application/json").status_code == 403


def test_post_applies_the_same_rules_and_names_the_field(client, municipal_officer):
    bad = {**UNIT, "rent_nok": -100}
    response = _as(client, municipal_officer).post(
        "/api/units", bad, content_type="application/json"
    )
    assert response.status_code == 422
    assert any(e["field"] == "body.rent_nok" for e in response.json()["detail"])
    nobody = {**UNIT, "max_occupants": 0}
    response = client.post("/api/units", nobody, content_type="application/json")
    assert response.status_code == 422


@pytest.mark.parametrize(
    "persona",
    [
        "husbanken_advisor",
        "imdi_regional_officer",
        "county_governor",
        "county_governor_outside_pilot",
        "analyst",
    ],
)
def test_roles_without_housing_write_rights_get_403(client, request, persona):
    user = request.getfixturevalue(persona)
    response = _as(client, user).post("/api/units", UNIT, content_type="application/json")
    assert response.status_code == 403


def test_anonymous_gets_401(client, reference_db):
    assert client.get("/api/units").status_code == 401


def test_list_filters_by_municipality_kind_and_availability(
    client, make_unit, husbanken_advisor, county_governor, county_governor_outside_pilot
):
    from bosetting.apps.housing.models import Lease

    free = make_unit(4, available_from=date(2015, 1, 1))
    make_unit(2, kind="shared", beds=2, available_from=date(2015, 1, 1))
    let = make_unit(4, available_from=date(2014, 1, 1))
    Lease.objects.create(unit=let, start=date(2014, 1, 1), end=date(2017, 1, 1))
    make_unit(4, number="0301")  # Oslo: outside Husbanken vest
    c = _as(client, husbanken_advisor)
    codes = {u["code"] for u in c.get("/api/units").json()["items"]}
    assert free.code in codes and let.code in codes and not any("0301" in x for x in codes)
    available = c.get("/api/units?available=true&available_by=2015-03-01").json()["items"]
    assert free.code in {u["code"] for u in available} and let.code not in {
        u["code"] for u in available
    }
    shared = c.get("/api/units?kind=shared&municipality=1201").json()
    assert shared["count"] == 1
    assert _as(client, county_governor_outside_pilot).get("/api/units").status_code == 403
    # Hordaland's county governor holds IMDi's role in the 2015–2016 pilot: it reads its county's flats.
    pilot = {u["code"] for u in _as(client, county_governor).get("/api/units").json()["items"]}
    assert free.code in pilot and not any("0301" in x for x in pilot)


def test_a_unit_outside_the_scope_is_404(client, make_unit, municipal_officer):
    oslo = make_unit(4, number="0301")
    assert _as(client, municipal_officer).get(f"/api/units/{oslo.pk}").status_code == 404


def test_lease_overlap_through_the_api_is_422_naming_start(client, make_unit, municipal_officer):
    unit = make_unit(4)
    c = _as(client, municipal_officer)
    first = {"unit_id": unit.pk, "start": "2015-01-01", "end": "2018-01-01"}
    assert c.post("/api/leases", first, content_type="application/json").status_code == 201
    second = {"unit_id": unit.pk, "start": "2016-01-01"}
    response = c.post("/api/leases", second, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body.start"


def test_husbanken_sees_leases_without_household_references(
    client, make_unit, make_household, husbanken_advisor, municipal_officer
):
    from bosetting.apps.housing.models import Lease

    household = make_household(2, settled_on=date(2014, 1, 1))
    Lease.objects.create(unit=make_unit(2), household=household, start=date(2014, 1, 1))
    seen = _as(client, husbanken_advisor).get("/api/leases").json()
    assert seen["count"] == 1 and seen["items"][0]["household_reference"] is None
    assert household.reference not in str(seen)
    mine = _as(client, municipal_officer).get("/api/leases").json()
    assert mine["items"][0]["household_reference"] == household.reference


def test_gap_api_answers_within_scope_and_refuses_outside(client, municipal_officer):
    c = _as(client, municipal_officer)
    response = c.get("/api/housing-gap?year=2015")
    assert response.status_code == 200 and response.json()["area"] == "municipality:1201"
    assert c.get("/api/housing-gap?area=national&year=2015").status_code == 403
    bad = c.get("/api/housing-gap?area=planet:mars")
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "query.area"
