"""POST /api/matching-rounds and GET /api/matching-rounds/{id}: IMDi starts and polls rounds."""

import pytest
from tests.apps.jobs.helpers import use_immediate_tasks

from bosetting.apps.matching.models import MatchingRound

from .world import make_case, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_world(reference_db, db, settings):
    from bosetting.apps.planning.models import CouncilDecision

    from .world import muni

    use_immediate_tasks(settings)
    CouncilDecision.objects.create(municipality=muni("1201"), year=2016, persons=10)
    make_case("ready", birth_years=(1980, 2008))
    make_unit("1201")


# Bergen lies in Hordaland, whose county governor holds IMDi's settlement role from 2015 (the pilot):
# IMDi Vest's round leaves Bergen out, the county governor's round proposes there.
@pytest.mark.parametrize(
    ("persona", "status", "proposals"),
    [
        ("imdi_officer", 202, 1),
        ("imdi_regional_officer", 202, 0),
        ("county_governor", 202, 1),
        ("municipal_officer", 403, 0),
        ("other_municipal_officer", 403, 0),
        ("husbanken_advisor", 403, 0),
        ("county_governor_outside_pilot", 403, 0),
        ("analyst", 403, 0),
        ("anonymous", 401, 0),
    ],
)
def test_start_round_matrix(api_as, small_world, persona, status, proposals):
    client = api_as(persona)
    response = client.post("/api/matching-rounds", {"as_of": "2016-02-01", "time_limit_seconds": 5})
    assert response.status_code == status, response.content
    assert MatchingRound.objects.count() == (1 if status == 202 else 0)
    if status == 202:
        round_id = response.json()["id"]
        polled = client.get(f"/api/matching-rounds/{round_id}")
        assert polled.status_code == 200
        data = polled.json()
        assert data["status"] == "done", data["error"]
        assert data["proposals"] == proposals and data["summary"]["households_in"] == 1


def test_polling_is_imdi_only_and_404_for_another_regions_round(api_as, small_world):
    oslo_round = MatchingRound.objects.create(as_of="2016-02-01", scope_municipalities=["0301"])
    assert api_as("imdi_officer").get(f"/api/matching-rounds/{oslo_round.pk}").status_code == 200
    assert (
        api_as("imdi_regional_officer").get(f"/api/matching-rounds/{oslo_round.pk}").status_code
        == 404
    )
    assert (
        api_as("municipal_officer").get(f"/api/matching-rounds/{oslo_round.pk}").status_code == 403
    )
    assert api_as("anonymous").get(f"/api/matching-rounds/{oslo_round.pk}").status_code == 401


def test_a_regional_officer_cannot_run_another_region(api_as, small_world):
    response = api_as("imdi_regional_officer").post(
        "/api/matching-rounds", {"as_of": "2016-02-01", "municipality_numbers": ["0301"]}
    )
    assert response.status_code == 403 and "0301" in response.json()["detail"]
    assert MatchingRound.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"as_of": "2016-13-01"}, "body.payload.as_of"),
        ({"as_of": "2016-02-01", "solver": "magic"}, "body.payload.solver"),
        ({"as_of": "2016-02-01", "time_limit_seconds": 0}, "body.payload.time_limit_seconds"),
        ({}, "body.payload.as_of"),
    ],
)
def test_bad_round_input_is_422_naming_the_field(api_as, small_world, body, field):
    response = api_as("imdi_officer").post("/api/matching-rounds", body)
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["detail"]]
