"""A municipality is refused a case of another municipality: a clear message, and no data."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_bergen_is_refused_a_case_of_oslo(page, demo_server):
    base = demo_server
    login(page, base, "kommune.0301")
    page.goto(base + "/saker/")
    link = page.locator("[data-testid=settled-recently] a").first
    reference = link.inner_text().strip()
    href = link.get_attribute("href")
    assert reference and href.startswith("/saker/")

    page.context.clear_cookies()
    login(page, base, "kommune.1201")
    response = page.goto(base + href)
    assert response.status == 404
    assert page.locator("[data-testid=refused]").is_visible()
    assert "ikke tilgang" in page.locator("main").inner_text()
    assert reference not in page.content()
    assert page.locator("[data-testid=persons]").count() == 0


def test_analyst_is_refused_case_pages_and_rounds(page, demo_server):
    login(page, demo_server, "analytiker")
    response = page.goto(demo_server + "/utsoking/")
    assert response.status == 403
    assert "Bare bosettingsmyndigheten (IMDi" in page.locator("main").inner_text()
