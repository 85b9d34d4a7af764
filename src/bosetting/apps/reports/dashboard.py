"""The dashboard's and the map's content: filters, KPI cards, charts as Plotly figure dicts, each
with the rows of numbers behind it (shown as a table and offered as CSV).

Figures are plain dicts (``{"data": [...], "layout": {...}}``) drawn in the browser by the Plotly
bundle the app serves itself (no CDN). The map is a tile-free Plotly scatter of municipality points
(Kartverket, see ``data/build_points.py``): nothing is fetched at run time.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bosetting.apps.geo import selectors as geo
from bosetting.apps.geo.choices import Agency
from bosetting.apps.reports import kpi_adapter, kpis, sources
from bosetting.engine.rules import kpi
from bosetting.engine.rules.kpi import Period
from bosetting.engine.rules.kpi.periods import add_months
from bosetting.engine.rules.targets import TARGET_MONTHS_ALL, TARGET_MONTHS_OTHERS
from bosetting.reference.structure import STRUCTURES, structure_year_for

DEFAULT_START = dt.date(2014, 1, 1)
DEFAULT_END = dt.date(2014, 12, 31)
TARGET_COLOURS = {"ok": "#1e7d32", "warn": "#c77700", "bad": "#b00020", "none": "#8a939c"}
PLOT_FONT = {"family": "system-ui, sans-serif", "size": 13}


@dataclass
class Chart:
    """One chart: a Plotly figure and the table of numbers it draws."""

    key: str
    title: str
    figure: dict[str, Any]
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""
    dom_id: str = field(init=False)

    def __post_init__(self) -> None:
        self.dom_id = f"chart-{self.key}"

    def csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([["" if v is None else v for v in row] for row in self.rows])
        return buffer.getvalue()


@dataclass
class Filters:
    """The dashboard's filters: a period (whole months) and an area within the user's scope."""

    start: dt.date
    end: dt.date
    area: sources.Area
    errors: list[str] = field(default_factory=list)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    def query(self) -> str:
        return urlencode(
            {
                "fra": self.start.strftime("%Y-%m"),
                "til": self.end.strftime("%Y-%m"),
                "omrade": str(self.area),
            }
        )


def _month(text: str | None, *, end: bool) -> dt.date | None:
    if not text:
        return None
    year, month = (int(p) for p in text.split("-", 1))
    first = dt.date(year, month, 1)
    return add_months(first, 1) - dt.timedelta(days=1) if end else first


def area_choices(user) -> list[tuple[str, str]]:
    """Areas the user may pick: the country (national roles), IMDi regions, counties, municipalities
    — those within the user's scope."""
    scope_numbers = sources.scoped_numbers(user, None)
    choices: list[tuple[str, str]] = []
    if scope_numbers is None:
        choices.append(("national", _("Hele landet")))
    for office in geo.regional_offices(Agency.IMDI):
        numbers = geo.municipality_numbers_for_office(office)
        if scope_numbers is None or (numbers and numbers <= scope_numbers):
            choices.append((f"region:{office.code}", office.name))
    profile = getattr(user, "profile", None)
    if profile is not None and profile.office_id and profile.office.agency == Agency.HUSBANKEN:
        choices.insert(0, (f"region:{profile.office.code}", profile.office.name))
    munis = list(geo.municipalities(sources.AREA_STRUCTURE).order_by("number"))
    numbers_in_county: dict[int, set[str]] = defaultdict(set)
    for muni in munis:
        numbers_in_county[muni.county_id].add(muni.number)
    county_word = _("fylke")  # outside the f-string, so that makemessages finds it
    for county in geo.counties(sources.AREA_STRUCTURE):
        numbers = numbers_in_county[county.pk]
        if scope_numbers is None or (numbers and numbers <= scope_numbers):
            choices.append((f"county:{county.number}", f"{county.name} ({county_word})"))
    for muni in munis:
        if scope_numbers is None or muni.number in scope_numbers:
            choices.append((f"municipality:{muni.number}", f"{muni.number} {muni.name}"))
    return choices


