"""The login pages: the password, a second step with a code for those who need it, setting up the
authenticator app during the first such login, and the page for a verified identity without access.

After a right password a user who needs a second factor (``twofactor.second_factor_required``) is
not logged in: the session only remembers, for five minutes, who passed the first step. The code
page then logs them in; a wrong code is a failed login (django-axes counts it, the access log has it).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from bosetting.apps.accounts import oidc
from bosetting.apps.accounts.selectors import identity_by_id
from bosetting.apps.accounts.twofactor import (
    check_second_factor,
    do_confirm_enrolment,
    do_start_enrolment,
    has_authenticator,
    is_locked_out,
    pending_authenticator,
    qr_data_uri,
    record_wrong_code,
    second_factor_required,
    secret_text,
)

#: The session key of a login half done (the password was right, the code is still due).
PENDING_KEY = "login_second_step"
#: The session key of recovery codes just made, shown once on the two-factor page.
NEW_CODES_KEY = "new_recovery_codes"
#: How long the second step may take after the password.
SECOND_STEP_SECONDS = 300


class LoginView(auth_views.LoginView):
    """The login page: username and password, and the identity provider's button when it is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.enabled()
        context["oidc_label"] = settings.BOSETTING_OIDC_LABEL
        return context

    def form_valid(self, form):
        user = form.get_user()
        if not second_factor_required(user):
            return super().form_valid(form)
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("login_code" if has_authenticator(user) else "login_enrol")


def _pending(request: HttpRequest):
    """The user who passed the password step in this session (and in time), with the step's data."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > SECOND_STEP_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    return user, pending


def _finish(request: HttpRequest, user, pending: dict, to: str | None = None) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    auth_login(request, user, backend=pending["backend"])
    return redirect(to or pending["next"])


def _expired(request: HttpRequest) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    return redirect(settings.LOGIN_URL)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a recovery code."""
    user, pending = _pending(request)
    if user is None:
        return _expired(request)
    error = ""
    if request.method == "POST":
        if check_second_factor(request, user, request.POST.get("code", "")):
            return _finish(request, user, pending)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING_KEY, None)
        error = _("Feil kode. Prøv igjen med en ny kode fra appen, eller bruk en reservekode.")
    return render(request, "registration/login_code.html", {"error": error})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    """The first login of a user who must use two-factor login and has no authenticator yet: set it
    up (scan the QR code or type the secret), confirm with a code, get the recovery codes."""
    user, pending = _pending(request)
    if user is None:
        return _expired(request)
    if has_authenticator(user):
        return redirect("login_code")
    error = ""
    device = pending_authenticator(user)
    if request.method == "POST" and device is not None:
        if is_locked_out(request, user):
            request.session.pop(PENDING_KEY, None)
        else:
            codes = do_confirm_enrolment(user, request.POST.get("code", ""))
            if codes is not None:
                request.session[NEW_CODES_KEY] = codes
                return _finish(request, user, pending, to="accounts:two_factor")
            record_wrong_code(request, user)
            error = _(
                "Koden stemmer ikke. Sjekk at klokken på telefonen går riktig, og prøv igjen."
            )
    if device is None:
        device = do_start_enrolment(user)
    return render(
        request,
        "registration/login_enrol.html",
        {"qr": qr_data_uri(device), "secret": secret_text(device), "error": error},
    )


@never_cache
def no_access(request: HttpRequest) -> HttpResponse:
    """A verified identity without access: who they are, and whom to ask. No session, no data."""
    identity = identity_by_id(request.session.get(oidc.NO_ACCESS_SESSION_KEY))
    if identity is None:
        return redirect(settings.LOGIN_URL)
    raise PermissionDenied(
        _(
            "Du er logget inn som %(name)s, men har ikke fått tilgang ennå; kontakt din "
            "administrator. Oppgi referansen %(reference)s."
        )
        % {"name": identity.display_name, "reference": identity.subject}
    )
