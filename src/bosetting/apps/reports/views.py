"""Dashboards, the map, the report's tables and the monthly report in the web app (``/rapporter/``).

Thin: parse filters, check scope (through the selectors), call the report modules, render.
"""

from __future__ import annotations

import gzip
from functools import cache

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bosetting import clock
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.reports import dashboard as dash
from bosetting.apps.reports import export, monthly, sources, tables


def _check_access(request: HttpRequest) -> None:
    scope = scope_for(request.user)
    if scope.role is None or not scope.aggregates:
        raise PermissionDenied(_("Du har ikke tilgang til rapportene."))


def _base_context(request: HttpRequest, filters: dash.Filters) -> dict:
    return {
        "filters": filters,
        "area_choices": dash.area_choices(request.user),
        "area_label": filters.area.label(),
        "query": filters.query(),
        "plotly_url": plotly_url(),
    }


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """The dashboard: KPI cards and four charts, each with its numbers one click away."""
    _check_access(request)
    filters = dash.parse_filters(request.user, request.GET)
    content = dash.dashboard(request.user, filters)
    context = {**_base_context(request, filters), **content}
    template = (
        "reports/partials/dashboard_body.html"
        if request.headers.get("HX-Request")
        else "reports/dashboard.html"
    )
    return render(request, template, context)


@login_required
@require_GET
def map_view(request: HttpRequest) -> HttpResponse:
    """Municipalities on a map (tile-free), coloured by a chosen KPI, with hover details."""
    _check_access(request)
    filters = dash.parse_filters(request.user, request.GET)
    kpi_key = request.GET.get("kpi", "settled_per_1000")
    if kpi_key not in dash.MAP_KPIS:
        kpi_key = "settled_per_1000"
    rows = dash.map_rows(request.user, filters)
    chart = dash.map_chart(rows, kpi_key, filters.end.year)
    context = {
        **_base_context(request, filters),
        "chart": chart,
        "kpi_key": kpi_key,
        "kpi_choices": [(k, _(v)) for k, v in dash.MAP_KPIS.items()],
    }
    return render(request, "reports/map.html", context)


@login_required
@require_GET
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    """The numbers behind one chart as CSV (same filters as the page)."""
    _check_access(request)
    filters = dash.parse_filters(request.user, request.GET)
    if key == "map":
        kpi_key = request.GET.get("kpi", "settled_per_1000")
        chart = dash.map_chart(
            dash.map_rows(request.user, filters),
            kpi_key if kpi_key in dash.MAP_KPIS else "settled_per_1000",
            filters.end.year,
        )
    else:
        chart = dash.chart_by_key(request.user, filters, key)
    if chart is None:
        raise Http404(key)
    response = HttpResponse(chart.csv(), content_type="text/csv; charset=utf-8")
    name = f"{key}-{filters.start:%Y-%m}-{filters.end:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def tables_view(request: HttpRequest) -> HttpResponse:
    """Tables 2.1–2.4 from live data in the report's layout, every column labelled with its period,
    the report's figures under the live column of the same period (2014 per November beside the full
    year), Tables 2.3 and 2.4 through 2016 as the report has them, each with its source."""
    _check_access(request)
    filters = dash.parse_filters(request.user, request.GET)
    try:
        year_from = int(request.GET.get("fra_ar", 2009))
        year_to = int(request.GET.get("til_ar", 2014))
    except ValueError:
        year_from, year_to = 2009, 2014
    if not (1990 <= year_from <= year_to <= 2100) or year_to - year_from > 20:
        year_from, year_to = 2009, 2014
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        result = tables.tables_for(request.user, range(year_from, year_to + 1), filters.area)
    if fmt == "csv":
        response = HttpResponse(export.tables_csv(result), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="tabell-2.1-2.4.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            export.tables_xlsx(result, filters.area.label()),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="tabell-2.1-2.4.xlsx"'
        return response
    result, partial, plans = tables.page_tables(
        request.user, range(year_from, year_to + 1), filters.area
    )
    today = clock.today()
    blocks = [
        tables.page_block(table, tables.page_columns(table, result, partial, plans, today))
        for table in tables.TABLE_ROWS
    ]
    context = {
        **_base_context(request, filters),
        "blocks": blocks,
        "year_from": year_from,
        "year_to": year_to,
    }
    return render(request, "reports/tables.html", context)


@login_required
@require_GET
def monthly_view(request: HttpRequest, month: str, fmt: str) -> HttpResponse:
    """The monthly report ("månedsrapport") for the user's scope, as PDF or XLSX."""
    _check_access(request)
    try:
        first_day = monthly.parse_month(month)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    filters = dash.parse_filters(request.user, request.GET)
    numbers = sources.scoped_numbers(request.user, filters.area)
    report = monthly.build_monthly(first_day, numbers, filters.area)
    if fmt == "pdf":
        body, content_type = monthly.render_pdf(report), "application/pdf"
    else:
        body = monthly.render_xlsx(report)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="manedsrapport-{month}.{fmt}"'
    return response


@cache
def _plotly_js() -> tuple[bytes, bytes, str]:
    # Plotly is heavy (its bundle is 4 MB of JavaScript) and only this download needs it: first use.
    import plotly
    from plotly.offline import get_plotlyjs

    raw = get_plotlyjs().encode("utf-8")
    return raw, gzip.compress(raw, compresslevel=6), plotly.__version__


@require_GET
def plotly_js(request: HttpRequest) -> HttpResponse:
    """The Plotly bundle from the installed ``plotly`` package (served by the app: no CDN)."""
    raw, compressed, version = _plotly_js()
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed, content_type="text/javascript; charset=utf-8")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(raw, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["ETag"] = f'"plotly-{version}"'
    response["Vary"] = "Accept-Encoding"
    return response


def plotly_url() -> str:
    """URL of the Plotly bundle with the package version (so a new version is fetched anew)."""
    # Plotly: loaded on first use, as in _plotly_js (the version only; the bundle is cached there).
    import plotly

    return f"{reverse('reports:plotly_js')}?v={plotly.__version__}"
