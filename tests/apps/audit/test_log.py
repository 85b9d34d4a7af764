"""The audit log page: who may read it, scoping per role, CSV export, and redacted health notes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from tests.apps.cases.world import make_household, make_unit

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.lifecycle import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes(reference_db, imdi_officer):
    bergen = make_household(CaseStatus.ACCEPTED, municipality="1201", ages=(40,))
    bergen.unit = make_unit("1201")
    bergen.save()
    oslo = make_household(CaseStatus.ACCEPTED, municipality="0301", ages=(40,))
    services.do_transition(imdi_officer, bergen, CaseStatus.PREPARING, on=date(2015, 1, 10))
    services.do_transition(imdi_officer, oslo, CaseStatus.PREPARING, on=date(2015, 1, 11))
    return {"bergen": bergen, "oslo": oslo}


def test_anonymous_is_sent_to_login(client):
    assert "/logg-inn/" in client.get("/logg/")["Location"]
    assert "/logg-inn/" in client.get("/logg/eksport.csv")["Location"]


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("imdi_officer", 200),
        ("imdi_regional_officer", 200),
        ("municipal_officer", 200),
        ("husbanken_advisor", 200),
        ("county_governor", 200),
        ("analyst", 403),
    ],
)
def test_log_page_matrix(client, request, persona, expected, reference_db):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/logg/").status_code == expected
    assert client.get("/logg/eksport.csv").status_code == expected


def test_municipality_sees_only_changes_to_its_own_cases(client, changes, municipal_officer):
    client.force_login(municipal_officer)
    body = client.get("/logg/").content.decode()
    assert changes["bergen"].reference in body and changes["oslo"].reference not in body


def test_imdi_national_sees_everything_and_filters_by_object(client, changes, imdi_officer):
    client.force_login(imdi_officer)
    body = client.get("/logg/").content.decode()
    assert changes["bergen"].reference in body and changes["oslo"].reference in body
    one = client.get(f"/logg/?type=cases.household&id={changes['oslo'].pk}").content.decode()
    assert changes["oslo"].reference in one and changes["bergen"].reference not in one


def test_husbanken_sees_no_case_changes(client, changes, husbanken_advisor):
    client.force_login(husbanken_advisor)
    body = client.get("/logg/").content.decode()
    assert changes["bergen"].reference not in body


def test_csv_export_has_who_when_before_and_after(client, changes, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get(f"/logg/eksport.csv?type=cases.household&id={changes['bergen'].pk}")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["username"] == "imdi_officer" and rows[0]["action"] == "transition"
    assert '"status": "accepted"' in rows[0]["before"]
    assert '"status": "preparing"' in rows[0]["after"]


def test_health_notes_in_the_log_are_hidden_from_municipalities(
    client, reference_db, imdi_officer, municipal_officer
):
    h = make_household(CaseStatus.ACCEPTED, municipality="1201", ages=(40,))
    from bosetting.apps.audit.services import do_record, snapshot

    before = snapshot(h)
    h.health_note = "Svært sensitivt"
    h.save()
    do_record(imdi_officer, "update", h, before, snapshot(h))
    client.force_login(municipal_officer)
    body = client.get("/logg/").content.decode()
    assert "Svært sensitivt" not in body and "[skjult]" in body
    client.force_login(imdi_officer)
    assert "Svært sensitivt" in client.get("/logg/").content.decode()
