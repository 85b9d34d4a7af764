"""Login through OpenID Connect: ID-porten or an agency's own identity provider (mozilla-django-oidc).

The authorization-code flow with PKCE, state and nonce. The provider's endpoints come from the
environment one by one, or from its discovery document (``OIDC_OP_DISCOVERY_URL``), fetched on the
first login and kept for an hour. The ID token must be signed with the configured algorithm (RS256 by
default) by a key of the provider's JWKS; beyond what mozilla-django-oidc checks (signature, expiry,
nonce), its issuer and audience are checked too (OIDC Core 3.1.3.7), and its security level (``acr``)
when ``BOSETTING_OIDC_ACCEPTED_ACR`` names the accepted ones, as ID-porten asks of its clients.

The verified identity is then mapped to a user by ``services.do_sign_in_identity``: a person with
access logs in with its role and area; a person without gets the "no access yet" page and no session.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from threading import Lock

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from bosetting.apps.accounts.services import do_sign_in_identity

logger = logging.getLogger(__name__)

#: The session key of the verified identity shown on the "no access yet" page.
NO_ACCESS_SESSION_KEY = "oidc_identity_without_access"
#: How long a fetched discovery document is used before it is fetched again.
DISCOVERY_SECONDS = 3600


def enabled() -> bool:
    """Whether login through the identity provider is offered."""
    return bool(settings.BOSETTING_OIDC_ENABLED)


@dataclass(frozen=True)
class Provider:
    """The identity provider's issuer and endpoints."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str


_discovered: dict[str, tuple[float, dict]] = {}
_discovered_lock = Lock()

_EXPLICIT = {
    "issuer": "OIDC_OP_ISSUER",
    "authorization_endpoint": "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "token_endpoint": "OIDC_OP_TOKEN_ENDPOINT",
    "userinfo_endpoint": "OIDC_OP_USER_ENDPOINT",
    "jwks_uri": "OIDC_OP_JWKS_ENDPOINT",
}


def _discovery_document(url: str) -> dict:
    with _discovered_lock:
        cached = _discovered.get(url)
        if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    if not isinstance(document, dict) or not document.get("issuer"):
        raise ImproperlyConfigured(f"{url} is not an OpenID Connect discovery document")
    with _discovered_lock:
        _discovered[url] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    """Drop the cached discovery documents (a changed configuration, the tests)."""
    with _discovered_lock:
        _discovered.clear()


def provider() -> Provider:
    """The provider's endpoints: each from its setting when given, else from discovery."""
    values = {field: getattr(settings, name, "") or "" for field, name in _EXPLICIT.items()}
    missing = [field for field, value in values.items() if not value]
    if missing and settings.OIDC_OP_DISCOVERY_URL:
        document = _discovery_document(settings.OIDC_OP_DISCOVERY_URL)
        for field in missing:
            values[field] = document.get(field, "") or ""
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(values[field] for field in required):
        raise ImproperlyConfigured(
            "OpenID Connect needs OIDC_OP_DISCOVERY_URL, or OIDC_OP_ISSUER and the authorization, "
            "token and JWKS endpoints"
        )
    return Provider(**values)


class OidcBackend(OIDCAuthenticationBackend):
    """Authenticates the callback of the authorization-code flow and maps the identity to a user.

    Idle for every other login: Django asks each backend, so its settings are read only when a
    callback arrives, not when it is loaded."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce; a password login must never reach the provider.
        if request is None or "nonce" not in kwargs or not enabled():
            return None
        self.provider = provider()
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The ID token's signature, expiry, issuer, audience and security level."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("ID token signed with another algorithm than configured")
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=60,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        audience = claims["aud"]
        if isinstance(audience, list) and len(audience) > 1:
            if claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SuspiciousOperation("ID token for several audiences without our azp")
        accepted = settings.BOSETTING_OIDC_ACCEPTED_ACR
        if accepted and claims.get("acr") not in accepted:
            raise SuspiciousOperation(f"security level {claims.get('acr')!r} is not accepted")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The checked ID token's claims; the userinfo endpoint (when there is one) adds the name and
        e-mail address, for the same subject only."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if str(info.get("sub")) != str(payload.get("sub")):
                raise SuspiciousOperation("userinfo is about another subject than the ID token")
            for name, value in info.items():
                claims.setdefault(name, value)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        outcome = do_sign_in_identity(
            claims,
            pid_claim=settings.BOSETTING_OIDC_PID_CLAIM,
            trust_email=settings.BOSETTING_OIDC_TRUST_EMAIL,
        )
        if outcome.user is None:
            # Verified, but no access: the callback view shows who they are, without a session.
            self.request.oidc_identity_without_access = outcome.identity
        return outcome.user

    def get_user(self, user_id):
        """The session's user — unless its access was revoked (``is_active``) meanwhile."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class OidcLoginView(OIDCAuthenticationRequestView):
    """Start the login at the identity provider (the button on the login page)."""

    def __init__(self, **kwargs):
        # Skip the parent's reading of settings: endpoints are resolved per request (discovery).
        View.__init__(self, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404(_("Innlogging med identitetsleverandør er ikke slått på."))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except (requests.RequestException, ValueError, ImproperlyConfigured):
            logger.exception("OpenID Connect provider unavailable")
            messages.error(
                request, _("Innloggingstjenesten svarer ikke nå. Prøv igjen litt senere.")
            )
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request):
        params = {"ui_locales": get_language() or settings.LANGUAGE_CODE}
        if settings.BOSETTING_OIDC_ACR_VALUES:
            params["acr_values"] = settings.BOSETTING_OIDC_ACR_VALUES
        return params


class OidcCallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code: exchange it, check the ID token, map the
    identity. With access: logged in. Verified without access: the "no access yet" page."""

    def get(self, request):
        if not enabled():
            raise Http404(_("Innlogging med identitetsleverandør er ikke slått på."))
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, ValueError, ImproperlyConfigured):
            logger.warning("OpenID Connect login refused", exc_info=True)
            return self.login_failure()

    def login_failure(self):
        request = self.request
        identity = getattr(request, "oidc_identity_without_access", None)
        if identity is not None:
            # Recorded as a failed login (the access log; django-axes counts it per address).
            user_login_failed.send(
                sender=__name__,
                credentials={"username": f"oidc:{identity.subject}"[:150]},
                request=request,
            )
            logout(request)  # whatever session this browser had ends: no session without access
            request.session[NO_ACCESS_SESSION_KEY] = identity.pk
            return redirect("login_no_access")
        messages.error(request, _("Innloggingen ble ikke fullført. Prøv igjen."))
        return redirect("login")
