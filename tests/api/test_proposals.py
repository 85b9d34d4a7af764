"""GET /api/proposals, POST /api/proposals/{id}/accept|decline: the receiving municipality answers."""

import pytest
from tests.clock import on_business_day

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.matching.models import Proposal

from .world import make_sent_proposal

pytestmark = [pytest.mark.django_db, on_business_day]

# Answering Bergen's proposal: Bergen (or the settlement authority for it) may; Oslo cannot even see it
# (404); roles without personal data are refused (403); the anonymous must log in (401). Bergen lies in
# Hordaland, whose county governor holds IMDi's regional role from 2015 (the pilot): IMDi Vest sees
# the proposal but may not answer for Bergen (403), the county governor may.
ANSWER_MATRIX = [
    ("imdi_officer", 200),
    ("imdi_regional_officer", 403),
    ("county_governor", 200),
    ("municipal_officer", 200),
    ("other_municipal_officer", 404),
    ("husbanken_advisor", 403),
    ("county_governor_outside_pilot", 403),
    ("analyst", 403),
    ("anonymous", 401),
]


@pytest.fixture
def bergen_proposal(reference_db, db):
    return make_sent_proposal("1201")


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("imdi_officer", 200, True),
        ("imdi_regional_officer", 200, True),
        ("county_governor", 200, True),
        ("municipal_officer", 200, True),
        ("other_municipal_officer", 200, False),
        ("husbanken_advisor", 403, False),
        ("county_governor_outside_pilot", 403, False),
        ("analyst", 403, False),
        ("anonymous", 401, False),
    ],
)
def test_proposal_list_matrix(api_as, bergen_proposal, persona, status, sees):
    response = api_as(persona).get("/api/proposals")
    assert response.status_code == status
    if status == 200:
        ids = [p["id"] for p in response.json()["items"]]
        assert ids == ([bergen_proposal.pk] if sees else [])


def test_a_municipality_never_sees_drafts(api_as, reference_db, db):
    draft = make_sent_proposal("1201", status=Proposal.Status.DRAFT)
    assert api_as("municipal_officer").get("/api/proposals").json()["items"] == []
    assert api_as("municipal_officer").get(f"/api/proposals/{draft.pk}").status_code == 404
    assert api_as("imdi_officer").get(f"/api/proposals/{draft.pk}").status_code == 200


@pytest.mark.parametrize(("persona", "status"), ANSWER_MATRIX)
def test_accept_matrix(api_as, bergen_proposal, persona, status):
    response = api_as(persona).post(f"/api/proposals/{bergen_proposal.pk}/accept")
    assert response.status_code == status, response.content
    bergen_proposal.refresh_from_db()
    bergen_proposal.household.refresh_from_db()
    if status == 200:
        assert response.json()["status"] == "accepted"
        assert bergen_proposal.household.status == "accepted"
        assert AuditEntry.objects.filter(action="accept", object_type="matching.proposal").exists()
    else:
        assert bergen_proposal.status == "sent" and bergen_proposal.household.status == "proposed"


@pytest.mark.parametrize(("persona", "status"), ANSWER_MATRIX)
def test_decline_matrix(api_as, bergen_proposal, persona, status):
    response = api_as(persona).post(
        f"/api/proposals/{bergen_proposal.pk}/decline",
        {"reason": "housing_unavailable", "text": "Boligen er utleid"},
    )
    assert response.status_code == status, response.content
    bergen_proposal.refresh_from_db()
    bergen_proposal.household.refresh_from_db()
    if status == 200:
        assert response.json()["decline_reason"] == "housing_unavailable"
        # Back in the queue with its waiting time (the permit date) intact.
        assert bergen_proposal.household.status == "ready"
        assert str(bergen_proposal.household.permit_date) == "2014-06-01"
    else:
        assert bergen_proposal.status == "sent"


def test_an_unknown_decline_reason_is_422_naming_it(api_as, bergen_proposal):
    response = api_as("municipal_officer").post(
        f"/api/proposals/{bergen_proposal.pk}/decline", {"reason": "too_big"}
    )
    assert response.status_code == 422
    assert "body.payload.reason" in [e["field"] for e in response.json()["detail"]]


def test_other_needs_a_text(api_as, bergen_proposal):
    response = api_as("municipal_officer").post(
        f"/api/proposals/{bergen_proposal.pk}/decline", {"reason": "other"}
    )
    assert response.status_code == 422
    bergen_proposal.refresh_from_db()
    assert bergen_proposal.status == "sent"


def test_answering_twice_is_refused_and_changes_nothing(api_as, bergen_proposal):
    client = api_as("municipal_officer")
    assert client.post(f"/api/proposals/{bergen_proposal.pk}/accept").status_code == 200
    again = client.post(
        f"/api/proposals/{bergen_proposal.pk}/decline", {"reason": "other", "text": "Angret"}
    )
    assert again.status_code == 422 and "besvart" in again.json()["detail"][0]["message"]
    bergen_proposal.refresh_from_db()
    assert bergen_proposal.status == "accepted"


def test_a_step_the_case_does_not_allow_is_409_and_changes_nothing(api_as, bergen_proposal):
    household = bergen_proposal.household
    household.status = "settled"  # settled elsewhere meanwhile
    household.save()
    response = api_as("municipal_officer").post(f"/api/proposals/{bergen_proposal.pk}/accept")
    assert response.status_code == 409
    assert "Bosatt" in response.json()["detail"]
    bergen_proposal.refresh_from_db()
    assert bergen_proposal.status == "sent"
