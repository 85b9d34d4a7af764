"""The refugee's wishes from the settlement interview, through the API (matching v2): recorded by IMDi
before the proposal, read back with the case, refused naming the problem, audited."""

from __future__ import annotations

import pytest

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household

from .world import make_case
from .writes import put

pytestmark = pytest.mark.django_db


def test_imdi_records_the_wishes_and_reads_them_back(api_as, reference_db):
    case = make_case(CaseStatus.INTERVIEWED)
    response = put(
        api_as("imdi_officer"),
        f"/api/cases/{case.pk}/preferences",
        {"preferences": ["1201", "0301"], "country_group": "Syria"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["preferences"] == ["1201", "0301"]
    read = api_as("imdi_officer").get(f"/api/cases/{case.pk}").json()
    assert read["preferences"] == ["1201", "0301"] and read["country_group"] == "Syria"
    assert AuditEntry.objects.filter(object_id=str(case.pk), note="bosettingssamtale").exists()


@pytest.mark.parametrize(
    ("wishes", "status"),
    [(["1201", "1201"], 422), (["9999"], 422), (["1201"] * 6, 422), (["12x1"], 422)],
)
def test_bad_wishes_are_refused_and_nothing_is_kept(api_as, reference_db, wishes, status):
    case = make_case(CaseStatus.INTERVIEWED)
    response = put(
        api_as("imdi_officer"), f"/api/cases/{case.pk}/preferences", {"preferences": wishes}
    )
    assert response.status_code == status
    assert "preferences" in str(response.json())
    assert Household.objects.get(pk=case.pk).preferences in ([], None)


def test_wishes_after_the_proposal_are_a_conflict(api_as, reference_db):
    case = make_case(CaseStatus.PROPOSED, municipality="1201")
    response = put(
        api_as("imdi_officer"), f"/api/cases/{case.pk}/preferences", {"preferences": ["0301"]}
    )
    assert response.status_code == 409


def test_a_municipality_may_not_record_wishes(api_as, reference_db):
    case = make_case(CaseStatus.PROPOSED, municipality="1201")
    response = put(
        api_as("municipal_officer"), f"/api/cases/{case.pk}/preferences", {"preferences": []}
    )
    assert response.status_code in (403, 404)