def parse_filters(user, params) -> Filters:
    """Filters from the query string (``fra``/``til`` as YYYY-MM, ``omrade``), checked against the
    user's scope; a bad value falls back to the default and is reported."""
    errors = []
    start, end = DEFAULT_START, DEFAULT_END
    try:
        start = _month(params.get("fra"), end=False) or DEFAULT_START
    except ValueError:
        errors.append(_("Ugyldig fra-måned."))
    try:
        end = _month(params.get("til"), end=True) or DEFAULT_END
    except ValueError:
        errors.append(_("Ugyldig til-måned."))
    if end < start:
        errors.append(_("Til-måned er før fra-måned; viser standardperioden."))
        start, end = DEFAULT_START, DEFAULT_END
    if (end.year - start.year) > 15:
        errors.append(_("Perioden er for lang (høyst 15 år); viser standardperioden."))
        start, end = DEFAULT_START, DEFAULT_END
    default = sources.default_area(user)
    area = default
    wanted = params.get("omrade")
    if wanted:
        allowed = {code for code, _label in area_choices(user)}
        try:
            parsed = sources.Area.parse(wanted)
        except ValueError:
            parsed = None
        if parsed is not None and str(parsed) in allowed:
            area = parsed
        else:
            errors.append(_("Området er utenfor det du har tilgang til; viser ditt område."))
    return Filters(start, end, area, errors)


# ---------------------------------------------------------------------------------------------
# Charts


def _layout(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "font": {"size": 15}},
        "font": PLOT_FONT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "height": 340,
        "legend": {"orientation": "h", "y": -0.2},
        **extra,
    }


def queue_chart(series: dict[str, Any]) -> Chart:
    months = [r["month"] for r in series["queue"]]
    waiting = [r["waiting_ready_persons"] for r in series["queue"]]
    long = [r["long_waiters"] for r in series["queue"]]
    title = _("Bosettingsklare i mottak ved månedsslutt")
    return Chart(
        "queue",
        title,
        {
            "data": [
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": _("Bosettingsklare"),
                    "x": months,
                    "y": waiting,
                },
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": _("Lengeventende"),
                    "x": months,
                    "y": long,
                },
            ],
            "layout": _layout(
                title, yaxis={"title": {"text": _("personer")}, "rangemode": "tozero"}
            ),
        },
        [_("måned"), _("bosettingsklare"), _("lengeventende")],
        [list(r) for r in zip(months, waiting, long, strict=True)],
    )


def waiting_chart(series: dict[str, Any], at: dt.date, targets: dict[str, Any]) -> Chart:
    buckets = series["waiting_distribution"]
    months_word = _("md.")  # outside the f-string, so that makemessages finds it
    labels = [
        _("uten vedtaksdato") if b["months_from"] is None else f"{b['bucket']} {months_word}"
        for b in buckets
    ]
    colours = []
    for b in buckets:
        if b["months_from"] is None:
            colours.append(TARGET_COLOURS["none"])
        elif b["months_from"] < TARGET_MONTHS_OTHERS:
            colours.append(TARGET_COLOURS["ok"])
        elif b["months_from"] < TARGET_MONTHS_ALL:
            colours.append(TARGET_COLOURS["warn"])
        else:
            colours.append(TARGET_COLOURS["bad"])
    values = [b["persons"] for b in buckets]
    title = _("Ventende etter tid siden vedtak, mot målene (3/6/12 md.)")
    note = "; ".join(
        f"{name}: {t['share_pct'] if t['share_pct'] is not None else '–'} % ({_('mål')} {t['target_pct']} %)"
        for name, t in (
            (_("bosatt innen 6 md."), targets["all_within_6_months"]),
            (_("innen 12 md."), targets["all_within_12_months"]),
            (_("barnefamilier innen 3 md."), targets["family_children_within_3_months"]),
            (_("enslige mindreårige innen 3 md."), targets["uam_within_3_months"]),
        )
    )
    return Chart(
        "waiting",
        title,
        {
            "data": [
                {
                    "type": "bar",
                    "x": labels,
                    "y": values,
                    "marker": {"color": colours},
                    "name": _("personer"),
                }
            ],
            "layout": _layout(
                title,
                yaxis={"title": {"text": _("personer")}},
                annotations=[
                    {
                        "text": f"{_('per')} {at.isoformat()}",
                        "xref": "paper",
                        "yref": "paper",
                        "x": 1,
                        "y": 1.08,
                        "showarrow": False,
                    }
                ],
            ),
        },
        [_("måneder siden vedtak"), _("personer")],
        [list(r) for r in zip(labels, values, strict=True)],
        note=note,
    )


def settled_chart(series: dict[str, Any]) -> Chart:
    months = [r["month"] for r in series["settled_by_month"]]
    values = [r["settled_persons"] for r in series["settled_by_month"]]
    title = _("Bosatte per måned")
    return Chart(
        "settled",
        title,
        {
            "data": [
                {
                    "type": "bar",
                    "x": months,
                    "y": values,
                    "name": _("bosatte"),
                    "marker": {"color": "#0b5cad"},
                }
            ],
            "layout": _layout(title, yaxis={"title": {"text": _("personer")}}),
        },
        [_("måned"), _("bosatte personer")],
        [list(r) for r in zip(months, values, strict=True)],
    )


