"""Who grants access (security finding 8): IMDi national any role and area; a municipal administrator
only its own municipality's municipal users — list, grant, change, revoke — and nobody else's. Every
change is in the change log; a verified identity claims its grant at its first login."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from tests.conftest import _persona

from bosetting.apps.accounts.models import AccessGrant, ApiToken, Identity
from bosetting.apps.accounts.services import (
    do_change_access,
    do_create_token,
    do_grant_access,
    do_revoke_access,
    do_sign_in_identity,
)
from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.audit.selectors import entries_for
from bosetting.errors import Conflict

pytestmark = pytest.mark.django_db
PID = "01017000001"  # made up: a wrong check digit


@pytest.fixture
def local_admin(municipal_officer):
    """Bergen's municipal administrator."""
    municipal_officer.profile.is_local_admin = True
    municipal_officer.profile.save()
    return municipal_officer


@pytest.fixture
def bergen_colleague(reference_db, db):
    return _persona("bergen_colleague", "municipal", municipality="1201")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "persona, status",
    [
        ("anonymous", 302),
        ("analyst", 403),
        ("husbanken_advisor", 403),
        ("county_governor", 403),
        ("imdi_regional_officer", 403),
        ("municipal_officer", 403),  # not an administrator
        ("local_admin", 200),
        ("imdi_officer", 200),
    ],
)
def test_who_may_open_the_access_page(request, reference_db, persona, status):
    user = request.getfixturevalue(persona)
    client = Client()
    if persona != "anonymous":
        client.force_login(user)
    assert client.get("/konto/tilganger/").status_code == status


def test_the_menu_shows_access_to_administrators_only(local_admin, analyst):
    assert "/konto/tilganger/" in _client(local_admin).get("/").content.decode()
    assert "/konto/tilganger/" not in _client(analyst).get("/").content.decode()


def test_a_municipal_admin_sees_its_own_municipality_only(
    local_admin, bergen_colleague, other_municipal_officer
):
    page = _client(local_admin).get("/konto/tilganger/").content.decode()
    assert "bergen_colleague" in page and "other_municipal_officer" not in page
    assert 'name="role"' not in page and 'name="municipality"' not in page


