"""The home page is the task list, in a real browser on the demo world: Bergen sees the proposals
waiting for it with their answer deadlines (each marked while its notice is unread), and answering
one takes it off the list; IMDi Vest sees the self-settlement whose offer lapses first as its first
task (in Rogaland: in Hordaland the county governor decides from 2015, the pilot)."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import login, run_in_demo

pytestmark = pytest.mark.e2e


def _count(page, kind: str) -> int:
    return int(page.locator(f"[data-kind={kind}] [data-testid=task-count]").inner_text())


def test_bergen_answers_a_proposal_from_its_task_list(page, demo_server, demo_env):
    sent = int(run_in_demo(demo_env, "sent", "1201"))
    assert sent >= 1
    login(page, demo_server, "kommune.1201")
    page.goto(demo_server + "/")
    proposals = page.locator("[data-kind=proposals]")
    assert "Forslag om bosetting å svare på" in proposals.inner_text()
    before = _count(page, "proposals")
    assert before >= sent
    # every listed proposal has its answer deadline: 14 days after it was sent
    items = proposals.locator("[data-testid=task-item]")
    assert items.count() == min(before, 10)
    for i in range(items.count()):
        assert re.search(r"frist \d+\. \w+ 2015", items.nth(i).inner_text())
        assert "dager igjen" in items.nth(i).locator("[data-testid=task-due]").inner_text()
    # the one just sent came with a notice that Bergen has not read yet
    first = items.first
    reference = first.locator("a").first.inner_text()
    assert first.locator("[data-testid=task-notice]").inner_text() == "Nytt varsel"
    assert int(page.locator("[data-testid=notice-badge] .badge").inner_text()) >= 1

    # one click to the work: the row of the proposal on the worklist, and it is accepted there
    first.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    row = page.locator(f"tr[data-reference='{reference}']")
    row.locator("[data-testid=accept]").click()
    page.wait_for_selector(f"tr[data-reference='{reference}'] [data-testid=proposal-status]")

    page.goto(demo_server + "/")
    if before == 1:
        assert page.locator("[data-kind=proposals]").count() == 0
    else:
        assert _count(page, "proposals") == before - 1
        listed = page.locator("[data-kind=proposals] [data-testid=task-item]").all_inner_texts()
        assert not any(text.startswith(reference + " ") for text in listed)


def test_imdi_vest_sees_the_self_settlement_nearest_its_deadline_first(page, demo_server, demo_env):
    nearest = run_in_demo(demo_env, "self_settlements", "1102", "1103")
    login(page, demo_server, "imdi.vest")
    page.goto(demo_server + "/")
    first = page.locator("[data-testid=task]").first
    assert first.get_attribute("data-kind") == "self_settlements"
    assert "Selvbosettinger å godkjenne" in first.inner_text()
    top = first.locator("[data-testid=task-item]").first
    assert top.locator("a").first.inner_text() == nearest
    assert top.locator("[data-testid=task-due]").inner_text() == "1 dag igjen"
    # one click to the case, where the decision is taken
    top.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    assert nearest in page.content()
