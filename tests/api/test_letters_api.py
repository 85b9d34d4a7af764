"""Letters through the API: made by the object's service, listed and downloaded by whoever may see
the object; the PDF holds the municipality's name and the figures."""

from __future__ import annotations

from datetime import date

import pytest
from tests.clock import on_business_day
from tests.factories import ProposalFactory, SettlementRequestFactory
from tests.pdf import pdf_text

from .world import make_case

pytestmark = [pytest.mark.django_db, on_business_day]


@pytest.fixture
def agreed(reference_db):
    case = make_case("preparing", municipality="1201")
    case.agreement_on = date(2015, 1, 2)
    case.save()
    return case


def test_imdi_makes_a_request_letter_and_gets_the_pdf(api_as, reference_db):
    req = SettlementRequestFactory(number="1201", year=2016, persons=75, uam_persons=10)
    client = api_as("imdi_officer")
    response = client.post("/api/letters", {"kind": "request", "object_id": req.pk})
    assert response.status_code == 201, response.content
    letter = response.json()
    assert (letter["kind"], letter["municipality_number"], letter["pages"]) == (
        "request",
        "1201",
        1,
    )
    pdf = client.get(letter["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Bergen kommune" in text and "2016 75 10" in text


def test_the_agreement_and_the_proposal_notice(api_as, agreed, reference_db):
    client = api_as("municipal_officer")
    made = client.post("/api/letters", {"kind": "agreement", "object_id": agreed.pk})
    assert made.status_code == 201
    assert agreed.reference in pdf_text(client.get(made.json()["pdf_url"]).content)
    proposal = ProposalFactory(number="1201")
    notice = client.post("/api/letters", {"kind": "proposal", "object_id": proposal.pk})
    assert notice.status_code == 201
    listed = client.get("/api/letters").json()
    assert {x["kind"] for x in listed["items"]} == {"agreement", "proposal"}
    assert client.get("/api/letters", {"kind": "proposal"}).json()["count"] == 1


@pytest.mark.parametrize(
    "persona,make,read",
    [
        ("imdi_officer", 201, 200),
        # Bergen lies in Hordaland: from 2015 its county governor holds IMDi's regional role there
        # (the pilot, engine/rules/pilots.py); IMDi Vest reads the letter but does not make it.
        ("imdi_regional_officer", 403, 200),
        ("county_governor", 201, 200),
        ("municipal_officer", 201, 200),
        ("other_municipal_officer", 404, 404),
        ("husbanken_advisor", 403, 404),
        ("county_governor_outside_pilot", 403, 404),
        ("analyst", 403, 404),
        ("anonymous", 401, 401),
    ],
)
def test_the_agreement_matrix(api_as, agreed, persona, make, read):
    client = api_as(persona)
    assert (
        client.post("/api/letters", {"kind": "agreement", "object_id": agreed.pk}).status_code
        == make
    )
    letter = (
        api_as("imdi_officer")
        .post("/api/letters", {"kind": "agreement", "object_id": agreed.pk})
        .json()
    )
    assert client.get(f"/api/letters/{letter['id']}").status_code == read
    assert client.get(f"/api/letters/{letter['id']}/pdf").status_code == read


def test_refusals(api_as, reference_db):
    client = api_as("imdi_officer")
    early = make_case("accepted", municipality="1201")
    assert (
        client.post("/api/letters", {"kind": "agreement", "object_id": early.pk}).status_code == 409
    )
    assert client.post("/api/letters", {"kind": "request", "object_id": 999999}).status_code == 404
    assert client.post("/api/letters", {"kind": "memo", "object_id": 1}).status_code == 422
    req = SettlementRequestFactory(number="1201", year=2016)
    refused = api_as("municipal_officer").post(
        "/api/letters", {"kind": "request", "object_id": req.pk}
    )
    assert refused.status_code == 403
