"""Login through a real OpenID Connect provider (security finding 8): a verified identity gets exactly
the access an administrator granted it — none without a grant — and the ID token is checked (issuer,
security level, signature by the provider's published key)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from bosetting.apps.accounts.models import AccessGrant, Identity
from bosetting.apps.accounts.services import do_grant_access, do_revoke_access
from bosetting.apps.audit.models import AccessEntry, AuditEntry
from tests.identity.conftest import PEOPLE, log_in_at_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_admin(municipal_officer):
    """Bergen's municipal administrator."""
    municipal_officer.profile.is_local_admin = True
    municipal_officer.profile.save()
    return municipal_officer


def _logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def test_the_login_page_offers_the_identity_provider_only_when_it_is_on(client, settings):
    settings.BOSETTING_OIDC_ENABLED = False
    assert "Logg inn med ID-porten" not in client.get("/logg-inn/").content.decode()
    assert client.get("/logg-inn/oidc/").status_code == 404
    settings.BOSETTING_OIDC_ENABLED = True
    settings.BOSETTING_OIDC_LABEL = "Logg inn med ID-porten"
    body = client.get("/logg-inn/").content.decode()
    assert 'data-testid="oidc-login"' in body and "Logg inn med ID-porten" in body
    assert "<script>" not in body  # a link, no inline script (CSP)


def test_a_granted_person_logs_in_with_the_role_and_area_of_the_grant(
    client, oidc_settings, provider, imdi_officer
):
    grant = do_grant_access(
        imdi_officer,
        kind="pid",
        identifier=PEOPLE["kari"]["pid"],
        role="municipal",
        municipality_number="1201",
    )

    response = log_in_at_provider(client, provider, "kari")

    assert response.status_code == 302 and response["Location"] == "/"
    user = _logged_in_user(client)
    assert user.first_name == "Kari Nordmann" and not user.has_usable_password()
    assert user.profile.role == "municipal" and user.profile.municipality.number == "1201"
    identity = Identity.objects.get(user=user)
    assert identity.issuer == provider.issuer and identity.pid == PEOPLE["kari"]["pid"]
    grant.refresh_from_db()
    assert grant.claimed_by == user and grant.claimed_at is not None
    assert AuditEntry.objects.filter(action="claim", object_type="accounts.profile").exists()
    assert AccessEntry.objects.filter(user=user, action="login").exists()
    home = client.get("/").content.decode()
    assert "Dine oppgaver" in home and "Kari Nordmann · Kommune" in home

    # The next login finds the same user: no second account, no second claim.
    client.post("/logg-ut/")
    assert log_in_at_provider(client, provider, "kari").status_code == 302
    assert _logged_in_user(client) == user
    assert get_user_model().objects.filter(identities__pid=PEOPLE["kari"]["pid"]).count() == 1


def test_a_person_without_a_grant_gets_the_no_access_page_and_no_data(
    client, oidc_settings, provider
):
    response = log_in_at_provider(client, provider, "ola")

    assert response.status_code == 302 and response["Location"] == "/logg-inn/ingen-tilgang/"
    assert "_auth_user_id" not in client.session
    page = client.get("/logg-inn/ingen-tilgang/")
    assert page.status_code == 403
    text = page.content.decode()
    assert "Du er logget inn som Ola Nordmann, men har ikke fått tilgang ennå" in text
    assert "kontakt din administrator" in text
    identity = Identity.objects.get(pid=PEOPLE["ola"]["pid"])
    assert identity.user is None
    assert identity.subject in text  # the reference an administrator can grant access by
    for path in ("/", "/saker/", "/konto/api-nokler/"):
        assert client.get(path).status_code == 302  # to the login page: no session
    assert client.get("/api/cases").status_code == 401
    assert AccessEntry.objects.filter(action="login_failed", username__startswith="oidc:").exists()


