"""The main flow in a real browser on the demo world (business date 5 January 2015): Hordaland's county
governor — who holds IMDi's regional role for its county from 2015 (the county-governor pilot,
``engine/rules/pilots.py``) — runs a matching round for Hordaland's queue; IMDi Vest sees the round
but may not send it; the county governor sends the proposals; Bergen accepts one, completes the
checklist and settles the household; the queue and the "settled this year" figures move."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def _number(page, testid: str) -> int:
    return int(re.sub(r"\D", "", page.locator(f"[data-testid={testid}]").first.inner_text()))


def _switch(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base, username)


def test_round_sent_accepted_prepared_and_settled(page, demo_server):
    base = demo_server
    login(page, base, "fylkesmann.12")
    page.goto(base + "/saker/")
    queue_before = _number(page, "kpi-queue")
    assert queue_before > 1000

    # Hordaland's county governor runs a round for its county (the pilot) and reviews it.
    page.goto(base + "/utsoking/")
    page.fill("#time_limit", "10")
    page.click("[data-testid=run-round]")
    page.wait_for_selector("[data-testid=round-summary]", timeout=120_000)
    assert page.locator("[data-testid=round-status]").get_attribute("data-status") == "done"
    assert "Poeng" in page.locator("[data-testid=round-proposals]").inner_text()
    round_url = page.url.split("?")[0]
    page.goto(round_url + "?kommune=1201")
    assert "Bergen" in page.locator("[data-testid=round-proposals]").inner_text()

    # IMDi Vest sees the round in its region, read-only: Hordaland's role is the county governor's.
    _switch(page, base, "imdi.vest")
    page.goto(round_url)
    assert page.locator("[data-testid=round-read-only]").is_visible()
    assert page.locator("[data-testid=send-round]").count() == 0

    _switch(page, base, "fylkesmann.12")
    page.goto(round_url)
    page.click("[data-testid=send-round]")
    page.wait_for_selector("[data-testid=confirm-summary]")
    page.click("[data-testid=confirm-send]")
    page.wait_for_load_state("networkidle")
    assert "sendt til kommunene" in page.content()
    page.goto(base + "/saker/")
    queue_after = _number(page, "kpi-queue")
    assert queue_after < queue_before

    # Bergen accepts one proposal (HTMX swaps the row) and opens the case.
    _switch(page, base, "kommune.1201")
    page.goto(base + "/saker/")
    settled_before = _number(page, "kpi-settled-year")
    # A flat that is free already (the demo's business date is 5 January 2015): the household can only
    # move in, be settled, once its flat is free.
    rows = page.locator("[data-testid=proposal-row]")
    free_now = [
        i
        for i in range(rows.count())
        if "" < (rows.nth(i).get_attribute("data-available") or "") <= "2015-01-05"
    ]
    assert free_now, "no proposal to Bergen with a flat free today"
    row = rows.nth(free_now[0])
    reference = row.get_attribute("data-reference")
    row.locator("[data-testid=accept]").click()
    page.wait_for_selector(f"tr[data-reference='{reference}'] [data-testid=proposal-status]")
    assert "Akseptert" in page.locator(f"tr[data-reference='{reference}']").inner_text()
    page.click(f"text={reference}")
    page.wait_for_selector("[data-testid=case-status]")
    assert "Akseptert" in page.locator("[data-testid=case-status]").inner_text()

    # Agreement, then the checklist item by item (each tick saved by HTMX), then settlement.
    page.click("[data-testid=move-preparing]")
    page.wait_for_load_state("networkidle")
    assert "forberedes" in page.locator("[data-testid=case-status]").inner_text()
    for name in ("intro_programme", "school", "kindergarten", "gp", "health_follow_up"):
        box = page.locator(f"[data-testid=cl-{name}]")
        with page.expect_response(lambda r: "/sjekkliste/" in r.url):
            box.check()
        page.wait_for_load_state("networkidle")
    page.wait_for_selector("[data-testid=checklist-complete]")
    page.click("[data-testid=move-settled]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=case-status]").inner_text().strip() == "Bosatt"
    assert "Bosatt" in page.locator("[data-testid=timeline]").inner_text()
    assert "status=settled" in page.locator("[data-testid=audit-trail]").inner_text()

    # The figures move.
    page.goto(base + "/saker/")
    assert _number(page, "kpi-settled-year") > settled_before
    assert reference in page.locator("[data-testid=settled-recently]").inner_text()


def test_pages_work_on_a_phone(browser, demo_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nb-NO")
    page = context.new_page()
    login(page, demo_server, "kommune.1201")
    page.goto(demo_server + "/saker/")
    assert page.locator("h1").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 420  # tables scroll inside their wrapper, the page does not
    context.close()
