"""GET /api/cases and /api/cases/{id}: personal data only for the roles whose duty needs it."""

import pytest
from tests.clock import on_business_day

from .world import make_case

pytestmark = [pytest.mark.django_db, on_business_day]

# Who sees which of three cases: Bergen's (proposed there), Oslo's (settled there), and one in the
# national queue (no municipality yet). Hordaland's county governor holds IMDi's settlement role in
# its county from 2015 (the pilot) and sees as IMDi's regional office does.
MATRIX = [
    ("imdi_officer", 200, {"bergen", "oslo", "queue"}),
    ("imdi_regional_officer", 200, {"bergen", "queue"}),
    ("county_governor", 200, {"bergen", "queue"}),
    ("municipal_officer", 200, {"bergen"}),
    ("other_municipal_officer", 200, {"oslo"}),
    ("husbanken_advisor", 403, None),
    ("county_governor_outside_pilot", 403, None),
    ("analyst", 403, None),
    ("anonymous", 401, None),
]


@pytest.fixture
def three_cases(reference_db, db):
    return {
        "bergen": make_case("proposed", municipality="1201"),
        "oslo": make_case("settled", municipality="0301"),
        "queue": make_case("ready"),
    }


@pytest.mark.parametrize(("persona", "status", "visible"), MATRIX)
def test_case_list_matrix(api_as, three_cases, persona, status, visible):
    response = api_as(persona).get("/api/cases")
    assert response.status_code == status
    if visible is not None:
        refs = {c["reference"] for c in response.json()["items"]}
        assert refs == {three_cases[k].reference for k in visible}


@pytest.mark.parametrize(("persona", "status", "visible"), MATRIX)
def test_case_detail_matrix_is_404_outside_scope(api_as, three_cases, persona, status, visible):
    client = api_as(persona)
    for key, household in three_cases.items():
        response = client.get(f"/api/cases/{household.pk}")
        if visible is None:
            assert response.status_code == status
        else:
            assert response.status_code == (200 if key in visible else 404), key


def test_filters_by_status_and_municipality(api_as, three_cases):
    client = api_as("imdi_officer")
    ready = client.get("/api/cases", {"status": "ready"}).json()
    assert [c["reference"] for c in ready["items"]] == [three_cases["queue"].reference]
    oslo = client.get("/api/cases", {"municipality": "0301"}).json()
    assert [c["reference"] for c in oslo["items"]] == [three_cases["oslo"].reference]


def test_an_unknown_status_filter_is_422_naming_it(api_as, three_cases):
    response = api_as("imdi_officer").get("/api/cases", {"status": "lost"})
    assert response.status_code == 422
    assert "query.status" in [e["field"] for e in response.json()["detail"]]


def test_detail_has_persons_without_names_and_the_timeline(api_as, three_cases):
    data = api_as("imdi_officer").get(f"/api/cases/{three_cases['bergen'].pk}").json()
    assert data["size"] == 2 and [p["birth_year"] for p in data["persons"]] == [1980, 2008]
    assert set(data["persons"][0]) == {
        "birth_year",
        "sex",
        "is_principal",
        "arrived_by_reunification",
    }
    assert data["municipality_number"] == "1201" and data["wait_days"] > 0


def test_health_note_only_where_the_duty_needs_it(api_as, reference_db, db):
    proposed = make_case("proposed", municipality="1201", health_note="Trenger oppfølging")
    accepted = make_case("accepted", municipality="1201", health_note="Trenger oppfølging")
    imdi = api_as("imdi_officer")
    municipality = api_as("municipal_officer")
    assert imdi.get(f"/api/cases/{proposed.pk}").json()["health_note"] == "Trenger oppfølging"
    # The receiving municipality reads it only after accepting the household.
    assert municipality.get(f"/api/cases/{proposed.pk}").json()["health_note"] is None
    assert (
        municipality.get(f"/api/cases/{accepted.pk}").json()["health_note"] == "Trenger oppfølging"
    )


def test_the_list_never_carries_health_notes(api_as, reference_db, db):
    make_case("ready", health_note="Sensitivt")
    body = api_as("imdi_officer").get("/api/cases").content.decode()
    assert "Sensitivt" not in body and "health_note" not in body
