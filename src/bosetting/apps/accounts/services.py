"""Writes for accounts: users with their role and area, API tokens, and who has access — grants made
by administrators and claimed by a verified identity's first login (docs/security.md)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.apps.accounts.choices import IdentifierKind, Role
from bosetting.apps.accounts.models import AccessGrant, ApiToken, Identity, Profile
from bosetting.apps.accounts.selectors import (
    AccessAdmin,
    access_admin_of,
    managed_profile,
    open_grant,
)
from bosetting.apps.accounts.twofactor import check_second_factor, second_factor_required
from bosetting.apps.geo.selectors import county, municipality, office_by_code
from bosetting.errors import Conflict
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


def do_issue_token(request, username: str, password: str, code: str = "") -> str | None:
    """A new bearer token for valid credentials (``POST /api/token``), else None.

    Authentication goes through Django's backends with the request, so failed attempts count towards
    the login lockout (django-axes) exactly as on the login page. A user who needs a second factor
    on the login page needs it here too: ``code`` from the authenticator app, or a recovery code; a
    wrong one counts towards the lockout as well."""
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    if second_factor_required(user) and not check_second_factor(request, user, code):
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
    is_local_admin: bool = False,
    structure_year: int = DEFAULT_STRUCTURE_YEAR,
    email: str | None = None,
):
    """Create or reset a user with a role and its area ("bruker med rolle"); the system itself (the
    demo builder, an operator) calls it. The profile's rules (a role's area; only a municipal user
    may be a local administrator) are checked. ``email`` (where notices go) is left as it is when
    not given."""
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.first_name = full_name
    if email is not None:
        user.email = email
    user.set_password(password)
    user.save()
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.role = role
    profile.office = office_by_code(office_code) if office_code else None
    profile.municipality = (
        municipality(municipality_number, structure_year) if municipality_number else None
    )
    profile.county = county(county_number, structure_year) if county_number else None
    profile.is_local_admin = is_local_admin
    profile.full_clean(exclude=["user"])
    profile.save()
    return user


# --- who has access ("tilganger") ----------------------------------------------------------------------

#: Sent inside the transaction of every change of who has access: a grant made, claimed or withdrawn,
#: a user's role, area or administrator flag changed, access revoked or restored. Arguments: ``actor``
#: (who did it), ``action``, ``obj`` (the profile or grant), ``before`` and ``after`` (field values).
#: The change log connects to it (audit's ``AppConfig.ready`` records it with ``do_record``): accounts
#: lies below audit in the layers and may not call it. A receiver's error undoes the change.
access_changed = Signal()


def _state(obj: models.Model) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _announce(actor, action: str, obj, *, before=None, after=None, note: str = "") -> None:
    access_changed.send(
        sender=type(obj),
        actor=actor,
        action=action,
        obj=obj,
        before=before,
        after=_state(obj) if after is None else after,
        note=note,
    )


def _admin_or_refuse(actor) -> AccessAdmin:
    admin = access_admin_of(actor)
    if admin is None:
        raise PermissionDenied(_("Du kan ikke forvalte tilganger."))
    return admin


def _refuse_outside(admin: AccessAdmin, role: str, municipality_id: int | None) -> None:
    """A municipal administrator manages municipal users of its own municipality, nobody else."""
    if admin.everyone:
        return
    if role != Role.MUNICIPAL or municipality_id != admin.municipality_id:
        raise PermissionDenied(_("Du kan bare forvalte tilgang for brukere i din egen kommune."))


def _area(
    role: str,
    office_code: str | None,
    municipality_number: str | None,
    county_number: str | None,
    structure_year: int,
) -> dict:
    """The geo objects of a role's area; unknown codes are a ValidationError naming the field."""
    area: dict = {"office": None, "municipality": None, "county": None}
    lookups = (
        ("office", office_code, lambda v: office_by_code(v)),
        ("municipality", municipality_number, lambda v: municipality(v, structure_year)),
        ("county", county_number, lambda v: county(v, structure_year)),
    )
    for field, value, lookup in lookups:
        if value:
            try:
                area[field] = lookup(value)
            except ObjectDoesNotExist as exc:
                raise ValidationError(
                    {field: _("Finnes ikke: %(value)s") % {"value": value}}
                ) from exc
    return area


def _check_profile_rules(role: str, area: dict, is_local_admin: bool) -> None:
    """The rules of a profile (a role's area, who may be a local administrator) for a grant."""
    Profile(role=role, is_local_admin=is_local_admin, **area).full_clean(exclude=["user"])


def normalised_identifier(kind: str, identifier: str) -> str:
    """An identifier as grants store it: digits of an identity number, a lower-case e-mail address, a
    trimmed reference. A malformed one is a ValidationError on ``identifier``."""
    value = (identifier or "").strip()
    if kind == IdentifierKind.PID:
        value = re.sub(r"[\s.-]", "", value)
        if not re.fullmatch(r"\d{11}", value):
            raise ValidationError({"identifier": _("Et fødselsnummer har 11 sifre.")})
    elif kind == IdentifierKind.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError({"identifier": _("Ugyldig e-postadresse.")}) from exc
    elif kind == IdentifierKind.SUBJECT:
        if not value or len(value) > 255:
            raise ValidationError({"identifier": _("Oppgi referansen fra innloggingen.")})
    else:
        raise ValidationError({"kind": _("Ukjent type identifikator.")})
    return value


