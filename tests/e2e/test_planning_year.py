"""The planning year in a real browser on the demo world: IMDi national enters the need and sees
the proposed distribution with its explanations; IMDi Vest adjusts Bergen with a reason; IMDi
national approves and the requests exist; a decision registered by Bergen moves the plan's figures."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

YEAR = 2017  # the demo world has requests for 2015 only; the plan's year is free


def _switch(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    login(page, base, username)


def _number(page, testid: str) -> int:
    text = page.locator(f"[data-testid={testid}] .value").first.inner_text()
    return int(re.sub(r"[^\d-]", "", text))


def test_need_distribution_adjustment_approval_and_a_decision(page, demo_server):
    base = demo_server
    plan_url = f"{base}/planlegging/plan/{YEAR}/"
    # Approving creates a request for each of several hundred municipalities: on a loaded test
    # machine that page takes longer than Playwright's default 30 seconds.
    page.set_default_timeout(180_000)
    page.set_default_navigation_timeout(180_000)

    # IMDi national enters the need from the prognosis.
    login(page, base, "imdi.nasjonal")
    page.goto(base + "/planlegging/plan/ny/")
    page.fill("#id_year", str(YEAR))
    page.fill("#id_need_persons", "-5")
    page.fill("#id_source", "UDIs prognose, Nasjonalt utvalg")
    page.click("[data-testid=save-plan]")
    assert (
        "Behovet må være mellom 0" in page.locator("[data-testid=error-need_persons]").inner_text()
    )
    page.fill("#id_need_persons", "11000")
    page.fill("#id_need_uam_persons", "600")
    page.fill("#id_source_date", f"{YEAR - 1}-10-01")
    page.click("[data-testid=save-plan]")
    page.wait_for_url(plan_url)
    assert _number(page, "need") == 11000
    assert _number(page, "plan-sum") == 11000 and _number(page, "plan-difference") == 0
    assert page.locator("[data-testid=county-table] tbody tr").count() == 19
    bergen = page.locator("#kommune-1201")
    proposed = int(bergen.locator("[data-testid=figure]").inner_text())
    assert proposed > 0
    bergen.locator("summary").click()
    explanation = bergen.locator("[data-testid=criteria]")
    assert explanation.is_visible()
    assert "Befolkning" in explanation.inner_text() and "Arbeidsmarked" in explanation.inner_text()

    # IMDi Vest adjusts Bergen's figure with a reason.
    _switch(page, base, "imdi.vest")
    page.goto(plan_url)
    assert page.locator("#kommune-0301").count() == 0  # Oslo is not IMDi Vest's
    page.click("[data-testid=adjust-1201]")
    page.fill("#id_persons", str(proposed + 25))
    page.click("[data-testid=save-allocation]")
    assert "begrunnelse" in page.locator("[data-testid=error-reason]").inner_text()
    page.fill("#id_reason", "Bergen har skaffet 10 nye boliger")
    page.click("[data-testid=save-allocation]")
    page.wait_for_url(re.compile(rf".*/plan/{YEAR}/.*"))
    bergen = page.locator("#kommune-1201")
    assert int(bergen.locator("[data-testid=figure]").inner_text()) == proposed + 25
    assert "Bergen har skaffet 10 nye boliger" in bergen.inner_text()

    # IMDi national sees the difference and approves: the requests are created.
    _switch(page, base, "imdi.nasjonal")
    page.goto(plan_url)
    assert _number(page, "plan-difference") == 25
    page.check("#id_accept_difference")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    assert "anmodninger er opprettet" in page.content()
    assert "Godkjent" in page.locator("[data-testid=plan-status]").inner_text()
    page.goto(f"{base}/planlegging/?year={YEAR}&county=12")
    row = page.locator("[data-testid=planning-table] tr[data-municipality='1201']")
    assert str(proposed + 25) in row.inner_text()
    page.goto(plan_url)
    decided_before = _number(page, "plan-decided")
    missing_before = _number(page, "plan-missing")

    # Bergen registers its council decision; the plan's figures move.
    _switch(page, base, "kommune.1201")
    page.goto(f"{base}/planlegging/vedtak/ny/?year={YEAR}")
    page.fill("#id_persons", str(proposed + 25))
    page.locator("[data-testid=planning-form] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "Vedtaket er registrert" in page.content()

    _switch(page, base, "imdi.nasjonal")
    page.goto(plan_url)
    assert _number(page, "plan-decided") == decided_before + proposed + 25
    assert _number(page, "plan-missing") < missing_before
    page.goto(f"{base}/planlegging/plan/{YEAR}/oppfolging/")
    assert int(page.locator("[data-testid=decided]").inner_text()) == proposed + 25
    assert "1201 Bergen" in page.locator("[data-testid=supplementary]").inner_text()
