"""Site-wide pages: home, about (data sources), the accessibility statement, health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.geo.selectors import data_sources
from bosetting.apps.lifecycle.selectors import tasks_for


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 for every page: the refusal's own message (a service's ``PermissionDenied``), no data."""
    message = str(exception) if exception is not None and str(exception) else ""
    return render(
        request,
        "refused.html",
        {"status": 403, "message": message or _("Du har ikke tilgang til dette.")},
        status=403,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404 for every page: the same answer whether the object does not exist or is outside the
    user's scope, so that its existence does not leak."""
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(
        request,
        "refused.html",
        {
            "status": 404,
            "message": message or _("Siden finnes ikke, eller du har ikke tilgang til den."),
        },
        status=404,
    )


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """Too many failed logins for this username from this address (django-axes): 429, with when to
    try again — JSON for the API, a page for people."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "For mange mislykkede innlogginger. Vent %(minutes)s minutter og prøv igjen, eller ta "
        "kontakt med en administrator."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "refused.html", {"status": 429, "message": message}, status=429)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def about(request: HttpRequest) -> HttpResponse:
    """What the system is and where every data set comes from."""
    return render(request, "about.html", {"sources": data_sources()})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement ("tilgjengelighetserklæring"): the standard the service aims at,
    how it is checked, what is known not to work yet, and where to report a barrier. Open to everyone,
    like the statements Norwegian public services publish."""
    return render(request, "accessibility.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the user's task list ("oppgaver"), most urgent first, each one click from the
    work (``lifecycle.selectors.tasks_for``). The menu keeps every other page one click away."""
    today = clock.today()
    return render(
        request,
        "home.html",
        {
            "scope": scope_for(request.user),
            "today": today,
            "tasks": tasks_for(request.user, today),
        },
    )
