"""Matching pages: who may open them, running a round from the form, the status fragment, sending,
and the municipality's answers as full page and HTMX fragment."""

from __future__ import annotations

import pytest
from django.conf import settings
from tests.apps.cases.world import make_decision, make_household, make_unit
from tests.apps.jobs.helpers import use_immediate_tasks
from tests.clock import on_business_day

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.matching.models import MatchingRound, Proposal

pytestmark = [pytest.mark.django_db, on_business_day]


@pytest.fixture
def world(settings, reference_db):
    use_immediate_tasks(settings)
    make_decision("1201", persons=8)
    make_decision("0301", persons=8)
    for n in ("1201", "1201", "0301"):
        make_unit(n, max_occupants=4)
    return [make_household(ages=(30, 4)), make_household(ages=(22,)), make_household(ages=(45,))]


def _run(client, **data) -> MatchingRound:
    response = client.post(
        "/utsoking/", {"as_of": "2015-01-05", "solver": "optimal", "time_limit": "5", **data}
    )
    assert response.status_code == 302
    rnd = MatchingRound.objects.latest("created_at")
    assert response["Location"] == f"/utsoking/{rnd.pk}/"
    return rnd


def test_anonymous_is_sent_to_login(client):
    for url in ("/utsoking/", "/utsoking/1/"):
        assert "/logg-inn/" in client.get(url)["Location"]


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 200),
        ("imdi_regional_officer", 200),
        ("county_governor", 200),
        ("municipal_officer", 403),
        ("husbanken_advisor", 403),
        ("county_governor_outside_pilot", 403),
        ("analyst", 403),
    ],
)
def test_rounds_page_matrix(client, request, persona, expected, reference_db):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/utsoking/").status_code == expected


def test_imdi_runs_reviews_and_sends_a_round(client, world, imdi_officer):
    client.force_login(imdi_officer)
    rnd = _run(client)
    body = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert 'data-testid="round-summary"' in body and "Poeng" in body
    assert 'data-testid="send-round"' in body
    # Sending is a bulk action: the button asks first and sends nothing.
    confirm = client.post(f"/saker/runder/{rnd.pk}/send/").content.decode()
    assert 'data-testid="confirm-send"' in confirm and "Bergen" in confirm
    assert not Household.objects.filter(status=CaseStatus.PROPOSED).exists()
    response = client.post(f"/saker/runder/{rnd.pk}/send/", {"confirm": "1"}, follow=True)
    assert "sendt til kommunene" in response.content.decode()
    assert Household.objects.filter(status=CaseStatus.PROPOSED).count() == rnd.proposals.count()
    page = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert 'data-testid="audit-trail"' in page and "status=sent" in page


