"""URL configuration. Each app adds its own ``urls.py`` under a prefix; the API lives under /api/."""

from __future__ import annotations

import importlib

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bosetting.web import views

handler403 = "bosetting.web.views.permission_denied"
handler404 = "bosetting.web.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("om/", views.about, name="about"),
    path("tilgjengelighet/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The login pages (password with its second step, the identity provider) and the admin's login.
    path("", include("bosetting.apps.accounts.login_urls")),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("passord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "passord/endret/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("admin/", admin.site.urls),
]

# Apps with a urls module are mounted under their own prefix (e.g. /cases/ -> bosetting.apps.cases.urls).
APP_PREFIXES = {
    "lifecycle": "saker/",
    "matching": "utsoking/",
    "planning": "planlegging/",
    "housing": "boliger/",
    "finance": "okonomi/",
    "coordination": "samordning/",
    "knowledge": "kunnskap/",
    "reports": "rapporter/",
    "simulation": "simulator/",
    "geo": "kommuner/",
    "audit": "logg/",
    "accounts": "konto/",
    "imports": "import/",
    "notifications": "varsler/",
    "letters": "brev/",
}
for _app, _prefix in APP_PREFIXES.items():
    try:
        importlib.import_module(f"bosetting.apps.{_app}.urls")
    except ModuleNotFoundError as _exc:
        if _exc.name != f"bosetting.apps.{_app}.urls":
            raise
        continue
    urlpatterns.append(path(_prefix, include(f"bosetting.apps.{_app}.urls")))

try:
    importlib.import_module("bosetting.api.urls")
except ModuleNotFoundError as _exc:
    if _exc.name != "bosetting.api.urls":
        raise
else:
    urlpatterns.append(path("api/", include("bosetting.api.urls")))
