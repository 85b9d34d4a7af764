"""Writes for accounts: users with their role and area, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import authenticate, get_user_model
from django.db import transaction
from django.utils import timezone

from bosetting.apps.accounts.models import ApiToken, Profile
from bosetting.apps.geo.selectors import county, municipality, office_by_code
from bosetting.reference.structure import DEFAULT_STRUCTURE_YEAR


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def do_issue_token(username: str, password: str) -> str | None:
    """A new bearer token for valid credentials, else None. The plain key is shown once."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        return None
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=_hash(key))
    return key


def user_for_token(key: str):
    """The active user a bearer token belongs to, or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


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
