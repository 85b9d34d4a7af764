"""The reports in a real browser: the dashboard's Plotly charts render from the app's own Plotly
bundle, the municipality map draws its shapes, and each chart's numbers are one click away."""

import os

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_national_dashboard_draws_its_charts_and_shows_the_numbers(page, demo_server):
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(demo_server) else None,
    )
    login(page, demo_server, "imdi.nasjonal")
    page.goto(demo_server + "/rapporter/?fra=2014-01&til=2014-12")
    page.wait_for_selector("#chart-queue .plot-container")
    assert page.locator(".js-plotly-plot").count() == 4
    for key in ("queue", "waiting", "settled", "planning"):
        # each chart has drawn its traces (lines or bars) into an SVG
        assert page.locator(f"#chart-{key} .main-svg .trace").count() >= 1
    first_table = page.locator("#chart-settled-figure details table")
    assert not first_table.is_visible()
    page.locator("#chart-settled-figure summary").click()
    assert first_table.is_visible()
    assert "2014-12" in first_table.inner_text()
    # changing the area swaps the dashboard's body in place (htmx) and redraws the charts
    page.select_option("select[name=omrade]", "region:imdi-vest")
    page.click(".report-filters button[type=submit]")
    page.wait_for_url("**omrade=region%3Aimdi-vest**")
    page.wait_for_selector("#chart-queue .plot-container")
    assert "IMDi Vest" in page.locator("#dashboard-body .hint").first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 4
    assert outside == []  # no CDN, nothing fetched from outside the app


def test_map_draws_municipalities_as_shapes_with_hover_figures_and_a_click_to_each(
    page, demo_server
):
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(demo_server) else None,
    )
    login(page, demo_server, "imdi.nasjonal")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(demo_server + "/rapporter/kart/?kpi=settled_per_1000&fra=2014-01&til=2014-12")
    shapes = page.locator("svg.choropleth a.unit path")
    assert shapes.count() == 356
    bergen = page.locator('svg.choropleth a.unit[data-shape="4601"]')
    bergen.scroll_into_view_if_needed()
    box = bergen.bounding_box()
    assert box["width"] > 5 and box["height"] > 5  # a filled area, not a dot
    bergen.hover()
    tooltip = page.locator(".map-tooltip")
    tooltip.wait_for(state="visible")
    assert "1201 Bergen" in tooltip.inner_text() and "Bosatte" in tooltip.inner_text()
    if os.environ.get("BOSETTING_DOC_SCREENSHOTS"):  # refresh docs/img/map.png by hand
        page.locator("#kommunekart").screenshot(path="docs/img/map.png")
    bergen.click()
    page.wait_for_url("**/samordning/kommune/1201/")
    assert "Bergen" in page.locator("h1").inner_text()
    assert outside == []  # nothing fetched from outside the app


def test_a_municipality_sees_its_own_dashboard(page, demo_server):
    login(page, demo_server, "kommune.1201")
    page.goto(demo_server + "/rapporter/")
    page.wait_for_selector("#chart-settled .plot-container")
    assert "1201 Bergen" in page.locator(".hint").first.inner_text()
    options = page.locator("select[name=omrade] option")
    assert options.count() == 1
