"""Coordination pages: readable by every logged-in role; writes only by the office pair's staff;
the joint report only by the municipality; the joint view only in the user's scope."""

from datetime import date

import pytest
from tests.clock import on_business_day

from bosetting.apps.coordination import selectors
from bosetting.apps.coordination.models import CoordinationEvent, JointReport

pytestmark = [pytest.mark.django_db, on_business_day]

PAGES = ["/samordning/", "/samordning/regioner/", "/samordning/satsinger/",
         "/samordning/par/hb-vest--imdi-vest/"]  # fmt: skip


def test_anonymous_is_sent_to_login(client, reference_db):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]


@pytest.mark.parametrize("persona", ["analyst", "county_governor", "municipal_officer",
                                     "husbanken_advisor", "imdi_officer"])  # fmt: skip
def test_every_logged_in_role_reads_the_coordination_pages(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_matrix_shows_table_5_2_values(client, analyst):
    client.force_login(analyst)
    body = client.get("/samordning/").content.decode()
    assert "Ja, men i liten grad" in body and "I høy grad" in body and "Trinn 4" in body
    assert "IMDi Sør hadde per juni 2014 ikke kommunesatsingsprosjekt" in body


def test_regions_page_names_vestfold_and_buskerud_overlaps(client, analyst):
    client.force_login(analyst)
    body = client.get("/samordning/regioner/").content.decode()
    assert "Vestfold" in body and "Buskerud" in body and "IMDi Indre Øst" in body


def test_husbanken_vest_adds_a_joint_meeting_to_its_own_pair(client, husbanken_advisor):
    client.force_login(husbanken_advisor)
    response = client.post(
        "/samordning/par/hb-vest--imdi-vest/",
        {"e-kind": "municipality_meeting", "e-title": "Felles møte med Askøy",
         "e-starts_on": "2015-02-03", "e-form": "joint_municipality_meetings"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    assert response.status_code == 200
    assert "Felles møte med Askøy" in response.content.decode()
    assert "<html" not in response.content.decode()  # the HTMX fragment only
    assert CoordinationEvent.objects.filter(title="Felles møte med Askøy").exists()


def test_husbanken_vest_may_not_write_to_another_pair(client, husbanken_advisor):
    client.force_login(husbanken_advisor)
    response = client.post(
        "/samordning/par/hb-midt--imdi-midt/",
        {"e-kind": "meeting", "e-title": "Ikke vårt"},
    )
    assert response.status_code == 403
    assert not CoordinationEvent.objects.filter(title="Ikke vårt").exists()


def test_analyst_sees_no_edit_forms_and_may_not_post(client, analyst):
    client.force_login(analyst)
    assert "Ny vurdering" not in client.get("/samordning/par/hb-vest--imdi-vest/").content.decode()
    response = client.post(
        "/samordning/par/hb-vest--imdi-vest/", {"e-kind": "meeting", "e-title": "x"}
    )
    assert response.status_code == 403


def test_imdi_vest_records_a_newer_assessment_that_becomes_current(client, imdi_regional_officer):
    client.force_login(imdi_regional_officer)
    response = client.post(
        "/samordning/par/hb-vest--imdi-vest/",
        {"a-form": "formal_agreement", "a-present": "yes", "a-as_of": "2015-06-01",
         "a-source": "Avtale signert"},
    )  # fmt: skip
    assert response.status_code == 302
    pair = selectors.pair_by_slug("hb-vest--imdi-vest")
    current = selectors.current_assessments(pair)["formal_agreement"]
    assert current.present is True and current.recorded_by == imdi_regional_officer
    # The report's value as of June 2014 is still there, in the history.
    assert (
        selectors.current_assessments(pair, on=date(2014, 12, 31))["formal_agreement"].present
        is False
    )
    assert "Avtale signert" in client.get("/samordning/par/hb-vest--imdi-vest/").content.decode()


def test_joint_view_in_scope_shows_both_agencies(client, municipal_officer):
    client.force_login(municipal_officer)
    body = client.get("/samordning/kommune/1201/").content.decode()
    assert "Det IMDi vet" in body and "Det Husbanken vet" in body
    assert "IMDi Vest" in body and "Husbanken Region vest" in body and "Forsøk" in body
    assert "350" in body  # Bergen's 2014 request and decision (IMDi's real figures)
    assert "/kunnskap/sammenlignbare/?kommune=1201" in body


def test_joint_view_outside_scope_is_refused(client, municipal_officer, husbanken_advisor):
    client.force_login(municipal_officer)
    assert client.get("/samordning/kommune/0301/").status_code == 403
    client.force_login(husbanken_advisor)
    assert client.get("/samordning/kommune/0301/").status_code == 403
    assert client.get("/samordning/kommune/1201/").status_code == 200


def test_joint_view_of_unknown_municipality_is_404(client, imdi_officer):
    client.force_login(imdi_officer)
    assert client.get("/samordning/kommune/9998/").status_code == 404


def test_municipality_fills_in_one_report_that_both_agencies_see(
    client, municipal_officer, husbanken_advisor, imdi_regional_officer
):
    client.force_login(municipal_officer)
    response = client.post(
        "/samordning/kommune/1201/rapport/",
        {"year": 2014, "settled_persons": 323, "family_reunified_persons": 96,
         "municipal_dwellings_total": 4321, "dwellings_for_refugees": 1080,
         "start_loans_to_refugees": 17, "challenges": "For få store boliger"},
    )  # fmt: skip
    assert response.status_code == 302
    assert JointReport.objects.get(municipality__number="1201", year=2014).settled_persons == 323
    for persona in (husbanken_advisor, imdi_regional_officer):
        client.force_login(persona)
        body = client.get("/samordning/kommune/1201/").content.decode()
        assert "4321" in body and "For få store boliger" in body


def test_only_the_municipality_itself_may_fill_in_its_report(
    client, other_municipal_officer, husbanken_advisor
):
    for persona in (other_municipal_officer, husbanken_advisor):
        client.force_login(persona)
        assert client.get("/samordning/kommune/1201/rapport/").status_code == 403
        response = client.post(
            "/samordning/kommune/1201/rapport/", {"year": 2014, "settled_persons": 1}
        )
        assert response.status_code == 403
    assert not JointReport.objects.exists()


def test_menu_offers_coordination_to_every_role(client, analyst):
    client.force_login(analyst)
    body = client.get("/samordning/").content.decode()
    assert 'href="/samordning/"' in body
