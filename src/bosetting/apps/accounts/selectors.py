"""Who may see what. Every queryset of people-related data is restricted through ``scope_for``.

The rules (documented in docs/permissions.md):
- IMDi national: everything.
- IMDi regional: the municipalities its office covers.
- Municipal officer: its own municipality only.
- Husbanken: housing and finance of its region; aggregates of cases; no personal data.
- County governor: aggregates and decisions in its county; no personal data — except in a pilot
  county while its pilot runs (``engine.rules.pilots``): then it holds IMDi's regional settlement
  role there and sees what IMDi's regional office sees of its county.
- Analyst: aggregates only, nationally; no personal data.

Who *acts* with IMDi's settlement powers (the queue, rounds, proposals, self-settlement approval) is
``settlement_powers``: IMDi national everywhere, a regional office in its region outside running
pilot counties, a pilot county's county governor in its county.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.choices import IMDI_ROLES, Role
from bosetting.apps.accounts.models import AccessGrant, ApiToken, Identity, Profile
from bosetting.apps.geo.selectors import (
    municipality_numbers_for_office,
    municipality_numbers_in_county,
)
from bosetting.engine.rules.pilots import (
    COUNTY_GOVERNOR_PILOTS,
    CountyGovernorPilot,
    active_counties,
    active_pilot,
    county_of,
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
        pilot = _pilot_of(profile)
        return Scope(role, numbers, personal_data=pilot, housing=pilot, decisions=True)
    if role == Role.ANALYST:
        return Scope(role, None, personal_data=False, housing=False, decisions=True)
    return NOTHING


def _pilot_of(profile: Profile) -> bool:
    """Whether a county governor's county runs the pilot today (it then holds IMDi's role there)."""
    return bool(profile.county_id) and (
        active_pilot(profile.county.number, clock.today()) is not None
    )


# --- who holds IMDi's settlement powers where ------------------------------------------------------


@dataclass(frozen=True)
class SettlementPowers:
    """Where a user holds IMDi's regional settlement powers ("bosettingsmyndighet"): the queue of
    cases placed there, matching rounds for its municipalities, answering proposals on a
    municipality's behalf and deciding self-settlements.

    ``numbers`` None is the whole country (IMDi national). ``blocked_counties`` are the counties
    where someone else holds the role today (a running county-governor pilot): an IMDi regional office
    still sees its cases there but does not act."""

    role: str | None
    numbers: frozenset[str] | None
    blocked_counties: frozenset[str] = frozenset()

    def acts_in(self, municipality_number: str) -> bool:
        """Whether the user acts in a municipality."""
        if self.numbers is None:
            return True
        return (
            municipality_number in self.numbers
            and county_of(municipality_number) not in self.blocked_counties
        )

    @property
    def area(self) -> frozenset[str] | None:
        """The municipalities where the user acts (None: the whole country)."""
        if self.numbers is None:
            return None
        return frozenset(n for n in self.numbers if self.acts_in(n))

    @property
    def any(self) -> bool:
        """Whether the user holds the powers anywhere."""
        return self.numbers is None or bool(self.area)

    def acts_on_case(self, placed_in: str | None, reception_in: str | None) -> bool:
        """Whether the user acts on a case it can see, placed in municipality ``placed_in`` (proposed,
        accepted, preparing, settled there) or waiting in a reception centre in ``reception_in``.

        A case belongs to the authority of the place it is in — where it is placed, else where it
        waits. A regional office also handles the national queue wherever its reception centre lies
        (as before the pilot), but never inside a running pilot county; a county governor handles
        the cases of its own county only (its rounds still propose from the whole national queue)."""
        if self.numbers is None:
            return True
        if not self.any:
            return False
        place = placed_in or reception_in
        if place is not None and county_of(place) in self.blocked_counties:
            return False
        if placed_in is not None:
            return self.acts_in(placed_in)
        if self.role == Role.COUNTY_GOVERNOR:
            return reception_in is not None and reception_in in self.numbers
        return True


NO_POWERS = SettlementPowers(None, frozenset())


def settlement_powers(user) -> SettlementPowers:
    """Where ``user`` holds IMDi's regional settlement powers today (see :class:`SettlementPowers`).

    IMDi national: everywhere. IMDi regional: its region, minus the counties whose county governor
    runs a pilot today. County governor: its county while its pilot runs, else nowhere. Everyone else:
    nowhere. ``None`` (the system itself) is not a user: callers treat it before asking."""
    scope = scope_for(user)
    if scope.role == Role.IMDI_NATIONAL:
        return SettlementPowers(scope.role, None)
    if scope.role not in (Role.IMDI_REGIONAL, Role.COUNTY_GOVERNOR):
        return NO_POWERS
    if scope.role == Role.COUNTY_GOVERNOR and not scope.personal_data:
        return NO_POWERS
    pilots = active_counties(clock.today())
    numbers = scope.municipality_numbers or frozenset()
    if scope.role == Role.COUNTY_GOVERNOR:
        own = {county_of(n) for n in numbers}
        return SettlementPowers(scope.role, numbers, frozenset(pilots - own))
    return SettlementPowers(scope.role, numbers, frozenset(pilots))


def pilot_notice(user, day=None) -> dict[str, list[CountyGovernorPilot]] | None:
    """What the county-governor pilots mean for ``user`` on ``day`` (default: today), for a notice on
    its pages: ``holds`` — pilots whose role the user holds (a pilot county's county governor);
    ``sees_only`` — pilots inside the user's area where it sees but does not act (an IMDi regional
    office). None when no running pilot touches the user."""
    day = day or clock.today()
    powers = settlement_powers(user)
    if powers.role not in (Role.IMDI_REGIONAL, Role.COUNTY_GOVERNOR) or powers.numbers is None:
        return None
    counties = {county_of(n) for n in powers.numbers}
    running = [p for p in COUNTY_GOVERNOR_PILOTS if p.active_on(day) and p.county in counties]
    if not running:
        return None
    if powers.role == Role.COUNTY_GOVERNOR:
        return {"holds": running, "sees_only": []}
    return {"holds": [], "sees_only": running}


def is_settlement_authority(user) -> bool:
    """Whether ``user`` holds IMDi's settlement powers somewhere today: IMDi, or a county governor
    of a running pilot (the worklist of the queue, the matching pages)."""
    return settlement_powers(user).any


def sees_as_settlement_authority(user) -> bool:
    """IMDi's officers and a running pilot's county governor: those who see the cases of their area
    the way the settlement authority does (health notes of cases they see, the queue worklist) —
    whether or not they may act on each of them."""
    role = scope_for(user).role
    return role in IMDI_ROLES or (role == Role.COUNTY_GOVERNOR and settlement_powers(user).any)


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


# --- who manages access ("tilgangsforvaltning") -------------------------------------------------------


@dataclass(frozen=True)
class AccessAdmin:
    """What an administrator of access manages: everyone (IMDi national, a superuser) or the
    municipal users of one municipality (a municipal user marked as local administrator)."""

    everyone: bool
    municipality_id: int | None = None

    def covers_profile(self, profile: Profile) -> bool:
        if self.everyone:
            return True
        return profile.role == Role.MUNICIPAL and profile.municipality_id == self.municipality_id


def access_admin_of(user) -> AccessAdmin | None:
    """The access ``user`` may grant and revoke, or None when it may manage nobody's."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if not _has_profile(user):
        return AccessAdmin(everyone=True) if user.is_superuser else None
    profile = user.profile
    if user.is_superuser or profile.role == Role.IMDI_NATIONAL:
        return AccessAdmin(everyone=True)
    if profile.role == Role.MUNICIPAL and profile.is_local_admin and profile.municipality_id:
        return AccessAdmin(everyone=False, municipality_id=profile.municipality_id)
    return None


