"""Requests (anmodning) through the API: read within the scope of every role that sees decisions,
registered by IMDi only."""

from __future__ import annotations

import pytest
from tests.clock import on_business_day
from tests.factories import SettlementRequestFactory

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.planning.models import SettlementRequest

pytestmark = [pytest.mark.django_db, on_business_day]

BODY = {"municipality_number": "1201", "year": 2016, "persons": 60, "uam_persons": 8}


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", {"1201", "0301"}),
        ("imdi_regional_officer", {"1201"}),
        ("municipal_officer", {"1201"}),
        ("other_municipal_officer", {"0301"}),
        ("husbanken_advisor", {"1201"}),
        ("county_governor", {"1201"}),
        ("analyst", {"1201", "0301"}),
    ],
)
def test_who_reads_which_requests(api_as, reference_db, persona, expected):
    bergen = SettlementRequestFactory(number="1201", year=2016)
    oslo = SettlementRequestFactory(number="0301", year=2016)
    client = api_as(persona)
    listed = client.get("/api/requests", {"year": 2016}).json()
    assert {r["municipality_number"] for r in listed["items"]} == expected
    for row, number in ((bergen, "1201"), (oslo, "0301")):
        status = client.get(f"/api/requests/{row.pk}").status_code
        assert status == (200 if number in expected else 404)


def test_the_anonymous_get_401(api_as, reference_db):
    assert api_as("anonymous").get("/api/requests").status_code == 401


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 201),
        ("imdi_regional_officer", 201),
        ("municipal_officer", 403),
        ("husbanken_advisor", 403),
        ("county_governor", 403),
        ("analyst", 403),
        ("anonymous", 401),
    ],
)
def test_only_imdi_registers_requests(api_as, reference_db, persona, expected):
    response = api_as(persona).post("/api/requests", BODY)
    assert response.status_code == expected
    assert SettlementRequest.objects.filter(year=2016).exists() == (expected == 201)


def test_a_three_year_request_and_the_refusals(api_as, reference_db):
    client = api_as("imdi_officer")
    response = client.post("/api/requests", {**BODY, "period_years": 3})
    assert response.status_code == 201
    assert [r["year"] for r in response.json()] == [2016, 2017, 2018]
    assert AuditEntry.objects.filter(object_type="planning.settlementrequest").count() == 3
    again = client.post("/api/requests", BODY)
    assert again.status_code == 409 and "Bergen" in again.json()["detail"]
    replaced = client.post("/api/requests", {**BODY, "persons": 70, "replace": True})
    assert replaced.status_code == 201 and replaced.json()[0]["persons"] == 70
    too_many_minors = client.post("/api/requests", {**BODY, "year": 2019, "uam_persons": 99})
    assert too_many_minors.status_code == 422
    assert too_many_minors.json()["detail"][0]["field"] == "body.uam_persons"
    outside = api_as("imdi_regional_officer").post(
        "/api/requests", {**BODY, "municipality_number": "0301"}
    )
    assert outside.status_code == 403
    unknown = client.post("/api/requests", {**BODY, "municipality_number": "9999"})
    assert unknown.status_code == 422