@transaction.atomic
def do_grant_access(
    actor,
    *,
    kind: str,
    identifier: str,
    role: str,
    full_name: str = "",
    office_code: str | None = None,
    municipality_number: str | None = None,
    county_number: str | None = None,
    is_local_admin: bool = False,
    structure_year: int = DEFAULT_STRUCTURE_YEAR,
) -> AccessGrant:
    """Grant a person a role and an area before their first login ("gi tilgang").

    The person is named by the identifier they will log in with (identity number, e-mail address or
    the reference ``sub``); their first login through the identity provider claims the grant. IMDi
    national (and a superuser) grants any role and area; a municipal administrator only municipal
    access to its own municipality (else ``PermissionDenied``). A second open grant for the same
    identifier is a ``Conflict``. Audited."""
    admin = _admin_or_refuse(actor)
    identifier = normalised_identifier(kind, identifier)
    area = _area(role, office_code, municipality_number, county_number, structure_year)
    municipality_obj = area["municipality"]
    _refuse_outside(admin, role, municipality_obj.pk if municipality_obj else None)
    _check_profile_rules(role, area, is_local_admin)
    taken = Q(kind=kind, identifier=identifier, claimed_at__isnull=True, withdrawn_at__isnull=True)
    if AccessGrant.objects.filter(taken).exists():
        raise Conflict(_("Det finnes allerede en ventende tildeling for denne identifikatoren."))
    try:
        with transaction.atomic():
            grant = AccessGrant.objects.create(
                kind=kind,
                identifier=identifier,
                full_name=full_name.strip()[:200],
                role=role,
                is_local_admin=is_local_admin,
                granted_by=actor,
                **area,
            )
    except IntegrityError as exc:  # the same grant made at the same moment by someone else
        raise Conflict(
            _("Det finnes allerede en ventende tildeling for denne identifikatoren.")
        ) from exc
    _announce(actor, "grant", grant, note="tilgang gitt før første innlogging")
    return grant


@transaction.atomic
def do_withdraw_grant(actor, grant_id: int) -> AccessGrant:
    """Withdraw a pending grant that has not been claimed ("trekk tilbake tildeling"). Outside the
    actor's area ``Http404``; already claimed or withdrawn meanwhile ``Conflict``. Audited."""
    _admin_or_refuse(actor)
    grant = AccessGrant.objects.select_for_update().get(pk=open_grant(actor, grant_id).pk)
    if not grant.is_open:
        raise Conflict(_("Tildelingen er allerede tatt i bruk eller trukket tilbake."))
    before = _state(grant)
    grant.withdrawn_at = timezone.now()
    grant.save(update_fields=["withdrawn_at"])
    _announce(actor, "withdraw", grant, before=before, note="ventende tildeling trukket tilbake")
    return grant


@transaction.atomic
def do_change_access(
    actor,
    user_id: int,
    *,
    role: str | None = None,
    office_code: str | None = None,
    municipality_number: str | None = None,
    county_number: str | None = None,
    is_local_admin: bool | None = None,
    structure_year: int = DEFAULT_STRUCTURE_YEAR,
) -> Profile:
    """Change a user's role and area (``role`` given) or local-administrator flag ("endre tilgang").

    A municipal administrator may change only the flag of its own municipality's users (a role or
    area outside it is ``PermissionDenied``) and may not remove its own flag (``Conflict``). A user
    outside the actor's area is ``Http404``. Audited."""
    admin = _admin_or_refuse(actor)
    profile = Profile.objects.select_for_update().get(pk=managed_profile(actor, user_id).pk)
    before = _state(profile)
    if role is not None:
        area = _area(role, office_code, municipality_number, county_number, structure_year)
        profile.role = role
        profile.office, profile.municipality, profile.county = (
            area["office"],
            area["municipality"],
            area["county"],
        )
    if is_local_admin is not None:
        if profile.user_id == actor.pk and not is_local_admin and not admin.everyone:
            raise Conflict(_("Du kan ikke fjerne din egen administratorrolle."))
        profile.is_local_admin = is_local_admin
    if profile.role != Role.MUNICIPAL:
        profile.is_local_admin = False
    _refuse_outside(admin, profile.role, profile.municipality_id)
    profile.full_clean(exclude=["user"])
    profile.save()
    _announce(actor, "change", profile, before=before)
    return profile


def _set_active(actor, user_id: int, active: bool) -> Profile:
    _admin_or_refuse(actor)
    profile = managed_profile(actor, user_id)
    if profile.user_id == actor.pk:
        raise Conflict(_("Du kan ikke endre din egen tilgang på denne måten."))
    user = get_user_model().objects.select_for_update().get(pk=profile.user_id)
    if user.is_active == active:
        raise Conflict(
            _("Brukeren har allerede tilgang.")
            if active
            else _("Tilgangen er allerede trukket tilbake.")
        )
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        do_revoke_all_tokens(user, "access revoked")
    _announce(
        actor,
        "restore" if active else "revoke",
        profile,
        before={"user_is_active": not active},
        after={"user_is_active": active},
        note="tilgang gitt tilbake" if active else "tilgang trukket tilbake",
    )
    return profile


