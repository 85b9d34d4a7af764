"""The Content-Security-Policy forbids inline scripts: the main pages — charts, the map, HTMX
fragments, the language switcher — work without one, and the browser reports no violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PAGES = (
    "/",
    "/saker/",
    "/utsoking/",
    "/planlegging/",
    "/boliger/",
    "/boliger/boliggap/",
    "/boliger/gjennomstromning/",
    "/rapporter/kart/",
    "/rapporter/",
    "/rapporter/tabeller/",
    "/simulator/",
    "/samordning/",
    "/kunnskap/",
    "/logg/",
    "/konto/api-nokler/",
)


def test_main_pages_load_without_a_csp_violation(page, demo_server):
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text
            else None
        ),
    )
    login(page, demo_server, "imdi.nasjonal")
    for path in PAGES:
        response = page.goto(demo_server + path)
        assert response is not None and response.status < 400, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_language_switcher_works_without_inline_script(page, demo_server):
    login(page, demo_server, "kommune.1201")
    page.goto(demo_server + "/saker/")
    # The switch submits its form from site.js and the page reloads: wait for the new page's language
    # (expect retries), not for the network to be idle, which can happen before the reload starts.
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
    page.select_option("select[name=language]", "nb")
    expect(page.locator("html")).to_have_attribute("lang", "nb", timeout=30_000)
