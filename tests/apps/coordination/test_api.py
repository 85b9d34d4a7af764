"""Regions, coordination and municipality-overview API, with the refusal policy."""

import pytest
from tests.clock import on_business_day

pytestmark = [pytest.mark.django_db, on_business_day]


def test_overlaps_need_login(client, reference_db):
    assert client.get("/api/regions/overlaps").status_code == 401


def test_overlaps_name_vestfold_and_buskerud(client, analyst):
    client.force_login(analyst)
    rows = client.get("/api/regions/overlaps").json()
    pairs = {(r["county_number"], r["husbanken_office"], r["imdi_office"]) for r in rows}
    assert ("07", "hb-sor", "imdi-ost") in pairs
    assert ("06", "hb-sor", "imdi-indre-ost") in pairs
    assert not any(r["county_number"] in {"11", "12", "14", "15", "16", "17"} for r in rows)


def test_offices_of_a_municipality(client, analyst):
    client.force_login(analyst)
    body = client.get("/api/regions/municipalities/0701").json()
    assert body["imdi"]["code"] == "imdi-ost" and body["husbanken"]["code"] == "hb-sor"
    assert client.get("/api/regions/municipalities/9998").status_code == 404


def test_pairs_carry_table_5_2(client, county_governor):
    client.force_login(county_governor)
    pairs = {p["slug"]: p for p in client.get("/api/coordination/pairs").json()}
    midt = pairs["hb-midt--imdi-midt"]
    assert midt["forms"]["formal_agreement"]["present"] is True
    assert midt["forms"]["joint_activity_plan"]["present"] is True
    assert midt["ladder_level"] == 4
    vest = pairs["hb-vest--imdi-vest"]
    assert vest["forms"]["formal_agreement"]["present"] is False
    assert vest["forms"]["joint_municipality_meetings"]["degree"] == "large"


def test_pair_detail_has_timeline_and_annual_wheel(client, analyst):
    client.force_login(analyst)
    body = client.get("/api/coordination/pairs/hb-midt--imdi-midt").json()
    assert any("Gode grep" in e["title"] for e in body["timeline"])
    assert any(w["times_per_year"] == "4" for a in body["agreements"] for w in a["wheel"])
    assert client.get("/api/coordination/pairs/nope--nope").status_code == 404


