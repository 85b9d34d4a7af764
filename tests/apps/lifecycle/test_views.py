"""Case pages: permission matrix for the worklist and case page, what each role sees, and the
checklist / transition forms (full page and HTMX fragment)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.apps.cases.world import make_household, make_unit
from tests.clock import on_business_day

from bosetting.apps.cases.choices import CaseStatus

pytestmark = [pytest.mark.django_db, on_business_day]
S = CaseStatus
PERSONAS = [
    "imdi_officer",
    "imdi_regional_officer",
    "municipal_officer",
    "other_municipal_officer",
    "husbanken_advisor",
    "county_governor",
    "county_governor_outside_pilot",
    "analyst",
]


@pytest.fixture
def bergen_case(reference_db):
    h = make_household(
        S.ACCEPTED, ages=(40, 12), municipality="1201", health_note="Trenger oppfølging (test)"
    )
    h.unit = make_unit("1201")
    h.save()
    return h


@pytest.fixture
def queue_case(reference_db):
    return make_household(S.READY, ages=(30,), permit_date=date(2013, 1, 1), health_note="Sensitiv")


def test_anonymous_is_sent_to_login(client, bergen_case):
    for url in ("/saker/", f"/saker/{bergen_case.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 200),
        ("imdi_regional_officer", 200),
        ("county_governor", 200),  # Hordaland's pilot: it holds IMDi's role for Bergen from 2015
        ("municipal_officer", 200),
        ("other_municipal_officer", 404),
        ("husbanken_advisor", 403),
        ("county_governor_outside_pilot", 403),
        ("analyst", 403),
    ],
)
def test_case_page_matrix_for_a_case_accepted_by_bergen(
    client, request, bergen_case, persona, expected
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(f"/saker/{bergen_case.pk}/")
    body = response.content.decode()
    assert response.status_code == expected
    if expected != 200:
        assert bergen_case.reference not in body
        assert "Trenger oppfølging" not in body
        assert 'data-testid="refused"' in body


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 200),
        ("imdi_regional_officer", 200),  # the national queue
        ("municipal_officer", 404),  # never proposed to Bergen
        ("husbanken_advisor", 403),
    ],
)
def test_case_page_matrix_for_a_case_in_the_queue(client, request, queue_case, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/saker/{queue_case.pk}/").status_code == expected


def test_health_note_shown_to_imdi_and_to_bergen_after_acceptance(
    client, bergen_case, imdi_officer, municipal_officer
):
    client.force_login(imdi_officer)
    assert "Trenger oppfølging" in client.get(f"/saker/{bergen_case.pk}/").content.decode()
    client.force_login(municipal_officer)
    assert "Trenger oppfølging" in client.get(f"/saker/{bergen_case.pk}/").content.decode()


def test_health_note_hidden_from_the_municipality_before_acceptance(
    client, municipal_officer, reference_db
):
    h = make_household(S.PROPOSED, municipality="1201", health_note="Hemmelig helse")
    client.force_login(municipal_officer)
    body = client.get(f"/saker/{h.pk}/").content.decode()
    assert "Hemmelig helse" not in body and 'data-testid="health-hidden"' in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_worklist_opens_for_every_role(client, request, persona, queue_case):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/saker/").status_code == 200


def test_imdi_worklist_shows_the_queue_with_overdue_highlighted(client, imdi_officer, queue_case):
    fresh = make_household(S.READY, ages=(30,), permit_date=date.today())
    client.force_login(imdi_officer)
    body = client.get("/saker/").content.decode()
    assert queue_case.reference in body and fresh.reference in body
    assert body.index(queue_case.reference) < body.index(fresh.reference)  # priority order
    assert 'class="overdue"' in body


def test_municipal_worklist_lists_nothing_of_the_queue(client, municipal_officer, queue_case):
    client.force_login(municipal_officer)
    body = client.get("/saker/").content.decode()
    assert queue_case.reference not in body and "Innkomne forslag" in body


@pytest.mark.parametrize(
    "persona", ["husbanken_advisor", "county_governor_outside_pilot", "analyst"]
)
def test_aggregate_roles_see_counts_but_no_references(client, request, persona, queue_case):
    client.force_login(request.getfixturevalue(persona))
    body = client.get("/saker/").content.decode()
    assert 'data-testid="status-counts"' in body and queue_case.reference not in body


def test_pilot_county_governor_gets_the_queue_worklist_and_imdi_vest_a_read_only_notice(
    client, county_governor, imdi_regional_officer, bergen_case, queue_case
):
    client.force_login(county_governor)
    body = client.get("/saker/?status=").content.decode()
    assert 'data-testid="queue"' in body and 'data-testid="pilot-notice"' in body
    assert queue_case.reference in body and bergen_case.reference in body
    assert "du har IMDis regionale bosettingsmyndighet i Hordaland" in body
    case_page = client.get(f"/saker/{bergen_case.pk}/").content.decode()
    assert 'name="to_status"' in case_page  # it may take the case's steps
    client.force_login(imdi_regional_officer)
    body = client.get("/saker/?status=").content.decode()
    assert "Du ser sakene der, men handler ikke på dem." in body
    case_page = client.get(f"/saker/{bergen_case.pk}/").content.decode()
    assert bergen_case.reference in case_page and 'name="to_status"' not in case_page


def test_checklist_items_are_saved_one_by_one_with_htmx_fragments(
    client, municipal_officer, bergen_case
):
    client.force_login(municipal_officer)
    url = f"/saker/{bergen_case.pk}/sjekkliste/"
    fragment = client.post(url + "gp/", {"done": ["0", "1"]}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in body
    assert 'id="cl-item-gp"' in body and 'hx-swap-oob="true"' in body
    assert 'data-testid="cl-school"' not in body  # only the item and the summary come back
    client.post(url + "school/", {"done": ["0", "1"]}, HTTP_HX_REQUEST="true")
    bergen_case.checklist.refresh_from_db()
    assert bergen_case.checklist.gp and bergen_case.checklist.school
    full = client.post(url + "school/", {"done": "0"})
    assert full.status_code == 302 and full["Location"] == f"/saker/{bergen_case.pk}/"
    bergen_case.checklist.refresh_from_db()
    assert bergen_case.checklist.gp and not bergen_case.checklist.school


def test_a_stale_page_unticking_nothing_keeps_the_other_officers_tick(
    client, municipal_officer, imdi_officer, bergen_case
):
    """Two officers with the same page open: each tick changes only its own item."""
    client.force_login(municipal_officer)
    client.post(f"/saker/{bergen_case.pk}/sjekkliste/gp/", {"done": ["0", "1"]})
    client.force_login(imdi_officer)
    client.post(f"/saker/{bergen_case.pk}/sjekkliste/school/", {"done": ["0", "1"]})
    bergen_case.checklist.refresh_from_db()
    assert bergen_case.checklist.gp and bergen_case.checklist.school


def test_other_municipality_cannot_post_to_bergens_checklist(
    client, other_municipal_officer, bergen_case
):
    client.force_login(other_municipal_officer)
    response = client.post(f"/saker/{bergen_case.pk}/sjekkliste/gp/", {"done": "1"})
    assert response.status_code == 404


def test_settling_through_the_page_refuses_an_incomplete_checklist(
    client, municipal_officer, bergen_case
):
    client.force_login(municipal_officer)
    client.post(f"/saker/{bergen_case.pk}/status/", {"to_status": "preparing", "on": "2015-01-10"})
    response = client.post(
        f"/saker/{bergen_case.pk}/status/",
        {"to_status": "settled", "on": "2015-02-01"},
        follow=True,
    )
    assert "Sjekklisten er ikke fullført" in response.content.decode()
    bergen_case.refresh_from_db()
    assert bergen_case.status == S.PREPARING


def test_case_page_shows_its_audit_trail(client, imdi_officer, reference_db):
    h = make_household(S.INTERVIEWED)
    client.force_login(imdi_officer)
    client.post(f"/saker/{h.pk}/status/", {"to_status": "ready", "on": "2015-01-02"})
    body = client.get(f"/saker/{h.pk}/").content.decode()
    assert 'data-testid="audit-trail"' in body and "status=interviewed" in body
    assert "status=ready" in body


def test_municipality_reports_self_settlement_by_reference(client, municipal_officer, queue_case):
    client.force_login(municipal_officer)
    response = client.post(
        "/saker/selvbosetting/",
        {"reference": queue_case.reference, "deadline": "2099-01-01", "rent_nok": "8000"},
        follow=True,
    )
    body = response.content.decode()
    assert "sendt til IMDi" in body and 'data-testid="self-settlements"' in body
    queue_case.refresh_from_db()
    assert queue_case.status == S.SELF_SETTLEMENT_PENDING


def test_self_settlement_deadline_counts_down_and_turns_red(
    client, municipal_officer, imdi_officer, reference_db
):
    from datetime import timedelta

    from bosetting import clock
    from bosetting.apps.lifecycle import services

    soon = make_household(S.READY, ages=(30,))
    later = make_household(S.READY, ages=(31,))
    services.do_submit_self_settlement(
        municipal_officer, soon, "1201", clock.today() + timedelta(days=2), 7000, ""
    )
    services.do_submit_self_settlement(
        municipal_officer, later, "1201", clock.today() + timedelta(days=9), 7000, ""
    )
    for user in (municipal_officer, imdi_officer):
        client.force_login(user)
        body = client.get("/saker/").content.decode()
        table = body[body.index('data-testid="self-settlements"') :]
        # colour and words: red within the notice's three days, and the offer lapsing first
        assert (
            'class="badge bad" data-testid="days-left" data-days="2">2 dager igjen</span>' in table
        )
        assert (
            'class="badge ok" data-testid="days-left" data-days="9">9 dager igjen</span>' in table
        )
        assert table.index(soon.reference) < table.index(later.reference)
    assert "retten til introduksjonsprogram" in body


def test_arrived_family_members_are_registered_on_the_case_page(client, municipal_officer):
    h = make_household(S.SETTLED, ages=(40,), municipality="1201")
    client.force_login(municipal_officer)
    assert "Registrer ankomst" in client.get(f"/saker/{h.pk}/").content.decode()
    response = client.post(
        f"/saker/{h.pk}/gjenforening/ankommet/",
        {"birth_years": "1983, 2011", "on": "2015-03-01"},
        follow=True,
    )
    assert "husholdningen er nå 3 personer" in response.content.decode()
    assert h.persons.filter(arrived_by_reunification=True).count() == 2
    bad = client.post(f"/saker/{h.pk}/gjenforening/ankommet/", {"birth_years": "tja"}, follow=True)
    assert "fødselsårene som tall" in bad.content.decode()


def test_expected_reunification_is_registered_with_its_source_on_the_case_page(
    client, imdi_officer, queue_case
):
    from django.urls import reverse

    client.force_login(imdi_officer)
    url = reverse("lifecycle:reunification", args=[queue_case.pk])
    refused = client.post(url, {"persons": "2", "expected_on": "2015-06-01"}, follow=True)
    assert "Oppgi kilden" in refused.content.decode()
    page = client.post(
        url, {"persons": "2", "expected_on": "2015-06-01", "source": "application"}, follow=True
    ).content.decode()
    assert 'data-testid="reunification"' in page
    assert "kilde: Søknad om familiegjenforening" in page
    assert "Boligen må ha plass til 3 personer" in page