def planning_by_year(numbers) -> dict[int, dict[str, int | None]]:
    """Requested and decided persons for every year with a request or decision in the area."""
    result: dict[int, dict[str, int | None]] = {}
    for structure_year in STRUCTURES:
        requests = sources.request_records(numbers, structure_year)
        decisions = sources.decision_records(numbers, structure_year)
        years = sorted({r.year for r in requests} | {d.year for d in decisions})
        years = [y for y in years if structure_year_for(y) == structure_year]
        result.update(kpi.requests_vs_decisions(requests, decisions, years))
    return dict(sorted(result.items()))


def planning_chart(planning: dict[int, dict[str, int | None]]) -> Chart:
    years = [str(y) for y in planning]
    requested = [row["requested"] for row in planning.values()]
    decided = [row["decided"] for row in planning.values()]
    title = _("Anmodninger og vedtak per år (personer)")
    return Chart(
        "planning",
        title,
        {
            "data": [
                {
                    "type": "bar",
                    "name": _("Anmodning"),
                    "x": years,
                    "y": requested,
                    "marker": {"color": "#8a939c"},
                },
                {
                    "type": "bar",
                    "name": _("Vedtak"),
                    "x": years,
                    "y": decided,
                    "marker": {"color": "#0b5cad"},
                },
            ],
            "layout": _layout(title, barmode="group", xaxis={"type": "category"}),
        },
        [_("år"), _("anmodning"), _("vedtak")],
        [list(r) for r in zip(years, requested, decided, strict=True)],
    )


def dashboard(user, filters: Filters) -> dict[str, Any]:
    """Everything the dashboard shows: KPI figures and the four charts."""
    numbers = sources.scoped_numbers(user, filters.area)
    arrays = sources.case_arrays(numbers)
    period = filters.period
    figures = kpis.kpis_for_numbers(numbers, period, cases=arrays)
    series = kpis.dashboard_series(arrays, period)
    charts = [
        queue_chart(series),
        waiting_chart(series, period.end, figures["time_targets"]),
        settled_chart(series),
        planning_chart(planning_by_year(numbers)),
    ]
    return {"kpis": figures, "charts": charts}


def chart_by_key(user, filters: Filters, key: str) -> Chart | None:
    """One of the dashboard's charts (for its CSV download)."""
    for chart in dashboard(user, filters)["charts"]:
        if chart.key == key:
            return chart
    return None


# ---------------------------------------------------------------------------------------------
# Map

MAP_KPIS: dict[str, str] = {
    "settled_per_1000": gettext_noop("Bosatte per 1000 innbyggere"),
    "settled": gettext_noop("Bosatte personer"),
    "waiting": gettext_noop("Bosettingsklare ventende (mottak eller tildelt kommune)"),
    "decided_pct": gettext_noop("Vedtak i prosent av anmodning"),
}


@cache
def municipality_points() -> dict[str, list[float]]:
    """Longitude/latitude of a point in each 2014 municipality (Kartverket; see data/build_points.py)."""
    text = (
        resources.files("bosetting.apps.reports") / "data" / "municipality_points_2014.json"
    ).read_text(encoding="utf-8")
    return json.loads(text)["points"]


def map_rows(user, filters: Filters) -> list[dict[str, Any]]:
    """One row per municipality in scope: every KPI the map can colour by, for the hover and the table."""
    numbers = sources.scoped_numbers(user, filters.area)
    arrays = sources.case_arrays(numbers)
    period = filters.period
    names = sources.municipality_names(numbers)
    pop_year = sources.latest_population_year(period.start.year)
    pop = sources.population(numbers, pop_year) if pop_year else {}
    rates = kpi.settled_per_1000_by_municipality(arrays, period, pop)
    settled = kpi_adapter.per_municipality(arrays, lambda a: kpi.settled_persons(a, period))
    waiting = kpi_adapter.per_municipality(
        arrays, lambda a: kpi.waiting_ready_persons(a, period.end)
    )
    year = period.end.year
    requested: dict[str, int] = {}
    decided: dict[str, int | None] = {}
    classes: dict[str, str] = {}
    # The map's points are the 2014 municipalities: requests and decisions only for such a year.
    if structure_year_for(year) == sources.AREA_STRUCTURE:
        requests = sources.request_records(numbers, sources.AREA_STRUCTURE)
        decisions = sources.decision_records(numbers, sources.AREA_STRUCTURE)
        requested = kpi.requested_by_municipality(requests, year)
        decided = kpi.decided_by_municipality(decisions, year)
        classes = kpi.classify_municipalities(requests, decisions, year, list(names))
    rows = []
    for number in sorted(names):
        req, dec = requested.get(number), decided.get(number)
        rows.append(
            {
                "number": number,
                "name": names[number],
                "population": pop.get(number),
                "settled": settled.get(number, 0),
                "settled_per_1000": None if rates.get(number) is None else round(rates[number], 2),
                "waiting": waiting.get(number, 0),
                "requested": req,
                "decided": dec,
                "decided_pct": round(dec * 100 / req, 1) if req and dec is not None else None,
                "decision_class": classes.get(number),
            }
        )
    return rows


