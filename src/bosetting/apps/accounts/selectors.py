"""Who may see what. Every queryset of people-related data is restricted through ``scope_for``.

The rules (documented in docs/permissions.md):
- IMDi national: everything.
- IMDi regional: the municipalities its office covers.
- Municipal officer: its own municipality only.
- Husbanken: housing and finance of its region; aggregates of cases; no personal data.
- County governor: aggregates and decisions in its county; no personal data.
- Analyst: aggregates only, nationally; no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.models import ApiToken, Profile
from bosetting.apps.geo.selectors import (
    municipality_numbers_for_office,
    municipality_numbers_in_county,
)
from bosetting.memo import remembered


@dataclass(frozen=True)
class Scope:
    """What a user may see: a set of municipality numbers (None = all) and what kind of data."""

    role: str | None
    municipality_numbers: frozenset[str] | None  # None = the whole country
    personal_data: bool  # may see individual households/persons
    housing: bool  # may see housing units and leases
    decisions: bool  # may see requests and council decisions
    aggregates: bool = True

    def covers(self, municipality_number: str | None) -> bool:
        if self.municipality_numbers is None:
            return True
        return municipality_number in self.municipality_numbers


NOTHING = Scope(
    None, frozenset(), personal_data=False, housing=False, decisions=False, aggregates=False
)


def role_of(user) -> str | None:
    """The user's role, or None (anonymous or no profile)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None) if _has_profile(user) else None
    return profile.role if profile else None


def _has_profile(user) -> bool:
    try:
        user.profile  # noqa: B018
    except Profile.DoesNotExist:
        return False
    return True


def scope_for(user) -> Scope:
    """The scope of a user. Superusers without a profile get the national IMDi scope.

    Computed once per request (``bosetting.memo``): a page asks many times, and a regional scope
    costs queries. The answer is remembered under everything it is computed from (the user, its
    profile's role and area), so that a changed profile is never answered with an old scope."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOTHING
    return remembered(("accounts.scope", *_scope_key(user)), lambda: _scope_of(user))


def _scope_key(user) -> tuple:
    if not _has_profile(user):
        return (user.pk, user.is_superuser)
    p = user.profile
    return (user.pk, user.is_superuser, p.pk, p.role, p.office_id, p.municipality_id, p.county_id)


def _scope_of(user) -> Scope:
    if not _has_profile(user):
        if user.is_superuser:
            return Scope(Role.IMDI_NATIONAL, None, personal_data=True, housing=True, decisions=True)
        return NOTHING
    profile = user.profile
    role = profile.role
    if role == Role.IMDI_NATIONAL:
        return Scope(role, None, personal_data=True, housing=True, decisions=True)
    if role == Role.IMDI_REGIONAL:
        numbers = (
            frozenset(municipality_numbers_for_office(profile.office))
            if profile.office
            else frozenset()
        )
        return Scope(role, numbers, personal_data=True, housing=True, decisions=True)
    if role == Role.MUNICIPAL:
        numbers = frozenset([profile.municipality.number]) if profile.municipality else frozenset()
        return Scope(role, numbers, personal_data=True, housing=True, decisions=True)
    if role == Role.HUSBANKEN:
        numbers = (
            frozenset(municipality_numbers_for_office(profile.office))
            if profile.office
            else frozenset()
        )
        return Scope(role, numbers, personal_data=False, housing=True, decisions=True)
    if role == Role.COUNTY_GOVERNOR:
        numbers = (
            frozenset(municipality_numbers_in_county(profile.county))
            if profile.county
            else frozenset()
        )
        return Scope(role, numbers, personal_data=False, housing=False, decisions=True)
    if role == Role.ANALYST:
        return Scope(role, None, personal_data=False, housing=False, decisions=True)
    return NOTHING


def tokens_of(user) -> list[ApiToken]:
    """The user's own API tokens, newest first (never their keys: only hashes are stored)."""
    return list(ApiToken.objects.filter(user=user))


# --- reads for coordination ----------------------------------------------------------------------
# Staff contact details (name, e-mail, role) are the agencies' published contact points, not data
# about refugees: unscoped; the caller shows them only beside what the user may see.


def _contact_rows(profiles) -> list[dict]:
    rows = []
    for profile in profiles.select_related("user").order_by("user__username"):
        user = profile.user
        name = f"{user.first_name} {user.last_name}".strip() or user.username
        rows.append({"name": name, "email": user.email, "role": profile.get_role_display()})
    return rows


def office_contacts(office) -> list[dict]:
    """The staff of a regional office as ``{"name", "email", "role"}`` rows, by username."""
    return _contact_rows(Profile.objects.filter(office=office))


def county_contacts(role: str, county) -> list[dict]:
    """The staff with ``role`` in a county (the county governor's office), by username."""
    return _contact_rows(Profile.objects.filter(role=role, county=county))


# --- reads for housing ---


def own_area_of(user) -> tuple[str, str] | None:
    """The area a user's role is tied to, as ``(kind, key)``: ``("municipality", "1201")`` for a
    municipal officer, ``("region", office code)`` for IMDi's regional offices and Husbanken,
    ``("county", "12")`` for a county governor; None for national roles, anonymous users and users
    without a profile."""
    if user is None or not getattr(user, "is_authenticated", False) or not _has_profile(user):
        return None
    profile = user.profile
    if profile.role == Role.MUNICIPAL and profile.municipality_id:
        return ("municipality", profile.municipality.number)
    if profile.role in (Role.IMDI_REGIONAL, Role.HUSBANKEN) and profile.office_id:
        return ("region", profile.office.code)
    if profile.role == Role.COUNTY_GOVERNOR and profile.county_id:
        return ("county", profile.county.number)
    return None


# --- reads for the command line ---


def active_user(username: str):
    """The active user with this username, or None (``bosetting import --user``)."""
    return get_user_model().objects.filter(username=username, is_active=True).first()