def test_a_grant_by_the_login_reference_works_after_a_first_login_without_access(
    client, oidc_settings, provider, imdi_officer
):
    log_in_at_provider(client, provider, "lise")
    reference = Identity.objects.get(pid=PEOPLE["lise"]["pid"]).subject
    do_grant_access(imdi_officer, kind="sub", identifier=reference, role="analyst")

    assert log_in_at_provider(client, provider, "lise")["Location"] == "/"
    assert _logged_in_user(client).profile.role == "analyst"


def test_a_municipal_admin_grants_and_revokes_an_officer_who_logs_in_through_the_provider(
    client, oidc_settings, provider, local_admin
):
    admin_client = client.__class__()
    admin_client.force_login(local_admin)
    response = admin_client.post(
        "/konto/tilganger/",
        {"kind": "pid", "identifier": PEOPLE["per"]["pid"], "full_name": "Per Hansen"},
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.get(identifier=PEOPLE["per"]["pid"])
    assert grant.role == "municipal" and grant.municipality.number == "1201"

    assert log_in_at_provider(client, provider, "per")["Location"] == "/"
    per = _logged_in_user(client)
    assert per.profile.municipality == local_admin.profile.municipality
    assert client.get("/saker/").status_code == 200

    assert admin_client.post(f"/konto/tilganger/bruker/{per.pk}/trekk-tilbake/").status_code == 302
    # Per's session ends at once, and a new login finds no access.
    assert client.get("/saker/").status_code == 302
    response = log_in_at_provider(client, provider, "per")
    assert response["Location"] == "/logg-inn/ingen-tilgang/"
    assert "_auth_user_id" not in client.session


def test_revoked_access_ends_the_session_of_an_identity_user(
    client, oidc_settings, provider, imdi_officer
):
    do_grant_access(imdi_officer, kind="pid", identifier=PEOPLE["ola"]["pid"], role="analyst")
    log_in_at_provider(client, provider, "ola")
    ola = _logged_in_user(client)
    do_revoke_access(imdi_officer, ola.pk)
    assert client.get("/").status_code == 302


def test_users_of_the_identity_provider_are_not_asked_for_a_code(
    client, oidc_settings, provider, imdi_officer
):
    oidc_settings.BOSETTING_REQUIRE_2FA = True
    do_grant_access(
        imdi_officer, kind="pid", identifier=PEOPLE["kari"]["pid"], role="imdi_national"
    )
    response = log_in_at_provider(client, provider, "kari")
    assert response["Location"] == "/" and _logged_in_user(client) is not None


def test_a_security_level_below_the_accepted_ones_is_refused(
    client, oidc_settings, provider, imdi_officer
):
    do_grant_access(imdi_officer, kind="pid", identifier=PEOPLE["nils"]["pid"], role="analyst")
    response = log_in_at_provider(client, provider, "nils")
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert "_auth_user_id" not in client.session
    assert not AccessGrant.objects.filter(claimed_at__isnull=False).exists()


def test_an_id_token_from_another_issuer_than_configured_is_refused(
    client, oidc_settings, provider, imdi_officer
):
    oidc_settings.OIDC_OP_ISSUER = "https://idporten.no"  # the token says the test provider
    do_grant_access(imdi_officer, kind="pid", identifier=PEOPLE["kari"]["pid"], role="analyst")
    response = log_in_at_provider(client, provider, "kari")
    assert response["Location"] == "/logg-inn/"
    assert "_auth_user_id" not in client.session


def test_a_token_signed_by_another_key_than_the_published_one_is_refused(
    client, oidc_settings, provider, imdi_officer
):
    """The signature is checked against the keys Bosetting trusts: pointed at a JWKS with the same
    key id but another RSA key, the provider's real token no longer passes."""
    oidc_settings.OIDC_OP_JWKS_ENDPOINT = provider.base + "/other-jwks"
    do_grant_access(imdi_officer, kind="pid", identifier=PEOPLE["kari"]["pid"], role="analyst")
    response = log_in_at_provider(client, provider, "kari")
    assert response["Location"] == "/logg-inn/"
    assert "_auth_user_id" not in client.session