def test_status_fragment_asks_for_a_reload_when_done(client, world, imdi_officer):
    client.force_login(imdi_officer)
    rnd = _run(client)
    fragment = client.get(f"/utsoking/{rnd.pk}/", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true"
    assert 'data-testid="round-status"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()


def test_status_fragment_keeps_polling_while_queued(client, world, imdi_officer):
    rnd = MatchingRound.objects.create(as_of="2015-01-05", created_by=imdi_officer)
    client.force_login(imdi_officer)
    fragment = client.get(f"/utsoking/{rnd.pk}/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment and 'hx-trigger="every 2s"' in fragment.content.decode()


def test_regional_officer_cannot_open_a_national_round(
    client, world, imdi_officer, imdi_regional_officer
):
    client.force_login(imdi_officer)
    rnd = _run(client)
    client.force_login(imdi_regional_officer)
    assert client.get(f"/utsoking/{rnd.pk}/").status_code == 404
    assert client.post(f"/saker/runder/{rnd.pk}/send/").status_code == 404


def test_regional_round_from_the_form_stays_in_the_region(client, world, imdi_regional_officer):
    """IMDi Vest's region outside the Hordaland pilot: no Bergen proposals, Oslo and Bergen refused."""
    client.force_login(imdi_regional_officer)
    rnd = _run(client)
    assert not rnd.proposals.exists() and "1201" not in rnd.scope_municipalities
    for number in ("0301", "1201"):
        refused = client.post(
            "/utsoking/", {"as_of": "2015-01-05", "time_limit": "5", "municipalities": number}
        )
        assert refused.status_code == 403


def test_the_pilot_county_governor_runs_and_sends_a_round_the_regional_office_only_sees(
    client, world, county_governor, imdi_regional_officer
):
    client.force_login(county_governor)
    page = client.get("/utsoking/").content.decode()
    assert 'data-testid="new-round"' in page and 'data-testid="pilot-notice"' in page
    rnd = _run(client)
    assert set(rnd.proposals.values_list("municipality__number", flat=True)) == {"1201"}
    assert 'data-testid="send-round"' in client.get(f"/utsoking/{rnd.pk}/").content.decode()
    client.force_login(imdi_regional_officer)
    seen = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert 'data-testid="round-read-only"' in seen and 'data-testid="send-round"' not in seen
    assert client.post(f"/saker/runder/{rnd.pk}/send/").status_code == 403
    client.force_login(county_governor)
    client.post(f"/saker/runder/{rnd.pk}/send/", {"confirm": "1"})
    assert Household.objects.filter(status=CaseStatus.PROPOSED).count() == rnd.proposals.count()


def _sent(client, imdi_officer) -> Proposal:
    client.force_login(imdi_officer)
    rnd = _run(client, municipalities="1201")
    client.post(f"/saker/runder/{rnd.pk}/send/", {"confirm": "1"})
    return rnd.proposals.filter(status=Proposal.Status.SENT).first()


def test_municipality_accepts_with_htmx_and_gets_the_row_back(
    client, world, imdi_officer, municipal_officer
):
    proposal = _sent(client, imdi_officer)
    client.force_login(municipal_officer)
    worklist = client.get("/saker/").content.decode()
    assert proposal.household.reference in worklist and 'data-testid="accept"' in worklist
    fragment = client.post(f"/saker/forslag/{proposal.pk}/aksepter/", HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert body.startswith("<tr") and "Akseptert" in body
    proposal.household.refresh_from_db()
    assert proposal.household.status == CaseStatus.ACCEPTED


def test_municipality_declines_without_js_and_is_sent_back_to_the_worklist(
    client, world, imdi_officer, municipal_officer
):
    proposal = _sent(client, imdi_officer)
    client.force_login(municipal_officer)
    response = client.post(
        f"/saker/forslag/{proposal.pk}/avsla/", {"reason": "housing_size", "text": "For liten"}
    )
    assert response.status_code == 302 and response["Location"] == "/saker/"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DECLINED


def test_decline_without_a_known_reason_shows_the_error_in_the_fragment(
    client, world, imdi_officer, municipal_officer
):
    proposal = _sent(client, imdi_officer)
    client.force_login(municipal_officer)
    fragment = client.post(
        f"/saker/forslag/{proposal.pk}/avsla/", {"reason": "nope"}, HTTP_HX_REQUEST="true"
    )
    assert "Ukjent avslagsgrunn" in fragment.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT


def test_oslo_cannot_answer_bergens_proposal(client, world, imdi_officer, other_municipal_officer):
    proposal = _sent(client, imdi_officer)
    client.force_login(other_municipal_officer)
    assert client.post(f"/saker/forslag/{proposal.pk}/aksepter/").status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT


def test_bergens_worklist_shows_what_is_left_of_its_decision(
    client, world, imdi_officer, municipal_officer
):
    from bosetting import clock

    make_decision("1201", persons=20, year=clock.today().year + 1)  # another year: not counted
    this_year = clock.today().year
    if this_year != 2015:
        make_decision("1201", persons=8, year=this_year)
    _sent(client, imdi_officer)
    client.force_login(municipal_officer)
    body = client.get("/saker/").content.decode()
    pending = sum(p.household.persons.count() for p in Proposal.objects.filter(status="sent"))
    assert pending > 0
    assert f"{8 - pending} / 8" in body


def test_the_round_page_explains_in_sentences_and_keeps_the_solver_figures_one_click_away(
    client, world, imdi_officer
):
    client.force_login(imdi_officer)
    rnd = _run(client)
    body = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert "passer i en bolig for inntil" in body and "har ventet" in body
    assert "får forslag" in body  # households and persons, not an objective
    assert 'data-testid="solver-figures"' in body and "<details" in body
    assert "Poeng " not in body.split('data-testid="round-proposals"')[1].split("</table>")[
        0
    ].replace("Poeng: ", "")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert "fits in a flat for up to" in english and "has waited" in english
