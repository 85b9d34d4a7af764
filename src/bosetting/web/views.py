"""Site-wide pages: home, about (data sources), health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


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
    from bosetting.apps.geo.models import DataSource

    return render(request, "about.html", {"sources": DataSource.objects.all()})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: links to what the user's role can do."""
    from bosetting.apps.accounts.selectors import scope_for

    return render(request, "home.html", {"scope": scope_for(request.user)})
