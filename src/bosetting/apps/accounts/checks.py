"""System checks of the identity settings (``manage.py check``; ``--deploy`` for the production ones)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def check_oidc(app_configs=None, **kwargs):
    """With OpenID Connect on: a client, a way to find the provider, a signature checked by its keys."""
    if not settings.BOSETTING_OIDC_ENABLED:
        return []
    errors = []
    if not settings.OIDC_RP_CLIENT_ID or not settings.OIDC_RP_CLIENT_SECRET:
        errors.append(
            Error(
                "OpenID Connect is on, but OIDC_RP_CLIENT_ID or OIDC_RP_CLIENT_SECRET is not set.",
                id="accounts.E001",
            )
        )
    explicit = (
        settings.OIDC_OP_ISSUER,
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        settings.OIDC_OP_TOKEN_ENDPOINT,
        settings.OIDC_OP_JWKS_ENDPOINT,
    )
    if not settings.OIDC_OP_DISCOVERY_URL and not all(explicit):
        errors.append(
            Error(
                "OpenID Connect needs OIDC_OP_DISCOVERY_URL, or OIDC_OP_ISSUER, "
                "OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_JWKS_ENDPOINT.",
                id="accounts.E002",
            )
        )
    if not settings.OIDC_RP_SIGN_ALGO.startswith(("RS", "ES", "PS")):
        errors.append(
            Error(
                f"OIDC_RP_SIGN_ALGO={settings.OIDC_RP_SIGN_ALGO}: ID tokens must be signed with the "
                "provider's key (RS256, ES256, PS256 ...), checked against its JWKS.",
                id="accounts.E003",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def check_two_factor(app_configs=None, **kwargs):
    """In production, two-factor login for the roles that see health notes is not switched off."""
    if settings.BOSETTING_REQUIRE_2FA is False:
        return [
            Warning(
                "BOSETTING_REQUIRE_2FA=false: password users whose role sees health notes log in "
                "without a second factor.",
                hint="Leave it unset (required behind TLS) or use the identity provider.",
                id="accounts.W001",
            )
        ]
    return []