def test_a_municipal_admin_grants_an_officer_of_its_own_municipality(local_admin):
    response = _client(local_admin).post(
        "/konto/tilganger/",
        {"kind": "email", "identifier": " Per@Bergen.Example ", "full_name": "Per"},
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert (grant.identifier, grant.role, grant.municipality.number, grant.granted_by) == (
        "per@bergen.example",
        "municipal",
        "1201",
        local_admin,
    )
    entry = AuditEntry.objects.get(object_type="accounts.accessgrant", action="grant")
    assert entry.user == local_admin and entry.after["identifier"] == "per@bergen.example"
    assert entries_for(local_admin).filter(pk=entry.pk).exists()


def test_a_municipal_admin_is_refused_for_another_municipality_and_other_roles(local_admin):
    with pytest.raises(PermissionDenied):
        do_grant_access(
            local_admin, kind="pid", identifier=PID, role="municipal", municipality_number="0301"
        )
    with pytest.raises(PermissionDenied):
        do_grant_access(local_admin, kind="pid", identifier=PID, role="imdi_national")
    assert not AccessGrant.objects.exists() and not AuditEntry.objects.exists()


def test_a_municipal_admin_cannot_touch_another_municipalitys_officers(
    local_admin, other_municipal_officer
):
    client = _client(local_admin)
    pk = other_municipal_officer.pk
    assert client.post(f"/konto/tilganger/bruker/{pk}/trekk-tilbake/").status_code == 404
    assert client.get(f"/konto/tilganger/bruker/{pk}/").status_code == 404
    other_municipal_officer.refresh_from_db()
    assert other_municipal_officer.is_active
    with pytest.raises(PermissionDenied):
        do_change_access(local_admin, local_admin.pk, role="municipal", municipality_number="0301")


def test_a_municipal_admin_revokes_and_restores_its_own_officer(local_admin, bergen_colleague):
    do_create_token(bergen_colleague)
    officer_client = _client(bergen_colleague)
    admin_client = _client(local_admin)

    url = f"/konto/tilganger/bruker/{bergen_colleague.pk}/trekk-tilbake/"
    assert admin_client.post(url).status_code == 302

    bergen_colleague.refresh_from_db()
    assert not bergen_colleague.is_active
    assert officer_client.get("/saker/").status_code == 302  # the session is over
    assert not ApiToken.objects.filter(user=bergen_colleague, revoked_at__isnull=True).exists()
    entry = AuditEntry.objects.get(action="revoke")
    assert entry.user == local_admin and entry.object_id == str(bergen_colleague.profile.pk)
    assert "bergen_colleague" in admin_client.get("/konto/tilganger/").content.decode()

    admin_client.post(f"/konto/tilganger/bruker/{bergen_colleague.pk}/gi-tilbake/")
    bergen_colleague.refresh_from_db()
    assert bergen_colleague.is_active and AuditEntry.objects.filter(action="restore").exists()


def test_a_municipal_admin_makes_a_colleague_administrator_but_cannot_unmake_itself(
    local_admin, bergen_colleague
):
    client = _client(local_admin)
    response = client.post(
        f"/konto/tilganger/bruker/{bergen_colleague.pk}/", {"is_local_admin": "on"}
    )
    assert response.status_code == 302
    bergen_colleague.profile.refresh_from_db()
    assert bergen_colleague.profile.is_local_admin
    with pytest.raises(Conflict):
        do_change_access(local_admin, local_admin.pk, is_local_admin=False)
    with pytest.raises(Conflict):
        do_revoke_access(local_admin, local_admin.pk)


def test_imdi_national_grants_any_role_and_area(imdi_officer):
    client = _client(imdi_officer)
    response = client.post(
        "/konto/tilganger/",
        {"kind": "pid", "identifier": "010170 00001", "role": "husbanken", "office": "hb-vest"},
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert grant.identifier == PID and grant.office.code == "hb-vest"
    # A role without its area, or a malformed identity number, is a form error.
    missing = client.post(
        "/konto/tilganger/", {"kind": "sub", "identifier": "x", "role": "husbanken"}
    )
    assert missing.status_code == 422 and not AccessGrant.objects.filter(identifier="x").exists()
    malformed = client.post(
        "/konto/tilganger/", {"kind": "pid", "identifier": "123", "role": "analyst"}
    )
    assert malformed.status_code == 422 and "11 sifre" in malformed.content.decode()


def test_a_second_open_grant_for_the_same_identifier_is_a_conflict(imdi_officer):
    do_grant_access(imdi_officer, kind="pid", identifier=PID, role="analyst")
    with pytest.raises(Conflict):
        do_grant_access(imdi_officer, kind="pid", identifier=PID, role="imdi_national")
    response = _client(imdi_officer).post(
        "/konto/tilganger/", {"kind": "pid", "identifier": PID, "role": "analyst"}
    )
    assert response.status_code == 422 and "allerede" in response.content.decode()


def test_a_withdrawn_grant_is_not_claimed(imdi_officer):
    grant = do_grant_access(imdi_officer, kind="pid", identifier=PID, role="analyst")
    _client(imdi_officer).post(f"/konto/tilganger/tildeling/{grant.pk}/trekk-tilbake/")
    outcome = do_sign_in_identity({"iss": "https://idp", "sub": "abc", "pid": PID})
    assert outcome.user is None
    assert AuditEntry.objects.filter(action="withdraw").exists()


def test_local_admin_only_for_municipal_users(imdi_officer):
    with pytest.raises(ValidationError):
        do_grant_access(
            imdi_officer, kind="pid", identifier=PID, role="analyst", is_local_admin=True
        )


def test_an_email_grant_needs_an_address_the_provider_vouches_for(imdi_officer, settings):
    do_grant_access(imdi_officer, kind="email", identifier="kari@bergen.example", role="analyst")
    claims = {"iss": "https://idp", "sub": "k1", "email": "Kari@Bergen.Example"}
    assert do_sign_in_identity(claims).user is None
    assert do_sign_in_identity({**claims, "email_verified": True}).user is not None
    assert Identity.objects.get(subject="k1").user.profile.role == "analyst"


def test_a_grant_does_not_move_a_person_who_already_has_access(imdi_officer, local_admin):
    first = do_grant_access(imdi_officer, kind="pid", identifier=PID, role="analyst")
    user = do_sign_in_identity({"iss": "https://idp", "sub": "s", "pid": PID}).user
    do_grant_access(
        local_admin, kind="pid", identifier=PID, role="municipal", municipality_number="1201"
    )
    assert do_sign_in_identity({"iss": "https://idp", "sub": "s", "pid": PID}).user == user
    user.profile.refresh_from_db()
    assert user.profile.role == "analyst" and AccessGrant.objects.exclude(pk=first.pk).get().is_open
