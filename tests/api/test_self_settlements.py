"""Self-settlement through the API: the municipality reports, IMDi decides before the offer lapses;
the same permission matrix as the case pages."""

from __future__ import annotations

import pytest
from tests.clock import on_business_day

from bosetting.apps.cases.models import SelfSettlement

from .world import make_case

pytestmark = [pytest.mark.django_db, on_business_day]


def offer(case, **extra) -> dict:
    return {
        "case_reference": case.reference,
        "lease_offer_deadline": "2015-01-20",
        "rent_nok": 8500,
        "note": "Privat leilighet (test)",
        **extra,
    }


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("municipal_officer", 201),
        ("imdi_officer", 201),
        # Bergen lies in Hordaland: from 2015 its county governor holds IMDi's regional role there
        # (the pilot, engine/rules/pilots.py); IMDi Vest does not act there.
        ("imdi_regional_officer", 403),
        ("county_governor", 201),
        ("husbanken_advisor", 403),
        ("county_governor_outside_pilot", 403),
        ("analyst", 403),
        ("anonymous", 401),
    ],
)
def test_who_may_report_a_self_found_home_in_bergen(api_as, reference_db, persona, expected):
    case = make_case("ready")
    response = api_as(persona).post(
        "/api/self-settlements", offer(case, municipality_number="1201")
    )
    assert response.status_code == expected, response.content
    if expected == 201:
        data = response.json()
        assert (data["municipality_number"], data["status"]) == ("1201", "pending")


def test_a_municipality_reports_only_in_its_own(api_as, reference_db):
    case = make_case("ready")
    data = api_as("municipal_officer").post(
        "/api/self-settlements", offer(case, municipality_number="0301")
    )
    assert data.json()["municipality_number"] == "1201"  # its own, whatever it names


def test_imdi_names_the_municipality_and_the_regional_office_stays_in_its_region(
    api_as, reference_db
):
    case = make_case("ready")
    assert api_as("imdi_officer").post("/api/self-settlements", offer(case)).status_code == 422
    outside = api_as("imdi_regional_officer").post(
        "/api/self-settlements", offer(case, municipality_number="0301")
    )
    assert outside.status_code == 403


def test_refusals(api_as, reference_db):
    client = api_as("municipal_officer")
    unknown = client.post("/api/self-settlements", offer(make_case("ready"), case_reference="X-9"))
    assert unknown.status_code == 404
    settled = client.post("/api/self-settlements", offer(make_case("settled")))
    assert settled.status_code == 404  # only an interviewed or settlement-ready case
    lapsed = client.post(
        "/api/self-settlements", offer(make_case("ready"), lease_offer_deadline="2015-01-01")
    )
    assert lapsed.status_code == 422
    assert lapsed.json()["detail"][0]["field"] == "body.deadline"
    negative = client.post("/api/self-settlements", offer(make_case("ready"), rent_nok=-5))
    assert negative.status_code == 422
    assert not SelfSettlement.objects.exists()


def test_imdi_decides_and_only_imdi(api_as, reference_db):
    case = make_case("ready")
    ss = api_as("municipal_officer").post("/api/self-settlements", offer(case)).json()
    path = f"/api/self-settlements/{ss['id']}/decision"
    assert api_as("municipal_officer").post(path, {"approve": True}).status_code == 403
    assert api_as("other_municipal_officer").post(path, {"approve": True}).status_code == 404
    # Bergen is in Hordaland's pilot: its county governor decides, IMDi Vest does not (2015).
    assert api_as("imdi_regional_officer").post(path, {"approve": True}).status_code == 403
    approved = api_as("county_governor").post(path, {"approve": True, "note": "OK"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = api_as("imdi_officer").post(path, {"approve": False})
    assert again.status_code == 409
    detail = api_as("imdi_officer").get(f"/api/cases/{case.pk}").json()
    assert detail["status"] == "preparing" and detail["self_settled"] is True


def test_the_list_is_scoped_and_nearest_deadline_first(api_as, reference_db):
    client = api_as("municipal_officer")
    late = client.post("/api/self-settlements", offer(make_case("ready"))).json()
    soon = client.post(
        "/api/self-settlements", offer(make_case("ready"), lease_offer_deadline="2015-01-08")
    ).json()
    listed = client.get("/api/self-settlements").json()
    assert [s["id"] for s in listed["items"]] == [soon["id"], late["id"]]
    assert api_as("other_municipal_officer").get("/api/self-settlements").json()["count"] == 0
    assert api_as("husbanken_advisor").get("/api/self-settlements").status_code == 403
    assert (
        api_as("other_municipal_officer").get(f"/api/self-settlements/{soon['id']}").status_code
        == 404
    )
