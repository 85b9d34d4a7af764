"""Two officers with the same case open in two browsers tick the checklist alternately: every tick
is kept (each item is saved on its own; nothing sends the whole form with stale boxes)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import login, run_in_demo

pytestmark = pytest.mark.e2e

ITEMS = ("intro_programme", "gp", "school", "kindergarten", "health_follow_up")


def test_two_browsers_ticking_alternately_keep_every_tick(browser, demo_server, demo_env):
    case_id = run_in_demo(demo_env, "preparing", "0301")
    pages = []
    for username in ("kommune.0301", "imdi.nasjonal"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
        page = context.new_page()
        page.set_default_timeout(30_000)
        login(page, demo_server, username)
        page.goto(f"{demo_server}/saker/{case_id}/")
        pages.append(page)
    # Both pages were loaded before any tick: each one's boxes are stale for the other's ticks.
    present = [name for name in ITEMS if pages[0].locator(f"[data-testid=cl-{name}]").count()]
    assert len(present) >= 2
    for i, name in enumerate(present):
        page = pages[i % 2]
        with page.expect_response(lambda r: "/sjekkliste/" in r.url):
            page.locator(f"[data-testid=cl-{name}]").check()
    for page in pages:
        page.reload()
        for name in present:
            assert page.locator(f"[data-testid=cl-{name}]").is_checked(), name
        page.context.close()
