"""Writes for accounts: users with their role and area, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.utils import timezone

from bosetting.apps.accounts.models import ApiToken, Profile
from bosetting.apps.geo.selectors import county, municipality, office_by_code
from bosetting.reference.structure import DEFAULT_STRUCTURE_YEAR

#: ``last_used_at`` is written at most once a minute per token: a read with a token writes nothing more.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _expiry(hours: int | None):
    hours = settings.BOSETTING_TOKEN_HOURS if hours is None else hours
    return timezone.now() + timedelta(hours=hours)


def do_create_token(user, *, label: str = "", hours: int | None = None) -> str:
    """A new bearer token for a logged-in user (the token page). The plain key is shown once; only its
    hash is stored. It expires after ``BOSETTING_TOKEN_HOURS`` (default 12) unless ``hours``."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, key_hash=_hash(key), label=label[:100], expires_at=_expiry(hours)
    )
    return key


def do_issue_token(request, username: str, password: str) -> str | None:
    """A new bearer token for valid credentials (``POST /api/token``), else None.

    Authentication goes through Django's backends with the request, so failed attempts count towards
    the login lockout (django-axes) exactly as on the login page."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    return do_create_token(user, label="API")


def user_for_token(key: str):
    """The active user a bearer token belongs to, or None (unknown, expired or revoked)."""
    now = timezone.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.is_active(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _revoke(tokens, because: str) -> int:
    return tokens.filter(revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because[:100]
    )


def do_revoke_token(user, token_id: int) -> int:
    """Revoke one of the user's own tokens (the token page). Returns 1, or 0 if not the user's."""
    return _revoke(ApiToken.objects.filter(user=user, pk=token_id), "revoked by its owner")


def do_revoke_bearer(key: str) -> int:
    """Revoke the token a request was made with (``DELETE /api/token``)."""
    return _revoke(ApiToken.objects.filter(key_hash=_hash(key)), "revoked by its bearer")


def do_revoke_all_tokens(user, because: str) -> int:
    """Revoke every token of a user (its password changed, or an administrator asks)."""
    return _revoke(ApiToken.objects.filter(user=user), because)


def revoke_tokens_on_password_change(sender, instance, **kwargs) -> None:
    """``pre_save`` of the user model: a new password revokes every token issued before it."""
    if instance.pk is None:
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        do_revoke_all_tokens(instance, "password changed")


@transaction.atomic
def do_set_user(
    username: str,
    *,
    role: str,
    password: str,
    full_name: str = "",
    office_code: str | None = None,
    municipality_number: str | None = None,
    county_number: str | None = None,
    structure_year: int = DEFAULT_STRUCTURE_YEAR,
):
    """Create or reset a user with a role and its area ("bruker med rolle"); the system itself (the
    demo builder, an operator) calls it. The profile's rules (a role's area) are checked."""
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.first_name = full_name
    user.set_password(password)
    user.save()
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.role = role
    profile.office = office_by_code(office_code) if office_code else None
    profile.municipality = (
        municipality(municipality_number, structure_year) if municipality_number else None
    )
    profile.county = county(county_number, structure_year) if county_number else None
    profile.full_clean(exclude=["user"])
    profile.save()
    return user
