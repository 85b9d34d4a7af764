"""Login throttling and API tokens (security finding 7): wrong passwords lock the username from that
address for a while — on the login page, the admin and POST /api/token — and tokens expire, can be
revoked by their bearer or owner, and die when the password changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from bosetting.apps.accounts.models import ApiToken
from bosetting.apps.accounts.services import do_create_token

pytestmark = pytest.mark.django_db
WRONG = 10


@pytest.fixture
def officer(municipal_officer):
    return municipal_officer


def _login(client: Client, username: str, password: str):
    return client.post("/logg-inn/", {"username": username, "password": password})


def test_ten_wrong_passwords_lock_the_login_page_even_for_the_right_one(client, officer):
    for _ in range(WRONG):
        assert _login(client, officer.username, "wrong").status_code in (200, 429)
    response = _login(client, officer.username, "pw-" + officer.username)
    assert response.status_code == 429
    assert "For mange mislykkede innlogginger" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cooloff(client, officer, settings):
    for _ in range(WRONG):
        _login(client, officer.username, "wrong")
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = _login(client, officer.username, "pw-" + officer.username)
        assert response.status_code == 302


def test_other_users_are_not_locked_out_by_someone_elses_failures(client, officer, imdi_officer):
    for _ in range(WRONG):
        _login(client, officer.username, "wrong")
    assert _login(client, imdi_officer.username, "pw-" + imdi_officer.username).status_code == 302


def test_ten_wrong_passwords_lock_the_token_endpoint(client, officer):
    body = {"username": officer.username, "password": "wrong"}
    statuses = [
        client.post("/api/token", body, content_type="application/json").status_code
        for _ in range(WRONG)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429
    right = {"username": officer.username, "password": "pw-" + officer.username}
    response = client.post("/api/token", right, content_type="application/json")
    assert response.status_code == 429 and "Vent" in response.json()["detail"]


def test_the_admin_login_is_throttled_too(client, officer):
    for _ in range(WRONG):
        client.post("/admin/login/", {"username": officer.username, "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": officer.username, "password": "pw-" + officer.username}
    )
    assert response.status_code == 429


def _get_cases(token: str):
    return Client().get("/api/cases", headers={"Authorization": f"Bearer {token}"})


def test_a_token_expires_after_twelve_hours(officer, settings):
    token = do_create_token(officer)
    assert _get_cases(token).status_code == 200
    with time_machine.travel(
        timezone.now() + timedelta(hours=settings.BOSETTING_TOKEN_HOURS, minutes=1)
    ):
        assert _get_cases(token).status_code == 401


def test_delete_token_revokes_the_callers_token(officer):
    token, other = do_create_token(officer), do_create_token(officer)
    response = Client().delete("/api/token", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    assert _get_cases(token).status_code == 401
    assert _get_cases(other).status_code == 200


def test_a_password_change_revokes_every_token(officer):
    tokens = [do_create_token(officer), do_create_token(officer)]
    officer.set_password("a-new-and-long-password-2015")
    officer.save()
    assert all(_get_cases(t).status_code == 401 for t in tokens)
    assert set(ApiToken.objects.values_list("revoked_because", flat=True)) == {"password changed"}


def test_the_token_page_shows_makes_and_revokes_the_users_own_tokens(client, officer, imdi_officer):
    foreign = do_create_token(imdi_officer)
    client.force_login(officer)
    page = client.post("/konto/api-nokler/ny/", {"label": "Fagsystem"}, follow=True)
    body = page.content.decode()
    assert 'data-testid="new-token"' in body and "Fagsystem" in body
    mine = ApiToken.objects.get(user=officer)
    again = client.get("/konto/api-nokler/").content.decode()
    assert 'data-testid="new-token"' not in again  # the key is shown once
    foreign_id = ApiToken.objects.get(user=imdi_officer).pk
    assert f"revoke-{foreign_id}" not in again
    client.post(f"/konto/api-nokler/{foreign_id}/trekk-tilbake/")
    assert _get_cases(foreign).status_code == 200  # another user's token cannot be revoked
    client.post(f"/konto/api-nokler/{mine.pk}/trekk-tilbake/")
    mine.refresh_from_db()
    assert mine.revoked_at is not None


def test_a_read_with_a_token_writes_last_used_at_at_most_once_a_minute(officer):
    token = do_create_token(officer)
    _get_cases(token)
    first = ApiToken.objects.get().last_used_at
    _get_cases(token)
    assert ApiToken.objects.get().last_used_at == first
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        _get_cases(token)
        assert ApiToken.objects.get().last_used_at > first