def _colour_max(values: list[float | None]) -> float:
    """Top of the colour scale: the 95th percentile, so that a few outliers do not wash out the rest."""
    present = sorted(v for v in values if v is not None)
    if not present:
        return 1.0
    return max(present[min(len(present) - 1, int(len(present) * 0.95))], 1e-9)


CLASS_LABELS = {
    "in_line": gettext_noop("i tråd med anmodning"),
    "fewer": gettext_noop("færre enn anmodning"),
    "none": gettext_noop("bosetter ikke"),
    "no_decision": gettext_noop("uten vedtak"),
}


def map_chart(rows: list[dict[str, Any]], kpi_key: str, year: int) -> Chart:
    points = municipality_points()
    placed = [r for r in rows if r["number"] in points]
    label = _(MAP_KPIS[kpi_key])
    # The labels outside the f-strings, so that makemessages finds them.
    words = {
        "population": _("Innbyggere"),
        "settled": _("Bosatte"),
        "per_1000": _("Per 1000"),
        "waiting": _("Ventende"),
        "requested": _("Anmodning"),
        "decided": _("Vedtak"),
        "class": _("Klasse"),
    }
    hover = []
    for r in placed:
        hover.append(
            "<br>".join(
                [
                    f"<b>{r['number']} {r['name']}</b>",
                    f"{words['population']}: {r['population'] if r['population'] is not None else '–'}",
                    f"{words['settled']}: {r['settled']}",
                    f"{words['per_1000']}: {r['settled_per_1000'] if r['settled_per_1000'] is not None else '–'}",
                    f"{words['waiting']}: {r['waiting']}",
                    f"{words['requested']} {year}: {r['requested'] if r['requested'] is not None else '–'}",
                    f"{words['decided']} {year}: {r['decided'] if r['decided'] is not None else '–'}",
                    f"{words['class']}: {_(CLASS_LABELS[r['decision_class']]) if r['decision_class'] else '–'}",
                ]
            )
        )
    values = [r[kpi_key] for r in placed]
    title = f"{label} – {_('kommuner')}"
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": "markers",
                "x": [points[r["number"]][0] for r in placed],
                "y": [points[r["number"]][1] for r in placed],
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {
                    "color": [v if v is not None else None for v in values],
                    "colorscale": "YlOrRd",
                    "reversescale": True,
                    "cmin": 0,
                    "cmax": _colour_max(values),
                    "size": 9,
                    "line": {"width": 0.5, "color": "#555"},
                    "colorbar": {"title": {"text": label[:28]}},
                    "showscale": True,
                },
                "name": label,
            }
        ],
        "layout": _layout(
            title,
            height=720,
            xaxis={"title": {"text": _("lengdegrad")}, "showgrid": False, "zeroline": False},
            yaxis={
                "title": {"text": _("breddegrad")},
                "showgrid": False,
                "zeroline": False,
                "scaleanchor": "x",
                # one degree of latitude is about 2.2 degrees of longitude at 63° N
                "scaleratio": 2.2,
            },
            plot_bgcolor="#eef3f8",
            showlegend=False,
        ),
    }
    columns = [
        _("kommunenr."),
        _("kommune"),
        _("innbyggere"),
        _("bosatte"),
        _("per 1000"),
        _("ventende"),
        _("anmodning"),
        _("vedtak"),
        _("vedtak % av anmodning"),
        _("klasse"),
    ]
    table = [
        [
            r["number"],
            r["name"],
            r["population"],
            r["settled"],
            r["settled_per_1000"],
            r["waiting"],
            r["requested"],
            r["decided"],
            r["decided_pct"],
            r["decision_class"],
        ]
        for r in rows
    ]
    return Chart("map", title, figure, columns, table)