def may_manage_access(user) -> bool:
    """Whether the user may open the access pages (``/konto/tilganger/``)."""
    return access_admin_of(user) is not None


def _managed(admin: AccessAdmin, queryset: QuerySet) -> QuerySet:
    if admin.everyone:
        return queryset
    return queryset.filter(role=Role.MUNICIPAL, municipality_id=admin.municipality_id)


def managed_profiles(user) -> QuerySet[Profile]:
    """The users whose access ``user`` manages — with access and revoked (``user.is_active``) — by
    name; none when it manages nobody's."""
    admin = access_admin_of(user)
    if admin is None:
        return Profile.objects.none()
    return (
        _managed(admin, Profile.objects.all())
        .select_related("user", "office", "municipality", "county")
        .prefetch_related("user__identities")
        .order_by("user__first_name", "user__username")
    )


def managed_profile(user, user_id: int) -> Profile:
    """One user whose access ``user`` manages; ``Http404`` for anyone else (no existence leak)."""
    profile = managed_profiles(user).filter(user_id=user_id).first()
    if profile is None:
        raise Http404(_("Brukeren finnes ikke, eller du forvalter ikke tilgangen hennes."))
    return profile


def open_grants(user) -> QuerySet[AccessGrant]:
    """The pending grants (not yet claimed or withdrawn) that ``user`` manages, newest first."""
    admin = access_admin_of(user)
    if admin is None:
        return AccessGrant.objects.none()
    return _managed(
        admin, AccessGrant.objects.filter(claimed_at__isnull=True, withdrawn_at__isnull=True)
    ).select_related("office", "municipality", "county", "granted_by")


