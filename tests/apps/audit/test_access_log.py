"""The access log (security finding 9): every view of a case, of a health note and every export is
recorded with user, time, object and purpose, and so are logins and failed logins; municipalities and
IMDi read it in their scope; nobody can change it from the application."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.apps.cases.world import make_household

from bosetting.apps.accounts.services import do_create_token
from bosetting.apps.audit.models import AccessEntry
from bosetting.apps.cases.choices import CaseStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def bergen_case(reference_db):
    return make_household(
        CaseStatus.ACCEPTED, ages=(40,), municipality="1201", health_note="Diabetes (test)"
    )


def test_viewing_a_case_and_its_health_note_is_logged_with_purpose(
    client, municipal_officer, bergen_case
):
    client.force_login(municipal_officer)
    assert "Diabetes" in client.get(f"/saker/{bergen_case.pk}/").content.decode()
    rows = list(
        AccessEntry.objects.filter(object_id=str(bergen_case.pk)).values_list(
            "username", "action", "object_type", "purpose"
        )
    )
    assert sorted(rows) == [
        ("municipal_officer", "view_case", "cases.household", "saksside"),
        ("municipal_officer", "view_health", "cases.household", "saksside"),
    ]


def test_a_case_read_through_the_api_is_logged(municipal_officer, bergen_case):
    token = do_create_token(municipal_officer)
    response = Client().get(
        f"/api/cases/{bergen_case.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200 and response.json()["health_note"]
    assert set(AccessEntry.objects.filter(purpose="API").values_list("action", flat=True)) == {
        "view_case",
        "view_health",
    }


def test_no_health_note_shown_means_none_logged(client, other_municipal_officer, imdi_officer):
    queue = make_household(CaseStatus.READY, ages=(30,))
    client.force_login(imdi_officer)
    client.get(f"/saker/{queue.pk}/")
    assert not AccessEntry.objects.filter(action="view_health").exists()


def test_logins_failed_logins_and_exports_are_logged(client, imdi_officer):
    client.post("/logg-inn/", {"username": "imdi_officer", "password": "wrong"})
    client.post("/logg-inn/", {"username": "imdi_officer", "password": "pw-imdi_officer"})
    client.get("/logg/eksport.csv").getvalue()
    actions = list(AccessEntry.objects.order_by("at", "id").values_list("action", "username"))
    assert actions == [
        ("login_failed", "imdi_officer"),
        ("login", "imdi_officer"),
        ("export", "imdi_officer"),
    ]


def test_each_role_reads_the_access_log_of_its_own_cases(
    client, municipal_officer, other_municipal_officer, bergen_case
):
    client.force_login(municipal_officer)
    client.get(f"/saker/{bergen_case.pk}/")
    page = client.get("/logg/tilgang/").content.decode()
    assert bergen_case.reference in page and "Så helseopplysninger" in page
    client.force_login(other_municipal_officer)
    other = client.get("/logg/tilgang/").content.decode()
    assert bergen_case.reference not in other


def test_the_access_log_cannot_be_changed_or_deleted(client, municipal_officer, bergen_case):
    client.force_login(municipal_officer)
    client.get(f"/saker/{bergen_case.pk}/")
    entry = AccessEntry.objects.first()
    entry.purpose = "noe annet"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    assert AccessEntry.objects.get(pk=entry.pk).purpose == "saksside"


def test_the_admin_shows_the_access_log_read_only(admin_client, municipal_officer, bergen_case):
    Client().force_login(municipal_officer)
    admin_client.get(f"/saker/{bergen_case.pk}/")
    entry = AccessEntry.objects.first()
    assert admin_client.get(f"/admin/audit/accessentry/{entry.pk}/change/").status_code == 200
    assert admin_client.post(f"/admin/audit/accessentry/{entry.pk}/delete/").status_code == 403
    assert admin_client.get("/admin/audit/accessentry/add/").status_code == 403
