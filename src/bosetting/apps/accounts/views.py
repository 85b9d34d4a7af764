"""The account pages: the user's own API tokens ("API-nøkler") and two-factor login ("tofaktor"), and
the administrators' access pages ("tilganger": list, grant, change, revoke)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from bosetting.apps.accounts.forms import ChangeForm, CodeForm, GrantForm
from bosetting.apps.accounts.login import NEW_CODES_KEY
from bosetting.apps.accounts.selectors import (
    access_admin_of,
    managed_profile,
    managed_profiles,
    open_grants,
    tokens_of,
)
from bosetting.apps.accounts.services import (
    do_change_access,
    do_create_token,
    do_grant_access,
    do_restore_access,
    do_revoke_access,
    do_revoke_token,
    do_withdraw_grant,
)
from bosetting.apps.accounts.twofactor import (
    do_confirm_enrolment,
    do_new_recovery_codes,
    do_remove_authenticator,
    do_start_enrolment,
    has_authenticator,
    pending_authenticator,
    policy_requires_second_factor,
    qr_data_uri,
    recovery_codes_left,
    role_needs_second_factor,
    secret_text,
    verify_second_factor,
)
from bosetting.errors import Conflict


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens with when they were made, last used and expire; a new key is shown once."""
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": tokens_of(request.user),
            "now": timezone.now(),
            "new_key": request.session.pop("new_token_key", None),
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Make a new token; its key is shown on the next page, once."""
    label = request.POST.get("label", "").strip()
    request.session["new_token_key"] = do_create_token(request.user, label=label)
    return redirect("accounts:tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's own tokens."""
    if do_revoke_token(request.user, pk):
        messages.success(request, _("Nøkkelen er trukket tilbake og virker ikke lenger."))
    else:
        messages.error(request, _("Fant ingen aktiv nøkkel med det nummeret."))
    return redirect("accounts:tokens")


# --- two-factor login ("tofaktor") ------------------------------------------------------------------


@never_cache
@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The user's two-factor login: whether it is on, setting up the app (QR code and secret, drawn
    on the server), new recovery codes (shown once)."""
    user = request.user
    device = pending_authenticator(user)
    required = policy_requires_second_factor() and role_needs_second_factor(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "password_user": user.has_usable_password(),
            "active": has_authenticator(user),
            "required": required,
            "codes_left": recovery_codes_left(user),
            "new_codes": request.session.pop(NEW_CODES_KEY, None),
            "qr": qr_data_uri(device) if device else None,
            "secret": secret_text(device) if device else None,
            "form": CodeForm(),
        },
    )


@login_required
@require_POST
def two_factor_start(request: HttpRequest) -> HttpResponse:
    """Start setting up an authenticator app (a new secret)."""
    if not request.user.has_usable_password():
        raise PermissionDenied(
            _("Du logger inn gjennom identitetsleverandøren og trenger ikke app.")
        )
    do_start_enrolment(request.user)
    return redirect("accounts:two_factor")


@sensitive_post_parameters("code")
@login_required
@require_POST
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    """Confirm the app with a code; the recovery codes are shown once."""
    codes = do_confirm_enrolment(request.user, request.POST.get("code", ""))
    if codes is None:
        messages.error(request, _("Koden stemmer ikke. Prøv igjen med en ny kode fra appen."))
    else:
        request.session[NEW_CODES_KEY] = codes
        messages.success(request, _("Tofaktorinnlogging er slått på."))
    return redirect("accounts:two_factor")


@sensitive_post_parameters("code")
@login_required
@require_POST
def two_factor_new_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after a code from the app."""
    if not verify_second_factor(request.user, request.POST.get("code", "")):
        messages.error(request, _("Koden stemmer ikke."))
    else:
        request.session[NEW_CODES_KEY] = do_new_recovery_codes(request.user)
    return redirect("accounts:two_factor")


@sensitive_post_parameters("code")
@login_required
@require_POST
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Turn two-factor login off, after a code — not for roles that must use it."""
    user = request.user
    if policy_requires_second_factor() and role_needs_second_factor(user):
        raise PermissionDenied(_("Rollen din må bruke tofaktorinnlogging."))
    if not verify_second_factor(user, request.POST.get("code", "")):
        messages.error(request, _("Koden stemmer ikke."))
    else:
        do_remove_authenticator(user)
        messages.success(request, _("Tofaktorinnlogging er slått av."))
    return redirect("accounts:two_factor")


# --- access ("tilganger") ----------------------------------------------------------------------------


def _admin_or_refuse(request: HttpRequest):
    admin = access_admin_of(request.user)
    if admin is None:
        raise PermissionDenied(_("Bare administratorer kan forvalte tilganger."))
    return admin


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def access(request: HttpRequest) -> HttpResponse:
    """The users whose access the administrator manages, the revoked ones, the pending grants, and
    the form for a new grant."""
    admin = _admin_or_refuse(request)
    profiles = list(managed_profiles(request.user))
    form = GrantForm(request.POST or None, everyone=admin.everyone)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_grant_access(
                request.user,
                kind=data["kind"],
                identifier=data["identifier"],
                full_name=data["full_name"],
                is_local_admin=data["is_local_admin"],
                **(form.area() or _own_area(request.user)),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Tilgangen er gitt. Den tas i bruk ved første innlogging."))
            return redirect("accounts:access")
    return render(
        request,
        "accounts/access.html",
        {
            "admin": admin,
            "municipality": None if admin.everyone else request.user.profile.municipality,
            "active_profiles": [p for p in profiles if p.user.is_active],
            "revoked_profiles": [p for p in profiles if not p.user.is_active],
            "grants": open_grants(request.user),
            "form": form,
        },
        status=422 if request.method == "POST" else 200,
    )


def _own_area(user) -> dict:
    """A municipal administrator grants municipal access to its own municipality."""
    profile = user.profile
    return {"role": "municipal", "municipality_number": profile.municipality.number}


@login_required
def access_change(request: HttpRequest, user_id: int) -> HttpResponse:
    """Change a user's role and area (IMDi national) or local-administrator flag."""
    admin = _admin_or_refuse(request)
    profile = managed_profile(request.user, user_id)
    initial = {
        "role": profile.role,
        "office": profile.office.code if profile.office else "",
        "municipality": profile.municipality.number if profile.municipality else "",
        "county": profile.county.number if profile.county else "",
        "is_local_admin": profile.is_local_admin,
    }
    form = ChangeForm(request.POST or None, initial=initial, everyone=admin.everyone)
    if request.method == "POST" and form.is_valid():
        try:
            do_change_access(
                request.user,
                user_id,
                is_local_admin=form.cleaned_data["is_local_admin"],
                **form.area(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Tilgangen er endret."))
            return redirect("accounts:access")
    return render(
        request,
        "accounts/access_change.html",
        {"profile": profile, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def access_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    """Revoke a user's access."""
    try:
        profile = do_revoke_access(request.user, user_id)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Tilgangen til %(name)s er trukket tilbake.") % {"name": _name(profile)}
        )
    return redirect("accounts:access")


@login_required
@require_POST
def access_restore(request: HttpRequest, user_id: int) -> HttpResponse:
    """Give a revoked user its access back."""
    try:
        profile = do_restore_access(request.user, user_id)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s har fått tilgangen tilbake.") % {"name": _name(profile)}
        )
    return redirect("accounts:access")


@login_required
@require_POST
def grant_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a pending grant."""
    try:
        do_withdraw_grant(request.user, pk)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Tildelingen er trukket tilbake."))
    return redirect("accounts:access")


def _name(profile) -> str:
    return profile.user.first_name or profile.user.get_username()
