"""Django settings. 12-factor: no environment at all means the embedded default.

SQLite in ``var/``, debug off, a generated secret kept in ``var/``.
``DATABASE_URL=postgres://...`` switches to PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

from bosetting.web.env import (
    env_bool,
    env_bytes,
    env_date,
    env_int,
    env_list,
    env_optional_bool,
    env_str,
    secret_key,
    var_dir,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = var_dir()

SECRET_KEY = secret_key(VAR_DIR)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000", "http://localhost:8000"]
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "bosetting.apps.accounts",
    "bosetting.apps.audit",
    "bosetting.apps.notifications",
    "bosetting.apps.letters",
    "bosetting.apps.geo",
    "bosetting.apps.jobs",
    "bosetting.apps.planning",
    "bosetting.apps.cases",
    "bosetting.apps.housing",
    "bosetting.apps.matching",
    "bosetting.apps.lifecycle",
    "bosetting.apps.finance",
    "bosetting.apps.coordination",
    "bosetting.apps.knowledge",
    "bosetting.apps.reports",
    "bosetting.apps.simulation",
    "bosetting.apps.imports",
    "bosetting.web",
]

MIDDLEWARE = [
    # First: everything after it (the session, the user, the views) shares one request's memory.
    "bosetting.web.middleware.RequestMemoMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bosetting.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a lockout (too many failed logins) into the 429 page or answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bosetting.web.urls"
WSGI_APPLICATION = "bosetting.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bosetting.web.context.site",
            ],
        },
    }
]

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    # The embedded SQLite serves several processes (gunicorn's workers, the background worker):
    # write-ahead logging so readers never wait for a writer; BEGIN IMMEDIATE so that a transaction
    # takes the write lock when it starts (a read that turns into a write cannot fail with "database
    # is locked" half-way); a busy timeout so that writers queue instead of failing. Tests run on a
    # file too (TEST NAME), so that concurrency tests meet the same locking as production.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "bosetting.sqlite3",
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": str(VAR_DIR / "test.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # full-text search (knowledge)
    INSTALLED_APPS.append("django.contrib.postgres")

# Logins (the form, the admin and POST /api/token) go through django-axes: after
# BOSETTING_LOGIN_FAILURE_LIMIT wrong passwords for a username from one address, that pair is locked
# for BOSETTING_LOGIN_LOCKOUT_MINUTES (docs/security.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # OpenID Connect (below); idle unless a callback from the identity provider arrives.
    "bosetting.apps.accounts.oidc.OidcBackend",
]
AXES_FAILURE_LIMIT = env_int("BOSETTING_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("BOSETTING_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "bosetting.web.views.locked_out"
# Proxies in front of the app (their X-Forwarded-For gives the client address).
BOSETTING_PROXY_COUNT = env_int("BOSETTING_PROXY_COUNT", 0, minimum=0)
AXES_IPWARE_PROXY_COUNT = BOSETTING_PROXY_COUNT or None
# Personal data of settled cases is anonymised this many years after settlement
# (`bosetting retention`, docs/operations.md).
BOSETTING_RETENTION_YEARS = env_int("BOSETTING_RETENTION_YEARS", 5, minimum=1)
# API tokens expire after this many hours (and are revoked when the password changes).
BOSETTING_TOKEN_HOURS = env_int("BOSETTING_TOKEN_HOURS", 12, minimum=1)

# --- identity and login (docs/security.md, "Identity and login") -----------------------------------
# Login through OpenID Connect — ID-porten or an agency's own identity provider — is on when a client
# id is set (or BOSETTING_OIDC_ENABLED says so). The provider's endpoints come from its discovery
# document, or one by one (OIDC_OP_ISSUER, OIDC_OP_*_ENDPOINT); the ID token must be signed (RS256 by
# default) by a key of its JWKS. A verified identity gets access only through a grant (accounts).
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID") or ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET") or ""
BOSETTING_OIDC_ENABLED = env_bool("BOSETTING_OIDC_ENABLED", bool(OIDC_RP_CLIENT_ID))
BOSETTING_OIDC_LABEL = env_str("BOSETTING_OIDC_LABEL", "Logg inn med ID-porten")
OIDC_OP_DISCOVERY_URL = env_str("OIDC_OP_DISCOVERY_URL") or ""
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT") or ""
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT") or ""
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT") or ""
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT") or ""
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid profile")
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_TOKEN_USE_BASIC_AUTH", False)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True  # ID-porten requires PKCE (S256)
OIDC_CREATE_USER = False  # users come from grants (accounts.services.do_sign_in_identity)
# The security level asked for (acr_values, e.g. idporten-loa-substantial) and the levels accepted in
# the ID token's acr (ID-porten: substantial and high); empty: not asked, not checked.
BOSETTING_OIDC_ACR_VALUES = env_str("BOSETTING_OIDC_ACR_VALUES") or ""
BOSETTING_OIDC_ACCEPTED_ACR = env_list(
    "BOSETTING_OIDC_ACCEPTED_ACR", BOSETTING_OIDC_ACR_VALUES.split()
)
# The claim with the national identity number (ID-porten: pid), and whether the provider's e-mail
# addresses are trusted without email_verified (an agency's own provider vouching for its staff).
BOSETTING_OIDC_PID_CLAIM = env_str("BOSETTING_OIDC_PID_CLAIM", "pid")
BOSETTING_OIDC_TRUST_EMAIL = env_bool("BOSETTING_OIDC_TRUST_EMAIL", False)
# Two-factor login (TOTP) for password users whose role sees health notes. Unset: required behind TLS
# (production), not while the synthetic demo world is loaded; true/false: always/never.
BOSETTING_REQUIRE_2FA = env_optional_bool("BOSETTING_REQUIRE_2FA")
OTP_TOTP_ISSUER = env_str("BOSETTING_TOTP_ISSUER", "Bosetting")

# A password policy for a public agency: long, not common, not numeric, not like the user's name.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
STATICFILES_DIRS = [PACKAGE_DIR / "web" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# --- security (docs/security.md) -------------------------------------------------------------------
# Behind TLS (BOSETTING_TLS=true): redirect to https (a proxy's X-Forwarded-Proto counts), HSTS for a
# year, cookies only over https. `django-admin check --deploy` then prints no warning.
BOSETTING_TLS = env_bool("BOSETTING_TLS", False)
SECURE_SSL_REDIRECT = BOSETTING_TLS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BOSETTING_TLS else None
SECURE_HSTS_SECONDS = 31_536_000 if BOSETTING_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = BOSETTING_TLS
SECURE_HSTS_PRELOAD = BOSETTING_TLS
SESSION_COOKIE_SECURE = BOSETTING_TLS or env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions end after eight hours without a request (every request moves the expiry on).
SESSION_COOKIE_AGE = env_int("BOSETTING_SESSION_IDLE_HOURS", 8, minimum=1) * 3600
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts only from this site, never inline; styles may be
# inline (the charts set their own); nothing may frame the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The business date (bosetting.clock): pinned by BOSETTING_TODAY, else today (or the demo world's day).
BOSETTING_TODAY = env_date("BOSETTING_TODAY")

# Background jobs (matching rounds, simulations) go through Django's tasks framework into a table of
# the database; `bosetting worker` (started by `bosetting serve`) runs them (docs/pipeline.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker whose heartbeat is older than this is dead: its running job is queued again.
BOSETTING_WORKER_STALE_SECONDS = env_int("BOSETTING_WORKER_STALE_SECONDS", 60, minimum=2)
# Attempts a job gets (the first run and re-runs after a dead worker) before it is given up.
BOSETTING_JOB_MAX_ATTEMPTS = env_int("BOSETTING_JOB_MAX_ATTEMPTS", 3, minimum=1)
# A user may have this many rounds or simulations queued or running at once; the service this many
# jobs waiting in all. More is refused with 429 and a message (docs/security.md).
BOSETTING_MAX_JOBS_PER_USER = env_int("BOSETTING_MAX_JOBS_PER_USER", 2, minimum=1)
BOSETTING_MAX_PENDING_JOBS = env_int("BOSETTING_MAX_PENDING_JOBS", 20, minimum=1)

# Import files (docs/imports.md): the most a file may hold, checked before its rows are read (size;
# rows below the header, empty ones included; columns; the unpacked size of an XLSX file), and the
# days an uploaded file's content is kept (`bosetting import purge` empties it; the report stays).
BOSETTING_IMPORT_MAX_BYTES = env_bytes("BOSETTING_IMPORT_MAX_BYTES", 10 * 1024**2, minimum=1)
BOSETTING_IMPORT_MAX_ROWS = env_int("BOSETTING_IMPORT_MAX_ROWS", 50_000, minimum=1)
BOSETTING_IMPORT_MAX_COLUMNS = env_int("BOSETTING_IMPORT_MAX_COLUMNS", 50, minimum=1)
BOSETTING_IMPORT_MAX_EXPANDED_BYTES = env_bytes(
    "BOSETTING_IMPORT_MAX_EXPANDED_BYTES", 100 * 1024**2, minimum=1
)
BOSETTING_IMPORT_RETENTION_DAYS = env_int("BOSETTING_IMPORT_RETENTION_DAYS", 30, minimum=1)
# --- notices and e-mail (docs/notifications.md) ------------------------------------------------------
# Notices go to the in-app inbox and, as each user chooses, by e-mail through Django's mail framework:
# SMTP when EMAIL_HOST is set, else files under var/mail/ (the demo; nothing leaves the machine).
# EMAIL_BACKEND overrides both (e.g. django.core.mail.backends.console.EmailBackend).
EMAIL_HOST = env_str("EMAIL_HOST") or ""
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
# STARTTLS on port 587 by default; EMAIL_USE_SSL=true (port 465) turns it off (Django takes one).
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bosetting <bosetting@localhost>")
# The site's address, for the links in e-mails.
BOSETTING_SITE_URL = env_str("BOSETTING_SITE_URL", "http://127.0.0.1:8000")
# The worker scans for deadlines near (answers due, self-settlement offers, leases ending) this often;
# 0: only `bosetting notify` does (from cron). Notices older than the keep time are deleted.
BOSETTING_NOTIFY_MINUTES = env_int("BOSETTING_NOTIFY_MINUTES", 60, minimum=0)
BOSETTING_NOTIFICATION_KEEP_DAYS = env_int("BOSETTING_NOTIFICATION_KEEP_DAYS", 180, minimum=1)
