"""Universal design in a real browser (WCAG 2.1 AA, as Norwegian law requires of public services).

- axe-core (bundled by ``axe-playwright-python``) on every main page for every demo role: home, the
  notices, about, the accessibility statement and every page in the role's menu. No violation of
  impact "serious" or "critical" against the WCAG 2.0/2.1 A and AA rules.
- Keyboard only: a municipality answers a proposal, and completes the preparation checklist, with
  Tab, Space, Enter and the arrow keys — no mouse — and keeps its place after each step.
- The menu: four groups on one line on a laptop; on a phone the groups fold.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from bosetting.demo.users import DEMO_USERS
from tests.e2e.conftest import login, run_in_demo

pytestmark = pytest.mark.e2e

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}
ALWAYS = ("/", "/varsler/", "/om/", "/tilgjengelighet/")


def _menu_pages(page) -> list[str]:
    """The paths of every link in the main menu and the user's own menu."""
    hrefs = page.eval_on_selector_all(
        "nav.main-nav a[href], details.account a[href]",
        "els => els.map(e => e.getAttribute('href'))",
    )
    paths = [urlsplit(h).path for h in hrefs if h and h.startswith("/")]
    return list(dict.fromkeys([*ALWAYS, *paths]))


def _blocking(results) -> list[str]:
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} – {targets}")
    return found


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_axe_finds_no_serious_or_critical_violation_on_any_main_page(page, demo_server, username):
    login(page, demo_server, username)
    axe = Axe()
    problems: dict[str, list[str]] = {}
    pages = _menu_pages(page)
    assert len(pages) >= 6, pages
    for path in pages:
        response = page.goto(demo_server + path)
        # A refusal page (400 for a bad default, 403) is still a page a user sees: checked as well.
        assert response is not None and response.status < 500, (path, response and response.status)
        page.wait_for_load_state("networkidle")
        found = _blocking(axe.run(page, options=AXE_OPTIONS))
        if found:
            problems[path] = found
    assert not problems, "\n".join(f"{p}: {v}" for p, vs in problems.items() for v in vs)


def _tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector`` (fails after ``limit`` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _focused(page, attribute: str) -> str | None:
    return page.evaluate(
        "a => document.activeElement ? document.activeElement.getAttribute(a) : null", attribute
    )


def _keyboard_login(page, base: str, username: str) -> None:
    page.goto(base + "/logg-inn/")
    if _focused(page, "id") != "id_username":  # the field has autofocus
        _tab_to(page, "#id_username")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/logg-inn/" not in page.url, "the keyboard login failed"


def test_a_municipality_answers_proposals_with_the_keyboard_only(page, demo_server, demo_env):
    assert int(run_in_demo(demo_env, "sent", "0301")) >= 2
    _keyboard_login(page, demo_server, "kommune.0301")
    page.goto(demo_server + "/saker/")
    rows = page.locator("[data-testid=proposal-row]:has([data-testid=accept])")
    assert rows.count() >= 2

    # Accept the first: Tab to its button, Enter; the row now says so and the focus stays on it.
    first = rows.first.get_attribute("data-reference")
    _tab_to(page, f"tr[data-reference='{first}'] [data-testid=accept]")
    with page.expect_response(lambda r: "/aksepter" in r.url or r.request.method == "POST"):
        page.keyboard.press("Enter")
    row = page.locator(f"tr[data-reference='{first}']")
    row.locator("[data-testid=proposal-status]").wait_for()
    assert "Akseptert" in row.inner_text()
    assert page.evaluate(
        "r => document.querySelector(`tr[data-reference='${r}']`).contains(document.activeElement)",
        first,
    )

    # Decline the next: open "Avslå …" with Enter, pick a reason with the arrow keys, write why, send.
    second = page.locator(
        "[data-testid=proposal-row]:has([data-testid=accept])"
    ).first.get_attribute("data-reference")
    _tab_to(page, f"tr[data-reference='{second}'] summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page, "name") == "reason"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert _focused(page, "name") == "text"
    page.keyboard.type("Tastaturtest")
    page.keyboard.press("Tab")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    row = page.locator(f"tr[data-reference='{second}']")
    row.locator("[data-testid=proposal-status]").wait_for()
    assert "Avslått" in row.inner_text() and "Tastaturtest" in row.inner_text()


def test_a_municipality_completes_the_checklist_with_the_keyboard_only(page, demo_server, demo_env):
    case_id = run_in_demo(demo_env, "preparing", "0301")
    _keyboard_login(page, demo_server, "kommune.0301")
    page.goto(f"{demo_server}/saker/{case_id}/")
    page.locator("[data-testid=checklist]").wait_for()

    # The flat: focus the list and choose the first flat with the arrow key.
    unit = page.locator("[data-testid=cl-unit]")
    if unit.count() and unit.input_value() == "":
        _tab_to(page, "[data-testid=cl-unit]")
        with page.expect_response(lambda r: r.request.method == "POST"):
            page.keyboard.press("ArrowDown")
        page.wait_for_function("() => document.querySelector('[data-testid=cl-unit]').value !== ''")

    # Every box still open: Tab to it, Space; the focus comes back to the same box after the save.
    names = page.eval_on_selector_all(
        "[data-testid=checklist-items] input[type=checkbox]",
        "els => els.filter(e => !e.checked).map(e => e.id)",
    )
    assert names, "the checklist has nothing left to tick"
    for box_id in names:
        _tab_to(page, f"#{box_id}")
        with page.expect_response(lambda r: "/sjekkliste/" in r.url):
            page.keyboard.press("Space")
        item = page.locator(f"#cl-item-{box_id.removeprefix('cl-box-')}")
        error = item.locator(".error")
        assert not error.count(), error.all_inner_texts()
        page.wait_for_function(
            "id => document.getElementById(id).checked", arg=box_id, timeout=60_000
        )
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id", arg=box_id
        )

    page.reload()
    for box_id in names:
        assert page.locator(f"#{box_id}").is_checked(), box_id
    assert page.locator("[data-testid=checklist-complete]").count() == 1


def test_the_menu_is_one_line_on_a_laptop_and_folds_on_a_phone(browser, demo_server):
    for width, one_line in ((1366, True), (390, False)):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="nb-NO")
        page = context.new_page()
        login(page, demo_server, "imdi.nasjonal")
        tops = page.eval_on_selector_all(
            "nav.main-nav details.nav-group > summary",
            "els => els.map(e => Math.round(e.getBoundingClientRect().top))",
        )
        assert len(tops) == 4, tops
        assert (len(set(tops)) == 1) is one_line, (width, tops)
        # Folded until opened, by keyboard as well: Enter on a group shows its links.
        links = page.locator("details.nav-group[data-nav-group=planning] a")
        assert not links.first.is_visible()
        page.focus("details.nav-group[data-nav-group=planning] > summary")
        page.keyboard.press("Enter")
        assert links.first.is_visible()
        page.keyboard.press("Escape")
        assert not links.first.is_visible()
        context.close()
