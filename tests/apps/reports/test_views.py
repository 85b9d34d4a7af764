"""The reports pages: dashboard, map, tables, chart CSV, monthly report, Plotly bundle."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest
from tests.clock import on_business_day

pytestmark = [pytest.mark.django_db, on_business_day]


def figure(response, dom_id: str) -> dict:
    """The Plotly figure a chart on the page draws (from its json_script)."""
    html = response.content.decode()
    start = html.index(f'<script id="{dom_id}-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


@pytest.mark.parametrize(
    "persona",
    [
        "imdi_officer",
        "imdi_regional_officer",
        "municipal_officer",
        "husbanken_advisor",
        "county_governor",
        "analyst",
    ],
)
def test_every_role_gets_its_dashboard(client, histories, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/rapporter/")
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("queue", "waiting", "settled", "planning"):
        assert f'id="chart-{key}"' in html
    assert "Vis tallene" in html and "Last ned CSV" in html
    # Plotly from our own static files, no script from elsewhere (a CDN). Not a search for "cdn" in the
    # page: a random CSRF token may contain those letters.
    assert "plotly.min.js" in html
    assert not re.search(r'<script[^>]+src="(https?:)?//', html)


def test_anonymous_is_sent_to_login_and_a_user_without_role_refused(
    client, reference_db, django_user_model
):
    response = client.get("/rapporter/")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("norole", password="x"))
    assert client.get("/rapporter/").status_code == 403
    assert client.get("/rapporter/kart/").status_code == 403


def test_national_dashboard_charts_draw_the_hand_made_numbers(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/rapporter/?fra=2014-01&til=2014-12")
    settled = figure(response, "chart-settled")
    assert settled["data"][0]["x"][2] == "2014-03"
    assert settled["data"][0]["y"][2] == 3  # family A settled in March
    queue = figure(response, "chart-queue")
    assert queue["data"][0]["y"][-1] == 3  # D + E wait at year end


def test_the_municipal_dashboard_counts_only_its_municipality(client, histories, municipal_officer):
    client.force_login(municipal_officer)
    response = client.get("/rapporter/")
    assert sum(figure(response, "chart-settled")["data"][0]["y"]) == 4  # Bergen: A + B
    # asking for Oslo is refused with a message and falls back to Bergen
    other = client.get("/rapporter/?omrade=municipality:0301")
    assert "utenfor det du har tilgang til" in other.content.decode()
    assert sum(figure(other, "chart-settled")["data"][0]["y"]) == 4


def test_dashboard_fragment_for_htmx(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/rapporter/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="dashboard-body"' in html and "<html" not in html


def test_chart_csv_has_the_numbers_of_the_chart(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/rapporter/data/settled.csv?fra=2014-01&til=2014-12")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["måned", "bosatte personer"]
    assert ["2014-03", "3"] in rows
    assert client.get("/rapporter/data/nosuch.csv").status_code == 404


def map_units(response) -> dict[str, dict[str, str]]:
    """The shapes the map page draws: 2020 shape number -> its link, fill colour and hover text."""
    html = response.content.decode()
    units = {}
    for match in re.finditer(
        r'<a href="([^"]+)" class="unit" data-shape="(\d{4})"[^>]*>'
        r'<path d="[^"]+" fill="(#[0-9a-f]{6})"><title>([^<]*)</title>',
        html,
    ):
        url, shape, fill, hover = match.groups()
        units[shape] = {"url": url, "fill": fill, "hover": unescape(hover)}
    return units


def test_map_draws_every_municipality_as_a_filled_shape_with_hover_figures(
    client, histories, imdi_officer
):
    client.force_login(imdi_officer)
    response = client.get("/rapporter/kart/?kpi=settled&fra=2014-01&til=2014-12")
    assert response.status_code == 200
    units = map_units(response)
    assert len(units) == 356  # every 2020 shape; the 428 municipalities of 2014 are all in one
    bergen = units["4601"]
    assert bergen["url"] == "/samordning/kommune/1201/"
    assert "1201 Bergen" in bergen["hover"] and "Bosatte: 4" in bergen["hover"]
    assert bergen["fill"] != "#d9d9d9"  # Bergen has settled persons: coloured, not "no figure"
    # merged later: the 2014 municipalities share their 2020 successor's shape and their sums
    assert units["1507"]["hover"].startswith("1504 Ålesund, 1523 Ørskog, 1529 Skodje, 1534 Haram")
    html = response.content.decode()
    assert "Kartverket" in html and "CC BY 4.0" in html  # the source is on the page
    assert "<table" in html and '<a href="/samordning/kommune/1201/">1201 Bergen</a>' in html
    assert "plotly" not in html.lower()  # the map needs no chart library
    csv_rows = list(
        csv.reader(io.StringIO(client.get("/rapporter/data/map.csv?kpi=settled").content.decode()))
    )
    assert csv_rows[0][:3] == ["kommunenr.", "kommune", "Bosatte personer"]
    assert ["1201", "1201 Bergen", "4"] == csv_rows[[r[0] for r in csv_rows].index("1201")][:3]


def test_the_2024_structure_names_the_shapes_by_todays_municipalities(
    client, histories, imdi_officer
):
    client.force_login(imdi_officer)
    units = map_units(client.get("/rapporter/kart/?inndeling=2024&fra=2014-01&til=2014-12"))
    assert len(units) == 356
    assert units["4601"]["hover"].startswith("4601 Bergen\n")
    # 2024 split 1507 Ålesund into Ålesund and Haram: they share the 2020 shape (and say so)
    assert units["1507"]["hover"].startswith("1508 Ålesund, 1580 Haram\n")
    assert "flere kommuner" in units["1507"]["hover"]


def test_the_county_governor_map_shows_only_its_county(client, histories, county_governor):
    client.force_login(county_governor)
    units = map_units(client.get("/rapporter/kart/"))
    assert 0 < len(units) < 356
    assert all(shape.startswith("46") for shape in units)  # Hordaland became part of Vestland
    assert all(
        " 12" in u["hover"].split("\n")[0] or u["hover"].startswith("12") for u in units.values()
    )


def test_tables_page_shows_the_report_rows_and_downloads(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    html = client.get("/rapporter/tabeller/?fra_ar=2013&til_ar=2014").content.decode()
    assert "Antall bosatte" in html and "publisert i rapporten" in html
    xlsx = client.get("/rapporter/tabeller/?fra_ar=2014&til_ar=2014&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_monthly_report_downloads(client, histories, imdi_officer):
    from openpyxl import load_workbook

    client.force_login(imdi_officer)
    pdf = client.get("/rapporter/maned/2014-11.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/rapporter/maned/2014-11.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert "Nøkkeltall" in wb.sheetnames and "Tabell 2.1" in wb.sheetnames
    figures = {row[0]: row[1] for row in wb["Nøkkeltall"].iter_rows(values_only=True) if row}
    # settled in November 2014: nobody; by the end of November: A, B, C
    assert figures["Bosatte personer i måneden"] == 0
    assert figures["Bosatte personer hittil i år"] == 5
    assert client.get("/rapporter/maned/2014-13.pdf").status_code == 404


def test_plotly_bundle_is_served_by_the_app(client):
    response = client.get("/rapporter/plotly.min.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]


def test_menu_has_the_reports_for_every_role(client, analyst):
    client.force_login(analyst)
    html = client.get("/").content.decode()
    assert 'href="/rapporter/"' in html and 'href="/rapporter/kart/"' in html


def test_monthly_report_says_the_data_are_synthetic_when_the_demo_world_is_loaded(
    client, histories, imdi_officer
):
    from datetime import date

    from openpyxl import load_workbook

    from bosetting.apps.geo.models import DemoWorld
    from bosetting.apps.reports import monthly

    client.force_login(imdi_officer)
    DemoWorld.objects.get_or_create(defaults={"seed": 1, "as_of": date(2014, 12, 31)})
    wb = load_workbook(io.BytesIO(client.get("/rapporter/maned/2014-11.xlsx").content))
    cells = [row[0] for row in wb["Nøkkeltall"].iter_rows(values_only=True) if row and row[0]]
    assert any("SYNTETISKE DEMODATA" in c for c in cells)
    report = monthly.build_monthly(date(2014, 11, 1), None)
    assert report.synthetic


def test_a_2024_period_draws_the_2024_structure_with_its_requests(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/rapporter/kart/?kpi=decided_pct&fra=2024-01&til=2024-12")
    assert response.status_code == 200
    assert 'name="inndeling"' in response.content.decode()
    units = map_units(response)
    assert len(units) == 356
    assert units["4601"]["hover"].startswith("4601 Bergen\n")  # 2024's structure by default
    assert "Anmodning 2024: " in units["4601"]["hover"]
    assert "Innbyggere: –" not in units["4601"]["hover"]  # 2024 population, not 2014


def test_the_map_in_english_has_english_hover_legend_and_source(client, histories, imdi_officer):
    from django.conf import settings

    client.force_login(imdi_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/rapporter/kart/?kpi=settled&fra=2014-01&til=2014-12")
    html = response.content.decode()
    assert "Map data: Kartverket" in html and "no figure" in html
    assert "Kartgrunnlag" not in html and "ingen tall" not in html
    hover = map_units(response)["4601"]["hover"]
    assert "Settled: 4" in hover and "Bosatte" not in hover


def test_tables_page_puts_the_reports_2014_under_a_live_2014_to_november_and_has_2016(
    client, histories, imdi_officer
):
    client.force_login(imdi_officer)
    html = client.get("/rapporter/tabeller/?fra_ar=2013&til_ar=2014").content.decode()
    t21 = html.split('data-testid="table_2_1"')[1].split("</section>")[0]
    # every column labelled with its period; the report's 2014 is per November, under Jan–Nov
    assert "2014 (jan.–nov.)" in t21 and "1.1.2014–30.11.2014" in t21
    assert "per november 2014" in t21 and "1.1.2014–31.12.2014" in t21
    assert "ikke i registeret" in t21  # 2013 is before the first settlement in this register
    published = t21.split('class="published"')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in published.split('<td class="num">')[1:]]
    # columns 2013 | 2014 (full year, no report figure) | 2014 (jan.–nov.) = the report's 6 874
    assert cells == ["6\u00a0551", "", "6\u00a0874"]
    assert "IMDis årsrapporter" in t21 and "5 742" in t21  # the 2012/2013 note
    t23 = html.split('data-testid="table_2_3"')[1].split("</section>")[0]
    assert "2016" in t23 and "10\u00a0013" in t23 and "5\u00a0071" in t23
    assert "per desember 2014" in t23


def test_every_dashboard_figure_has_its_period(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    html = client.get("/rapporter/").content.decode()
    cards = html.split('data-testid="kpis"')[1].split('data-testid="kpi-sources"')[0]
    # Eight key figures, and the forecast of the year when there is one: each with its period.
    assert cards.count('class="kpi"') == cards.count('class="hint period"') >= 8