@transaction.atomic
def do_revoke_access(actor, user_id: int) -> Profile:
    """Revoke a user's access ("trekk tilbake tilgang"): the user can no longer log in, its sessions
    end at their next request and its API tokens are revoked; the role and area stay on record. Not
    one's own access (``Conflict``); outside the actor's area ``Http404``. Audited."""
    return _set_active(actor, user_id, False)


@transaction.atomic
def do_restore_access(actor, user_id: int) -> Profile:
    """Give a revoked user its access back, with the role and area it had. Audited."""
    return _set_active(actor, user_id, True)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a verified identity's login: the identity, and its user — None when the
    person has no access (yet)."""

    identity: Identity
    user: object | None


def _claim_value(claims: Mapping, name: str) -> str:
    value = claims.get(name)
    return str(value).strip() if value not in (None, "") else ""


def _username_for(identity: Identity) -> str:
    digest = hashlib.sha256(f"{identity.issuer}|{identity.subject}".encode()).hexdigest()
    return f"oidc-{digest[:12]}"


def _matching_grant(identity: Identity, email_trusted: bool) -> AccessGrant | None:
    """The open grant for this identity, preferring the most exact identifier: the provider's
    reference, then the identity number, then a verified e-mail address."""
    wanted = [(IdentifierKind.SUBJECT, identity.subject)]
    if identity.pid:
        wanted.append((IdentifierKind.PID, identity.pid))
    if identity.email and email_trusted:
        wanted.append((IdentifierKind.EMAIL, identity.email))
    for kind, identifier in wanted:
        grant = (
            AccessGrant.objects.select_for_update()
            .filter(
                kind=kind, identifier=identifier, claimed_at__isnull=True, withdrawn_at__isnull=True
            )
            .first()
        )
        if grant is not None:
            return grant
    return None


def _claim(grant: AccessGrant, identity: Identity):
    """Give the identity's person the grant's role and area: a new user (no password: the identity
    provider is the only way in) or the revoked user it had."""
    user = identity.user
    if user is None:
        user = get_user_model().objects.create_user(_username_for(identity), password=None)
    user.first_name = (grant.full_name or identity.name)[:150]
    user.is_active = True
    user.save()
    identity.user = user
    identity.save()
    profile = Profile.objects.filter(user=user).first()
    before = _state(profile) if profile is not None else None
    profile = profile or Profile(user=user)
    profile.role = grant.role
    profile.office, profile.municipality, profile.county = (
        grant.office,
        grant.municipality,
        grant.county,
    )
    profile.is_local_admin = grant.is_local_admin
    profile.full_clean(exclude=["user"])
    profile.save()
    grant_before = _state(grant)
    grant.claimed_at = timezone.now()
    grant.claimed_by = user
    grant.save(update_fields=["claimed_at", "claimed_by"])
    note = "tildeling tatt i bruk ved innlogging"
    _announce(user, "claim", grant, before=grant_before, note=note)
    _announce(user, "claim", profile, before=before, note=note)
    return user


def _has_access(user) -> bool:
    if user is None or not user.is_active:
        return False
    return user.is_superuser or Profile.objects.filter(user=user).exists()


@transaction.atomic
def do_sign_in_identity(
    claims: Mapping, *, pid_claim: str = "pid", trust_email: bool = False
) -> SignIn:
    """Map a verified identity (the checked claims of an ID token, with userinfo) to a user.

    The identity (``iss`` + ``sub``) is recorded with its identity number (``pid_claim``, ID-porten's
    ``pid``), e-mail address and name. A person who has access logs in as its user. A person without
    access who has an open grant — by reference, identity number, or e-mail address when the provider
    vouches for it (``email_verified``, or ``trust_email`` for an agency's own provider) — claims it
    now. Anyone else gets no user: a verified identity alone gives no access."""
    identity, _created = Identity.objects.select_for_update().get_or_create(
        issuer=_claim_value(claims, "iss"), subject=_claim_value(claims, "sub")
    )
    pid = re.sub(r"\D", "", _claim_value(claims, pid_claim))
    identity.pid = pid if len(pid) == 11 else identity.pid
    identity.email = _claim_value(claims, "email").lower()[:254] or identity.email
    name = _claim_value(claims, "name") or " ".join(
        p for p in (_claim_value(claims, "given_name"), _claim_value(claims, "family_name")) if p
    )
    identity.name = name[:200] or identity.name
    identity.last_login_at = timezone.now()
    identity.save()
    if _has_access(identity.user):
        return SignIn(identity, identity.user)
    email_trusted = trust_email or claims.get("email_verified") is True
    grant = _matching_grant(identity, email_trusted)
    if grant is None:
        return SignIn(identity, None)
    return SignIn(identity, _claim(grant, identity))