def test_staff_write_to_own_pair_only(client, husbanken_advisor):
    client.force_login(husbanken_advisor)
    ok = client.post(
        "/api/coordination/pairs/hb-vest--imdi-vest/events",
        {"kind": "director_meeting", "title": "Direktørmøte", "starts_on": "2015-03-01"},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["title"] == "Direktørmøte"
    refused = client.post(
        "/api/coordination/pairs/hb-midt--imdi-midt/assessments",
        {"form": "formal_agreement", "present": True, "as_of": "2015-03-01"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_assessment_with_unknown_degree_is_422_naming_it(client, imdi_officer):
    client.force_login(imdi_officer)
    response = client.post(
        "/api/coordination/pairs/hb-vest--imdi-vest/assessments",
        {"form": "formal_agreement", "degree": "enormous", "as_of": "2015-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "body.degree"


def test_programmes_say_membership_is_not_in_the_data(client, analyst):
    client.force_login(analyst)
    rows = {p["name"]: p for p in client.get("/api/coordination/programmes").json()}
    assert rows["Includio 15"]["municipality_count"] == 15
    assert rows["Includio 15"]["members"] == []
    assert "ikke i dataene" in rows["Includio 15"]["members_note"]


def test_overview_in_scope_is_aggregates_of_both_agencies(client, county_governor):
    client.force_login(county_governor)
    body = client.get("/api/municipalities/1201/overview").json()
    assert body["offices"]["imdi"]["code"] == "imdi-vest"
    assert body["offices"]["husbanken"]["code"] == "hb-vest"
    assert body["county_governor"]["pilot"] is True
    year_2014 = next(y for y in body["imdi"]["years"] if y["year"] == 2014)
    assert year_2014 == {"year": 2014, "requested": 350, "decided": 350, "settled": 323}
    assert "households_waiting" in body["imdi"] and "housing_gap" in body["husbanken"]
    text = str(body)
    assert "reference" not in text and "birth_year" not in text and "health" not in text


def test_overview_says_who_holds_the_settlement_role_when(client, county_governor, analyst):
    client.force_login(county_governor)
    rows = client.get("/api/municipalities/1201/overview").json()["settlement_authority"]
    assert [(r["holder"], r["start"], r["end"], r["current"]) for r in rows] == [
        ("IMDi Vest", None, "2014-12-31", False),
        ("Fylkesmannen i Hordaland", "2015-01-01", "2016-12-31", True),
        ("IMDi Vest", "2017-01-01", None, False),
    ]
    assert any("L3160" in s for s in rows[1]["sources"])
    client.force_login(analyst)
    stavanger = client.get("/api/municipalities/1103/overview").json()["settlement_authority"]
    assert [(r["holder"], r["current"]) for r in stavanger] == [("IMDi Vest", True)]


def test_overview_outside_scope_is_403_and_unknown_is_404(client, county_governor):
    client.force_login(county_governor)
    assert client.get("/api/municipalities/0301/overview").status_code == 403
    assert client.get("/api/municipalities/9998/overview").status_code == 404


def test_joint_report_via_api_by_the_municipality_only(client, municipal_officer, analyst):
    client.force_login(analyst)
    payload = {"settled_persons": 300, "municipal_dwellings_total": 4000}
    url = "/api/municipalities/1201/joint-reports/2014"
    assert client.put(url, payload, content_type="application/json").status_code == 403
    client.force_login(municipal_officer)
    response = client.put(url, payload, content_type="application/json")
    assert response.status_code == 200
    client.force_login(analyst)
    reports = client.get("/api/municipalities/1201/overview").json()["joint_reports"]
    assert reports[0]["municipal_dwellings_total"] == 4000
    bad = client.put(url, {"settled_persons": -1}, content_type="application/json")
    assert bad.status_code in (403, 422)


def test_staff_register_an_agreement_with_period_and_annual_wheel(client, imdi_regional_officer):
    client.force_login(imdi_regional_officer)
    created = client.post(
        "/api/coordination/pairs/hb-vest--imdi-vest/agreements",
        {"kind": "cooperation", "status": "active", "title": "Samarbeidsavtale Vest 2015–2017",
         "valid_from": "2015-01-01", "valid_to": "2017-12-31"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    agreement_id = created.json()["id"]
    wheel = client.post(
        f"/api/coordination/agreements/{agreement_id}/wheel",
        {"title": "Felles kommunesamling", "month": 10, "times_per_year": "1"},
        content_type="application/json",
    )
    assert wheel.status_code == 201
    detail = client.get("/api/coordination/pairs/hb-vest--imdi-vest").json()
    mine = next(a for a in detail["agreements"] if a["title"].endswith("2015–2017"))
    assert mine["valid_to"] == "2017-12-31" and mine["wheel"][0]["month"] == 10


def test_agreement_ending_before_it_starts_is_422(client, imdi_officer):
    client.force_login(imdi_officer)
    response = client.post(
        "/api/coordination/pairs/hb-vest--imdi-vest/agreements",
        {"kind": "cooperation", "status": "active", "title": "x",
         "valid_from": "2016-01-01", "valid_to": "2015-01-01"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "body.valid_to"


def test_wheel_of_another_pairs_agreement_is_refused(client, husbanken_advisor):
    from bosetting.apps.coordination.models import Agreement

    client.force_login(husbanken_advisor)
    midt = Agreement.objects.get(seed_key="midt-agreement")
    response = client.post(
        f"/api/coordination/agreements/{midt.pk}/wheel",
        {"title": "x", "month": 3},
        content_type="application/json",
    )
    assert response.status_code == 403
