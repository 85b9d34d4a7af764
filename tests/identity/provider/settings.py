"""A real OpenID Connect provider for the identity tests (django-oidc-provider), run as its own process.

It stands in for ID-porten or an agency's identity provider: people log in on its own login page, it
issues authorization codes, RS256-signed ID tokens (its RSA key is generated when it starts) and
serves its discovery document, JWKS and userinfo. Its database is its own SQLite file; it listens only
on the loopback address. Everything comes from the environment the test fixture sets.
"""

from __future__ import annotations

import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

SECRET_KEY = os.environ["PROVIDER_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.identity.provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PROVIDER_DB"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
LOGIN_URL = "/login/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; test users only

# The issuer is SITE_URL + /openid (its discovery document is under /openid/.well-known/...).
SITE_URL = os.environ["PROVIDER_URL"]
OIDC_USERINFO = "tests.identity.provider.claims.userinfo"
OIDC_IDTOKEN_PROCESSING_HOOK = "tests.identity.provider.claims.id_token_claims"
OIDC_IDTOKEN_INCLUDE_CLAIMS = False
