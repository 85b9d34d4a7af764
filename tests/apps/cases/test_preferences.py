"""Recording the refugee's wishes at the settlement interview: who may, what is refused, the case
page's form (matching-v2.md §2)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.apps.cases.world import make_household

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.services import do_set_preferences
from bosetting.errors import Conflict

pytestmark = pytest.mark.django_db


def test_imdi_records_up_to_five_wishes_with_audit(reference_db, imdi_officer):
    h = make_household(ages=(30,))
    do_set_preferences(imdi_officer, h.pk, ["1201", "0301"], "Midtøsten")
    h.refresh_from_db()
    assert h.preferences == ["1201", "0301"] and h.country_group == "Midtøsten"
    entry = AuditEntry.objects.filter(object_id=str(h.pk), note="bosettingssamtale").get()
    assert entry.user == imdi_officer


@pytest.mark.parametrize(
    "wishes",
    [["1201", "1201"], ["9999"], ["0301", "1201", "1247", "0101", "0104", "0105"]],
)
def test_bad_wishes_are_refused(reference_db, imdi_officer, wishes):
    h = make_household(ages=(30,))
    with pytest.raises(ValidationError):
        do_set_preferences(imdi_officer, h.pk, wishes)


def test_a_municipality_may_not_record_wishes(reference_db, municipal_officer):
    h = make_household(ages=(30,))
    with pytest.raises(PermissionDenied):
        do_set_preferences(municipal_officer, h.pk, ["1201"])


def test_wishes_are_closed_once_the_case_is_proposed(reference_db, imdi_officer):
    h = make_household(CaseStatus.PROPOSED, ages=(30,))
    with pytest.raises(Conflict):
        do_set_preferences(imdi_officer, h.pk, ["1201"])


def test_the_case_page_has_the_form_and_it_saves(client, reference_db, imdi_officer):
    h = make_household(ages=(30,))
    client.force_login(imdi_officer)
    page = client.get(f"/saker/{h.pk}/").content.decode()
    assert 'data-testid="preferences-form"' in page
    response = client.post(
        f"/saker/{h.pk}/onsker/", {"preferences": "1201, 0301", "country_group": "Asia"}
    )
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.preferences == ["1201", "0301"] and h.country_group == "Asia"
    response = client.post(f"/saker/{h.pk}/onsker/", {"preferences": "9999"}, follow=True)
    assert "Ukjent kommunenummer" in response.content.decode()