def open_grant(user, grant_id: int) -> AccessGrant:
    """One pending grant that ``user`` manages; ``Http404`` otherwise."""
    grant = open_grants(user).filter(pk=grant_id).first()
    if grant is None:
        raise Http404(_("Tildelingen finnes ikke, eller du forvalter den ikke."))
    return grant


def visible_access_objects(user) -> dict[str, QuerySet]:
    """For the change log (``audit.registry``): the profiles and grants whose history ``user`` may
    read — those it manages."""
    admin = access_admin_of(user)
    if admin is None:
        return {}
    return {
        "accounts.profile": _managed(admin, Profile.objects.all()),
        "accounts.accessgrant": _managed(admin, AccessGrant.objects.all()),
    }


def identity_by_id(identity_id) -> Identity | None:
    """A verified identity by its id (the "no access" page keeps it in the session), or None."""
    if not isinstance(identity_id, int):
        return None
    return Identity.objects.filter(pk=identity_id).first()


# --- reads for notifications ----------------------------------------------------------------------
# Who gets a notice about a municipality ("mottakere"): the same scope rules as every read, turned
# round — the users whose scope covers the municipality in the role the notice is for.


def municipal_officer_ids(numbers: Iterable[str]) -> dict[str, list[int]]:
    """The active municipal officers of each municipality (by number), by user id."""
    wanted = set(numbers)
    found: dict[str, list[int]] = {n: [] for n in wanted}
    rows = (
        Profile.objects.filter(
            role=Role.MUNICIPAL, municipality__number__in=wanted, user__is_active=True
        )
        .order_by("user_id")
        .values_list("municipality__number", "user_id")
    )
    for number, user_id in rows:
        found[number].append(user_id)
    return found


def imdi_officer_ids(numbers: Iterable[str]) -> dict[str, list[int]]:
    """For each municipality (by number), the active IMDi regional officers whose office covers it —
    or, where no regional officer does, IMDi national's officers. By user id."""
    wanted = set(numbers)
    regional = (
        Profile.objects.filter(role=Role.IMDI_REGIONAL, office__isnull=False, user__is_active=True)
        .select_related("office")
        .order_by("user_id")
    )
    covered: dict[int, set[str]] = {}
    found: dict[str, list[int]] = {n: [] for n in wanted}
    for profile in regional:
        if profile.office_id not in covered:
            covered[profile.office_id] = municipality_numbers_for_office(profile.office)
        for number in wanted & covered[profile.office_id]:
            found[number].append(profile.user_id)
    if any(not ids for ids in found.values()):
        national = list(
            Profile.objects.filter(role=Role.IMDI_NATIONAL, user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
        for ids in found.values():
            if not ids:
                ids.extend(national)
    return found


def active_user_ids(user_ids: Iterable[int]) -> list[int]:
    """Of these user ids, the active users'."""
    return list(
        get_user_model()
        .objects.filter(pk__in=set(user_ids), is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def email_addresses(user_ids: Iterable[int]) -> dict[int, str]:
    """The e-mail address of each of these active users that has one, by user id."""
    return dict(
        get_user_model()
        .objects.filter(pk__in=set(user_ids), is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
