"""Hostile numbers, days and bytes are refused at the edge with 422 naming the field — never a 500
from the database (an id past 2^63 overflows SQLite, PostgreSQL refuses a NUL byte)."""

from __future__ import annotations

import pytest

from .world import make_case, make_sent_proposal

pytestmark = pytest.mark.django_db

HUGE = str(2**70)


def _fields(response) -> list[str]:
    assert response.status_code == 422, (response.status_code, response.content)
    return [error["field"] for error in response.json()["detail"]]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/proposals?offset={HUGE}", "query.offset"),
        ("/api/proposals?offset=2147483648", "query.offset"),
        ("/api/cases?offset=-1", "query.offset"),
        (f"/api/proposals?round={HUGE}", "query.round"),
        (f"/api/decisions?year={HUGE}", "query.year"),
        (f"/api/leases?unit_id={HUGE}", "query.unit_id"),
        (f"/api/leases?offset={HUGE}", "query.offset"),
        (f"/api/units?min_occupants={HUGE}", "query.min_occupants"),
        (f"/api/proposals/{HUGE}", "path.proposal_id"),
        ("/api/proposals/0", "path.proposal_id"),
        (f"/api/cases/{HUGE}", "path.case_id"),
        ("/api/cases/-5", "path.case_id"),
        (f"/api/decisions/{HUGE}", "path.decision_id"),
        (f"/api/units/{HUGE}", "path.unit_id"),
        (f"/api/matching-rounds/{HUGE}", "path.round_id"),
        (f"/api/simulations/{HUGE}", "path.run_id"),
        ("/api/finance/grants?budget_year=99999", "query.budget_year"),
        ("/api/finance/basic-loan?cost_nok=" + HUGE + "&year=2015", "query.cost_nok"),
    ],
)
def test_a_number_out_of_range_is_422_naming_it(api_as, imdi_officer, path, field):
    assert _fields(api_as("imdi_officer").get(path)) == [field]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/units?available_by=9999-12-31", "query.available_by"),
        ("/api/regions/counties?on=0001-01-01", "query.on"),
        ("/api/reports/kpis?start=9999-01-01&end=9999-12-31", "query.start"),
        (
            "/api/finance/start-loan-candidates?municipality=1201&as_of=9999-12-31",
            "query.as_of",
        ),
    ],
)
def test_a_day_out_of_range_is_422_naming_it(api_as, imdi_officer, path, field):
    assert field in _fields(api_as("imdi_officer").get(path))


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/cases?municipality=12%0001", "query.municipality"),
        ("/api/knowledge/examples?q=bolig%00", "query.q"),
        ("/api/reports/tables?area=national%00", "query.area"),
        ("/api/housing-gap?area=%00", "query.area"),
        ("/api/finance/economy/H2012%00", "path.reference"),
        ("/api/coordination/pairs/hb-vest%00", "path.slug"),
        ("/api/knowledge/comparable/12%0001", "path.number"),
    ],
)
def test_a_control_character_in_a_query_or_path_is_422_naming_it(api_as, imdi_officer, path, field):
    assert _fields(api_as("imdi_officer").get(path)) == [field]


def test_a_nul_byte_in_a_decision_note_is_422_naming_the_note(api_as, imdi_officer):
    body = {"municipality_number": "1201", "year": 2031, "persons": 10, "note": "ok\x00"}
    response = api_as("imdi_officer").post("/api/decisions", body)
    assert _fields(response) == ["body.payload.note"]
    assert "U+0000" in response.json()["detail"][0]["message"]


def test_tabs_and_line_breaks_are_kept_in_a_note(api_as, imdi_officer):
    body = {"municipality_number": "1201", "year": 2016, "persons": 10, "note": "a\tb\r\nc"}
    response = api_as("imdi_officer").post("/api/decisions", body)
    assert response.status_code == 201, response.content
    assert response.json()[0]["note"] == "a\tb\r\nc"


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_in_a_decline_text_is_422(api_as, imdi_officer, character):
    proposal = make_sent_proposal("1201")
    response = api_as("imdi_officer").post(
        f"/api/proposals/{proposal.pk}/decline", {"reason": "other", "text": f"nei{character}"}
    )
    assert _fields(response) == ["body.payload.text"]
    proposal.refresh_from_db()
    assert proposal.status == "sent"


def test_a_line_break_in_a_one_line_field_is_422(api_as, imdi_officer):
    body = {"username": "imdi_officer\n", "password": "x"}
    assert _fields(api_as("anonymous").post("/api/token", body)) == ["body.payload.username"]


def test_a_too_long_text_is_422(api_as, imdi_officer):
    body = {"municipality_number": "1201", "year": 2031, "persons": 10, "note": "x" * 2001}
    assert _fields(api_as("imdi_officer").post("/api/decisions", body)) == ["body.payload.note"]


def test_a_decision_for_a_million_persons_is_422(api_as, imdi_officer):
    body = {"municipality_number": "1201", "year": 2031, "persons": 10**6}
    assert _fields(api_as("imdi_officer").post("/api/decisions", body)) == ["body.payload.persons"]


def test_a_unit_for_5000_persons_is_422(api_as, imdi_officer):
    body = {
        "municipality": "1201",
        "code": "api-huge",
        "kind": "municipal",
        "bedrooms": 2,
        "max_occupants": 5000,
        "zone": "1201-1",
    }
    assert _fields(api_as("imdi_officer").post("/api/units", body)) == [
        "body.payload.max_occupants"
    ]


def test_an_arrival_in_norway_after_the_business_date_is_422(api_as, imdi_officer):
    household = make_case("settled", municipality="1201")
    response = api_as("imdi_officer").put(
        f"/api/finance/economy/{household.reference}", {"arrived_in_norway_on": "2099-01-01"}
    )
    assert _fields(response) == ["body.payload.arrived_in_norway_on"]


@pytest.mark.parametrize(
    "body",
    ["[]", '"x"', "1", "null", '{"scenario": "baseline", "overrides": {"x": NaN}}', "{"],
)
def test_a_body_that_is_not_a_json_object_is_400(api_as, imdi_officer, body):
    """ninja would read ``[]`` as a body whose fields all have their defaults, and Python's JSON
    reader takes NaN and Infinity: the API's parser refuses both."""
    for path in ("/api/simulations", "/api/finance/eligibility"):
        response = api_as("imdi_officer").post(path, body)
        assert response.status_code == 400, (path, response.content)
        assert response.json() == {"detail": "Cannot parse request body"}
