"""GET|POST /api/decisions: who may read and register council decisions."""

import pytest

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.planning.models import CouncilDecision

from .conftest import PERSONAS

pytestmark = pytest.mark.django_db


def _body(number="1201", **extra):
    return {"municipality_number": number, "year": 2016, "persons": 120, **extra}


def test_anonymous_gets_401_on_every_decision_endpoint(api_as):
    client = api_as("anonymous")
    assert client.get("/api/decisions").status_code == 401
    assert client.post("/api/decisions", _body()).status_code == 401
    assert CouncilDecision.objects.filter(year=2016).count() == 0


@pytest.mark.parametrize(
    ("persona", "expected_municipalities"),
    [
        ("imdi_officer", None),  # the whole country
        ("analyst", None),
        ("municipal_officer", {"1201"}),
        ("other_municipal_officer", {"0301"}),
        ("county_governor", "county 12"),
        ("imdi_regional_officer", "covers 1201"),
        ("husbanken_advisor", "covers 1201"),
    ],
)
def test_each_role_reads_the_decisions_of_its_scope(api_as, persona, expected_municipalities):
    response = api_as(persona).get("/api/decisions", {"year": 2014, "limit": 500})
    assert response.status_code == 200
    data = response.json()
    numbers = {d["municipality_number"] for d in data["items"]}
    assert data["count"] == len(numbers) > 0
    if expected_municipalities is None:
        assert len(numbers) > 300
    elif expected_municipalities == "county 12":
        assert numbers and all(n.startswith("12") for n in numbers)
    elif expected_municipalities == "covers 1201":
        assert "1201" in numbers and "0301" not in numbers
    else:
        assert numbers == expected_municipalities


def test_a_decision_carries_its_request_and_table_2_4_class(api_as):
    data = api_as("municipal_officer").get("/api/decisions", {"year": 2014}).json()
    (bergen,) = data["items"]
    assert bergen["provenance"] == "real" and bergen["requested_persons"] is not None
    expected = "in_line" if bergen["persons"] >= bergen["requested_persons"] else "fewer"
    assert bergen["classification"] == expected


def test_a_decision_outside_the_scope_is_404(api_as):
    oslo = CouncilDecision.objects.get(
        municipality__number="0301", municipality__structure_year=2014, year=2014
    )
    assert api_as("municipal_officer").get(f"/api/decisions/{oslo.pk}").status_code == 404
    assert api_as("other_municipal_officer").get(f"/api/decisions/{oslo.pk}").status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("imdi_officer", 201),
        ("imdi_regional_officer", 201),
        ("municipal_officer", 201),
        ("other_municipal_officer", 403),
        ("husbanken_advisor", 403),
        ("county_governor", 403),
        ("analyst", 403),
    ],
)
def test_registering_bergens_decision_matrix(api_as, persona, status):
    assert set(PERSONAS) >= {persona}
    response = api_as(persona).post("/api/decisions", _body("1201"))
    assert response.status_code == status, response.content
    written = CouncilDecision.objects.filter(municipality__number="1201", year=2016).count()
    assert written == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()[0]["persons"] == 120
        assert AuditEntry.objects.filter(object_type="planning.councildecision").count() == 1


def test_a_three_year_decision_returns_three_rows(api_as):
    response = api_as("municipal_officer").post("/api/decisions", _body(period_years=3))
    assert response.status_code == 201
    assert [d["year"] for d in response.json()] == [2016, 2017, 2018]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_body(persons=-1), "body.payload.persons"),
        (_body(period_years=2), "body.payload.period_years"),
        (_body(number="12x1"), "body.payload.municipality_number"),
        (_body(persons=5, uam_persons=9), "body.uam_persons"),
        (_body(number="9998"), "body.municipality_number"),
    ],
)
def test_validation_errors_are_422_naming_the_field(api_as, body, field):
    response = api_as("imdi_officer").post("/api/decisions", body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]]
    assert CouncilDecision.objects.filter(year=2016).count() == 0


def test_a_three_year_decision_over_an_existing_year_is_409_and_changes_nothing(api_as):
    client = api_as("municipal_officer")
    assert client.post("/api/decisions", _body(persons=80)).status_code == 201
    three = _body(year=2015, period_years=3, persons=99)
    response = client.post("/api/decisions", three)
    assert response.status_code == 409
    assert "2016" in response.json()["detail"] and "80 personer" in response.json()["detail"]
    assert list(
        CouncilDecision.objects.filter(
            municipality__number="1201", year__range=(2015, 2017)
        ).values_list("year", "persons")
    ) == [(2016, 80)]
    assert client.post("/api/decisions", {**three, "replace": True}).status_code == 201
    assert sorted(
        CouncilDecision.objects.filter(
            municipality__number="1201", year__range=(2015, 2017)
        ).values_list("year", "persons")
    ) == [(2015, 99), (2016, 99), (2017, 99)]
