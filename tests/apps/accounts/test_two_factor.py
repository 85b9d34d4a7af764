"""Two-factor login for password users whose role sees health notes (security finding 8): the password
alone does not log them in; the right code from the authenticator app or a recovery code (once) does;
wrong codes count towards the lockout like wrong passwords. The demo keeps its password login."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bosetting.apps.accounts.twofactor import (
    do_confirm_enrolment,
    do_start_enrolment,
    policy_requires_second_factor,
)
from bosetting.apps.audit.models import AccessEntry
from bosetting.apps.geo.models import DemoWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor_on(settings):
    settings.BOSETTING_REQUIRE_2FA = True
    # django-otp waits 1 s, 2 s, 4 s ... after each wrong code; a person takes longer than a test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    return settings


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's current code (or the one ``steps_ahead`` periods later: a code works only once)."""
    device.refresh_from_db()
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    device = do_start_enrolment(user)
    codes = do_confirm_enrolment(user, code_for(device))
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def password_step(client: Client, user, path: str = "/logg-inn/"):
    return client.post(path, {"username": user.username, "password": "pw-" + user.username})


def test_the_password_alone_does_not_log_in_a_user_with_an_authenticator(
    client, two_factor_on, municipal_officer
):
    device, _codes = enrol(municipal_officer)

    response = password_step(client, municipal_officer)

    assert response.status_code == 302 and response["Location"] == "/logg-inn/kode/"
    assert "_auth_user_id" not in client.session
    assert client.get("/saker/").status_code == 302  # to the login page
    response = client.post("/logg-inn/kode/", {"code": code_for(device, 1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(municipal_officer.pk)
    assert client.get("/saker/").status_code == 200


def test_a_wrong_code_is_refused_and_wrong_codes_lock_the_user_out(
    client, two_factor_on, municipal_officer, settings
):
    device, _codes = enrol(municipal_officer)
    password_step(client, municipal_officer)

    wrong = f"{(int(code_for(device, 1)) + 1) % 1_000_000:06d}"
    first = client.post("/logg-inn/kode/", {"code": wrong})
    assert first.status_code == 200 and "Feil kode" in first.content.decode()
    assert "_auth_user_id" not in client.session
    statuses = [
        client.post("/logg-inn/kode/", {"code": wrong}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT - 1)
    ]
    assert statuses[-1] == 429
    # Locked out: neither the right code nor the right password helps now.
    after = client.post("/logg-inn/kode/", {"code": code_for(device, 1)})
    assert after.get("Location") != "/" and "_auth_user_id" not in client.session
    assert password_step(client, municipal_officer).status_code == 429
    assert "_auth_user_id" not in client.session
    failures = AccessEntry.objects.filter(
        action="login_failed", username=municipal_officer.username
    )
    assert failures.count() >= settings.AXES_FAILURE_LIMIT


def test_a_recovery_code_works_once(client, two_factor_on, municipal_officer):
    _device, codes = enrol(municipal_officer)
    assert len(codes) == 10 and len(set(codes)) == 10

    password_step(client, municipal_officer)
    assert client.post("/logg-inn/kode/", {"code": codes[0].upper()})["Location"] == "/"

    other = Client()
    password_step(other, municipal_officer)
    again = other.post("/logg-inn/kode/", {"code": codes[0]})
    assert again.status_code == 200 and "_auth_user_id" not in other.session
    assert other.post("/logg-inn/kode/", {"code": codes[1]})["Location"] == "/"


def test_recovery_codes_are_stored_only_as_hashes(municipal_officer, two_factor_on):
    _device, codes = enrol(municipal_officer)
    stored = list(municipal_officer.recovery_codes.values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)


def test_the_first_login_of_a_user_who_must_use_it_sets_up_the_app(
    client, two_factor_on, imdi_regional_officer
):
    response = password_step(client, imdi_regional_officer)
    assert response["Location"] == "/logg-inn/tofaktor/"
    page = client.get("/logg-inn/tofaktor/").content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code, drawn on the server
    assert "<script>" not in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    assert "_auth_user_id" not in client.session

    code = f"{totp(key):06d}"
    response = client.post("/logg-inn/tofaktor/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/konto/tofaktor/"
    assert client.session["_auth_user_id"] == str(imdi_regional_officer.pk)
    shown = client.get("/konto/tofaktor/").content.decode()
    assert 'data-testid="recovery-codes"' in shown and len(re.findall(r"<li><code>", shown)) == 10
    assert 'data-testid="recovery-codes"' not in client.get("/konto/tofaktor/").content.decode()


def test_roles_that_do_not_see_health_notes_log_in_with_the_password(
    client, two_factor_on, husbanken_advisor, analyst
):
    for user in (husbanken_advisor, analyst):
        c = Client()
        assert password_step(c, user)["Location"] == "/"
        assert c.session["_auth_user_id"] == str(user.pk)


def test_the_policy_is_on_behind_tls_and_off_while_the_demo_world_is_loaded(settings, reference_db):
    settings.BOSETTING_REQUIRE_2FA = None
    settings.BOSETTING_TLS = False
    assert not policy_requires_second_factor()
    settings.BOSETTING_TLS = True
    assert policy_requires_second_factor()
    DemoWorld.objects.create(seed=1, as_of=date(2015, 1, 5))
    assert not policy_requires_second_factor()
    settings.BOSETTING_REQUIRE_2FA = True
    assert policy_requires_second_factor()
    settings.BOSETTING_REQUIRE_2FA = False
    settings.BOSETTING_TLS = True
    DemoWorld.objects.all().delete()
    assert not policy_requires_second_factor()


def test_without_the_policy_the_password_logs_in_as_before(client, settings, municipal_officer):
    settings.BOSETTING_REQUIRE_2FA = False
    assert password_step(client, municipal_officer)["Location"] == "/"


def test_the_admin_login_has_the_same_second_step(client, two_factor_on, imdi_officer):
    imdi_officer.is_staff = True
    imdi_officer.save()
    response = password_step(client, imdi_officer, "/admin/login/?next=/admin/")
    assert response["Location"] == "/logg-inn/tofaktor/"
    assert "_auth_user_id" not in client.session


def test_the_api_token_needs_the_code_as_well(client, two_factor_on, municipal_officer):
    device, _codes = enrol(municipal_officer)
    body = {"username": municipal_officer.username, "password": "pw-" + municipal_officer.username}
    assert client.post("/api/token", body, content_type="application/json").status_code == 401
    body["code"] = code_for(device, 1)
    answer = client.post("/api/token", body, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["token"]


def test_the_second_step_expires(client, two_factor_on, municipal_officer):
    device, _codes = enrol(municipal_officer)
    password_step(client, municipal_officer)
    session = client.session
    session["login_second_step"]["at"] -= 3600
    session.save()
    response = client.post("/logg-inn/kode/", {"code": code_for(device, 1)})
    assert response.status_code == 302 and response["Location"] == "/logg-inn/"
    assert "_auth_user_id" not in client.session


def test_a_user_can_turn_it_on_and_off_when_the_role_does_not_require_it(client, analyst):
    client.force_login(analyst)
    client.post("/konto/tofaktor/start/")
    device = TOTPDevice.objects.get(user=analyst)
    client.post("/konto/tofaktor/bekreft/", {"code": code_for(device)})
    device.refresh_from_db()
    assert device.confirmed
    client.post("/konto/tofaktor/sla-av/", {"code": code_for(device, 1)})
    assert not TOTPDevice.objects.filter(user=analyst).exists()
    assert not get_user_model().objects.get(pk=analyst.pk).recovery_codes.exists()
