"""Letters as PDF ("brev"): IMDi's request to a municipality, the settlement agreement and the notice
of a proposal — made from live data, in bokmål, archived on their object with date and author,
audited, and downloadable by whoever may see the object. Tests read the PDF's text."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from tests.apps.cases.world import make_household, make_unit
from tests.clock import on_business_day
from tests.factories import ProposalFactory, SettlementRequestFactory
from tests.factories import municipality as muni
from tests.pdf import pdf_pages, pdf_text

from bosetting.apps.audit.models import AccessEntry, AuditEntry
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.services import do_book
from bosetting.apps.letters.models import Letter
from bosetting.apps.lifecycle.services import TransitionError, do_make_agreement_letter
from bosetting.apps.matching.models import Proposal
from bosetting.apps.matching.services import do_make_proposal_letter
from bosetting.apps.planning.models import NationalNeed
from bosetting.apps.planning.services import do_make_request_letter

pytestmark = [pytest.mark.django_db, on_business_day]


@pytest.fixture
def bergen_request(reference_db):
    """A three-year request to Bergen: 40 persons a year, 5 of them unaccompanied minors."""
    NationalNeed.objects.create(year=2015, persons=10500)
    rows = [
        SettlementRequestFactory(
            number="1201", year=y, persons=40, uam_persons=5, period_start=2015, period_years=3
        )
        for y in (2015, 2016, 2017)
    ]
    return rows[1]


@pytest.fixture
def agreed_household(reference_db):
    """A family agreed with Bergen on 2 January 2015, its flat reserved, a health note on file."""
    unit = make_unit("1201", max_occupants=4)
    h = make_household(
        CaseStatus.PREPARING,
        ages=(41, 39, 9),
        municipality="1201",
        needs=["accessible"],
        health_note="Diabetes, trenger fastlege raskt (test)",
    )
    h.unit, h.agreement_on = unit, date(2015, 1, 2)
    h.save()
    do_book(None, unit, h, start=date(2015, 1, 5), status=BookingStatus.RESERVED)
    return h


def test_the_request_letter_holds_the_municipality_and_every_year_of_the_period(
    bergen_request, imdi_regional_officer
):
    letter = do_make_request_letter(imdi_regional_officer, bergen_request.pk)
    text = pdf_text(letter.pdf)
    assert letter.pages == pdf_pages(letter.pdf) >= 1
    assert "Bergen kommune" in text and "IMDi Vest" in text
    assert "Anmodning om bosetting av flyktninger i 2015–2017" in text
    for year in ("2015", "2016", "2017"):
        assert f"{year} 40 5" in text
    assert "Sum 120 15" in text and "10 500 personer" in text
    assert "5. januar 2015" in text  # dated on the business day
    assert (letter.object_type, letter.object_id) == (
        "planning.settlementrequest",
        bergen_request.pk,
    )
    assert letter.made_by == imdi_regional_officer and letter.dated == date(2015, 1, 5)


def test_only_imdi_makes_request_letters(bergen_request, municipal_officer, imdi_officer):
    with pytest.raises(PermissionDenied):
        do_make_request_letter(municipal_officer, bergen_request.pk)
    do_make_request_letter(imdi_officer, bergen_request.pk)
    do_make_request_letter(None, bergen_request.pk)  # the system, e.g. when a plan is approved
    assert Letter.objects.count() == 2  # each a version of its own


def test_making_a_letter_is_audited_on_its_object(bergen_request, imdi_officer):
    letter = do_make_request_letter(imdi_officer, bergen_request.pk)
    entry = AuditEntry.objects.get(action="letter")
    assert entry.object_type == "planning.settlementrequest"
    assert entry.object_id == str(bergen_request.pk)
    assert entry.after["letter"] == letter.pk and entry.after["sha256"] == letter.sha256


def test_the_agreement_names_the_household_and_its_flat_never_the_health_note(
    agreed_household, municipal_officer
):
    letter = do_make_agreement_letter(municipal_officer, agreed_household.pk)
    text = pdf_text(letter.pdf)
    assert f"Avtale om bosetting av husholdning {agreed_household.reference}" in text
    assert "Bergen kommune" in text and "2. januar 2015" in text
    assert "Familie med barn" in text and "Antall personer 3" in text
    assert "1974" in text and "2006" in text  # birth years, never names
    assert agreed_household.unit.code in text and "9 000 kr" in text
    assert "Tilgjengelig bolig" in text  # the need by its label, not its code
    assert "Diabetes" not in text and "accessible" not in text


def test_no_agreement_before_it_is_made(imdi_officer):
    h = make_household(CaseStatus.ACCEPTED, municipality="1201")
    with pytest.raises(TransitionError):
        do_make_agreement_letter(imdi_officer, h.pk)


def test_another_municipality_makes_no_agreement_for_bergens_household(
    agreed_household, other_municipal_officer, husbanken_advisor
):
    for user in (other_municipal_officer, husbanken_advisor):
        with pytest.raises(PermissionDenied):
            do_make_agreement_letter(user, agreed_household.pk)


def test_the_proposal_notice_gives_the_household_the_flat_and_the_deadline(
    reference_db, municipal_officer
):
    household = make_household(
        CaseStatus.PROPOSED, ages=(30, 4), municipality="1201", ties=["1201"]
    )
    proposal = ProposalFactory(number="1201", household=household)
    from tests.factories import CouncilDecisionFactory

    CouncilDecisionFactory(number="1201", year=2015, persons=250)
    letter = do_make_proposal_letter(municipal_officer, proposal.pk)
    text = pdf_text(letter.pdf)
    assert f"Forespørsel om bosetting av husholdning {household.reference}" in text
    assert "Bergen kommune" in text and "2015 (250 personer)" in text
    assert "Alder 30, 4 år" in text and "Ja, familie eller nettverk i kommunen" in text
    assert proposal.unit.code in text and "19. januar 2015" in text  # sent 5 Jan + 14 days


def test_no_notice_of_a_draft_or_of_another_municipalitys_proposal(
    reference_db, imdi_officer, other_municipal_officer
):
    draft = ProposalFactory(number="1201", status=Proposal.Status.DRAFT, sent_on=None)
    with pytest.raises(ObjectDoesNotExist):
        do_make_proposal_letter(imdi_officer, draft.pk)
    sent = ProposalFactory(number="1201")
    with pytest.raises(ObjectDoesNotExist):
        do_make_proposal_letter(other_municipal_officer, sent.pk)


# --- downloading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 200),
        ("imdi_regional_officer", 200),
        ("municipal_officer", 200),
        ("other_municipal_officer", 404),
        ("husbanken_advisor", 200),
        ("county_governor", 200),
        ("analyst", 200),
    ],
)
def test_a_request_letter_downloads_for_whoever_sees_the_request(
    client, bergen_request, imdi_officer, persona, expected, request
):
    letter = do_make_request_letter(imdi_officer, bergen_request.pk)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/brev/{letter.pk}.pdf")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content == bytes(letter.pdf)


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 200),
        ("imdi_regional_officer", 200),
        ("municipal_officer", 200),
        ("other_municipal_officer", 404),
        ("husbanken_advisor", 404),
        ("county_governor", 200),  # Hordaland's pilot: it sees and acts on Bergen's cases from 2015
        ("county_governor_outside_pilot", 404),
        ("analyst", 404),
    ],
)
def test_an_agreement_downloads_only_for_those_who_see_the_case(
    client, agreed_household, imdi_officer, persona, expected, request
):
    letter = do_make_agreement_letter(imdi_officer, agreed_household.pk)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(f"/brev/{letter.pk}.pdf").status_code == expected
    logged = AccessEntry.objects.filter(user=user, action="export", object_type="letters.letter")
    assert logged.exists() == (expected == 200)


def test_anonymous_is_sent_to_login(client, bergen_request, imdi_officer):
    letter = do_make_request_letter(imdi_officer, bergen_request.pk)
    response = client.get(f"/brev/{letter.pk}.pdf")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


# --- the pages ------------------------------------------------------------------------------------------


def test_the_case_page_makes_and_lists_the_agreement(client, agreed_household, municipal_officer):
    client.force_login(municipal_officer)
    page = client.get(f"/saker/{agreed_household.pk}/").content.decode()
    assert 'data-testid="make-agreement"' in page and "Ingen brev laget ennå." in page
    response = client.post(f"/saker/{agreed_household.pk}/avtale/")
    assert response.status_code == 302
    letter = Letter.objects.get()
    page = client.get(f"/saker/{agreed_household.pk}/").content.decode()
    assert f"/brev/{letter.pk}.pdf" in page and "laget av municipal_officer" in page


def test_the_case_page_makes_the_notice_of_a_proposal(client, reference_db, imdi_officer):
    proposal = ProposalFactory(number="1201")
    client.force_login(imdi_officer)
    page = client.get(f"/saker/{proposal.household_id}/").content.decode()
    assert 'data-testid="make-proposal-letter"' in page
    client.post(f"/saker/forslag/{proposal.pk}/brev/")
    assert Letter.objects.get().object_id == proposal.pk


def test_the_request_page_makes_the_letter_for_imdi_only(
    client, bergen_request, imdi_officer, municipal_officer
):
    client.force_login(municipal_officer)
    page = client.get(f"/planlegging/anmodninger/{bergen_request.pk}/").content.decode()
    assert "Bergen" in page and 'data-testid="make-request-letter"' not in page
    assert client.post(f"/planlegging/anmodninger/{bergen_request.pk}/brev/").status_code == 403
    client.force_login(imdi_officer)
    assert client.post(f"/planlegging/anmodninger/{bergen_request.pk}/brev/").status_code == 302
    page = client.get(f"/planlegging/anmodninger/{bergen_request.pk}/").content.decode()
    assert "Anmodning om bosetting av flyktninger i 2015–2017 (PDF)" in page
    assert muni("1201").name in page
