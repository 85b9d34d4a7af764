"""Two-factor login for password users ("tofaktorinnlogging"): a TOTP authenticator app and
recovery codes (docs/security.md, "Identity and login").

Who is asked for a code after the password: every user who has set up an authenticator, and — when
the policy is on — every user whose role sees health notes (IMDi national and regional, municipal:
the roles whose scope has personal data). The policy is ``BOSETTING_REQUIRE_2FA``; unset, it is on
behind TLS (``BOSETTING_TLS``, production) unless the synthetic demo world is loaded. Users who log in
through the identity provider (ID-porten) are never asked: the provider has authenticated them.

TOTP devices are django-otp's (it keeps the secret, tolerates one step of clock drift, refuses a code
used twice and slows down repeated failures). Recovery codes are our own table, because django-otp's
static tokens are stored in plain text: only a SHA-256 hash of each code is kept. Every wrong code
counts as a failed login (``user_login_failed``), so django-axes locks the username out after the same
number of failures as wrong passwords, and the access log records it.
"""

from __future__ import annotations

import hashlib
import secrets
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from bosetting.apps.accounts.models import RecoveryCode
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.geo.selectors import demo_world_loaded

#: How many recovery codes a user gets at a time.
RECOVERY_CODE_COUNT = 10


def policy_requires_second_factor() -> bool:
    """``BOSETTING_REQUIRE_2FA`` when set; unset: on behind TLS, off while the demo world is loaded."""
    configured = settings.BOSETTING_REQUIRE_2FA
    if configured is not None:
        return configured
    return settings.BOSETTING_TLS and not demo_world_loaded()


def has_authenticator(user) -> bool:
    """Whether the user has a confirmed authenticator app."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def role_needs_second_factor(user) -> bool:
    """Whether the user's role sees health notes (its scope has personal data)."""
    return scope_for(user).personal_data


def second_factor_required(user) -> bool:
    """Whether a password login of this user needs a code as its second step."""
    if has_authenticator(user):
        return True
    return policy_requires_second_factor() and role_needs_second_factor(user)


# --- enrolment --------------------------------------------------------------------------------------


def pending_authenticator(user) -> TOTPDevice | None:
    """The authenticator being set up (not yet confirmed with a code), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


@transaction.atomic
def do_start_enrolment(user) -> TOTPDevice:
    """A new secret for the user's authenticator app; it counts only once confirmed with a code."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Bosetting", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret as the app asks for it when typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as a QR code, an SVG image in a ``data:`` URI (drawn here, on the
    server; the Content-Security-Policy allows ``data:`` images and no script is needed)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


@transaction.atomic
def do_confirm_enrolment(user, code: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it. On success the user's earlier
    authenticator is replaced and new recovery codes are made and returned (to be shown once); a
    wrong code returns None."""
    device = pending_authenticator(user)
    if device is None or not _totp_ok(user, device, code):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return do_new_recovery_codes(user)


@transaction.atomic
def do_remove_authenticator(user) -> None:
    """Remove the user's authenticator and recovery codes (when its role does not require them)."""
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


# --- recovery codes ---------------------------------------------------------------------------------


def _normalised(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


def _new_code() -> str:
    raw = b32encode(secrets.token_bytes(10)).decode().lower()  # 80 random bits, 16 characters
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


@transaction.atomic
def do_new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them (only their hashes are kept)."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# --- verification -----------------------------------------------------------------------------------


def _totp_ok(user, device: TOTPDevice, code: str) -> bool:
    digits = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(digits) != device.digits:
        return False
    return verify_token(user, device.persistent_id, digits) is not None


def _recovery_ok(user, code: str) -> bool:
    # One conditional UPDATE: of two requests with the same code, only one can use it.
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_hash(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1


def verify_second_factor(user, code: str) -> bool:
    """Whether ``code`` is a current code of the user's authenticator or an unused recovery code
    (which is then used up)."""
    if not code or not code.strip():
        return False
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None and _totp_ok(user, device, code):
        return True
    return len(_normalised(code)) == 16 and _recovery_ok(user, code)


def is_locked_out(request, user) -> bool:
    """Whether django-axes has locked this username out from this address; the request is then
    marked so that its middleware answers with the lockout page (429)."""
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_allowed(request, credentials):
        return False
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return True


def check_second_factor(request, user, code: str) -> bool:
    """Verify the second factor of a login: refused while locked out; a wrong code is a failed login
    (``user_login_failed``: django-axes counts it, the access log records it)."""
    if is_locked_out(request, user):
        return False
    if verify_second_factor(user, code):
        return True
    record_wrong_code(request, user)
    return False


def record_wrong_code(request, user) -> None:
    """A wrong code is a failed login: django-axes counts it, the access log records it."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
