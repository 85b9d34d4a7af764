"""The home page's task list: what waits on each role, most urgent first, each one click from the
work, never anything outside the user's scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from tests.apps.cases.world import make_decision, make_household
from tests.factories import LeaseFactory, ProposalFactory, SettlementRequestFactory

from bosetting import clock
from bosetting.apps.cases.choices import CaseStatus as S
from bosetting.apps.lifecycle import services
from bosetting.apps.lifecycle.selectors import tasks_for

pytestmark = pytest.mark.django_db

TODAY = date(2015, 1, 5)


def _kinds(user) -> list[str]:
    return [t.kind for t in tasks_for(user, TODAY)]


def _proposals(user):
    return next(t for t in tasks_for(user, TODAY) if t.kind == "proposals")


def test_a_municipality_sees_its_proposals_with_their_answer_deadlines(
    municipal_officer, other_municipal_officer
):
    late = ProposalFactory(sent_on=TODAY - timedelta(days=13))
    fresh = ProposalFactory(sent_on=TODAY)
    ProposalFactory(number="0301")
    task = tasks_for(municipal_officer, TODAY)[0]
    assert task.kind == "proposals" and task.count == 2
    # the one sent first is due first: tomorrow (sent + 14 days)
    assert [i.label for i in task.items] == [late.household.reference, fresh.household.reference]
    assert task.items[0].due_on == date(2015, 1, 6) and task.items[0].days_left == 1
    assert task.items[0].when == "1 dag igjen" and task.urgency == "bad"
    assert task.items[1].when == "14 dager igjen"
    assert task.items[0].url.endswith(f"/saker/#proposal-{late.pk}")
    assert [
        t.count for t in tasks_for(other_municipal_officer, TODAY) if t.kind == "proposals"
    ] == [1]


def test_an_answered_proposal_leaves_the_list(municipal_officer):
    first, second = ProposalFactory(), ProposalFactory()
    services.do_accept_proposal(municipal_officer, first.pk)
    task = next(t for t in tasks_for(municipal_officer, TODAY) if t.kind == "proposals")
    assert task.count == 1 and task.items[0].label == second.household.reference


def test_imdi_sees_the_self_settlement_nearest_its_deadline_first(
    imdi_officer, imdi_regional_officer
):
    far, near = make_household(S.READY, ages=(30,)), make_household(S.READY, ages=(25,))
    # Stavanger (Rogaland): IMDi Vest decides there (in Hordaland the county governor does, the pilot)
    services.do_submit_self_settlement(imdi_officer, far, "1103", TODAY + timedelta(9), 8000, "")
    services.do_submit_self_settlement(imdi_officer, near, "1103", TODAY + timedelta(1), 8000, "")
    make_household(S.READY, ages=(40,), permit_date=date(2013, 6, 1))  # waited 19 months
    tasks = tasks_for(imdi_regional_officer, TODAY)
    assert tasks[0].kind == "self_settlements"
    assert [i.label for i in tasks[0].items] == [near.reference, far.reference]
    assert tasks[0].days_left == 1 and tasks[0].items[0].when == "1 dag igjen"
    # the backlog comes after a deadline that lapses tomorrow, and before one in nine days would
    assert [t.kind for t in tasks[1:]] == ["over_12", "over_target"]


def test_in_the_pilot_county_the_county_governor_decides_and_imdi_has_no_task(
    municipal_officer, imdi_regional_officer, county_governor
):
    h = make_household(S.READY, ages=(30,))
    services.do_submit_self_settlement(municipal_officer, h, "1201", TODAY + timedelta(2), 8000, "")
    governor = {t.kind: t for t in tasks_for(county_governor, TODAY)}
    assert governor["self_settlements"].items[0].label == h.reference
    assert "self_settlements" not in _kinds(imdi_regional_officer)


def test_households_over_the_targets_are_counted_for_imdi(imdi_officer):
    make_household(S.READY, ages=(40,), permit_date=date(2013, 12, 1))  # 13 months: over 12
    make_household(S.READY, ages=(40,), permit_date=date(2014, 6, 1))  # 7 months, target 6
    make_household(S.READY, ages=(30, 4), permit_date=date(2014, 9, 1))  # 4 months, target 3
    make_household(S.READY, ages=(30,), permit_date=date(2014, 12, 1))  # one month: within
    tasks = {t.kind: t for t in tasks_for(imdi_officer, TODAY)}
    assert tasks["over_12"].count == 1
    assert "over=12" in tasks["over_12"].url
    assert tasks["over_target"].count == 3 and "over=mal" in tasks["over_target"].url
    assert tasks["over_target"].urgency == "bad"


def test_leases_ending_within_sixty_days_wait_on_the_municipality(municipal_officer, imdi_officer):
    lease = LeaseFactory(unit__number="1201", start=date(2012, 2, 1), end=TODAY + timedelta(40))
    LeaseFactory(unit__number="1201", start=date(2012, 6, 1), end=TODAY + timedelta(100))
    task = next(t for t in tasks_for(municipal_officer, TODAY) if t.kind == "leases")
    assert task.count == 1 and task.items[0].label == lease.unit.code
    assert task.days_left == 40 and task.urgency == "ok"
    assert "leases" not in _kinds(imdi_officer)
    assert task.items[0].detail == f"{lease.household.reference} · Bergen"


def test_husbanken_sees_leases_ending_without_the_households(husbanken_advisor):
    lease = LeaseFactory(unit__number="1201", start=date(2012, 2, 1), end=TODAY + timedelta(3))
    task = next(t for t in tasks_for(husbanken_advisor, TODAY) if t.kind == "leases")
    assert (
        task.items[0].detail == "Bergen" and lease.household.reference not in task.items[0].detail
    )


def test_missing_decisions_for_the_year(municipal_officer, county_governor, imdi_officer):
    SettlementRequestFactory(number="1201", year=2015)
    SettlementRequestFactory(number="1247", year=2015)
    make_decision("1247", persons=5)
    task = next(t for t in tasks_for(municipal_officer, TODAY) if t.kind == "decisions")
    assert task.count == 1 and "/planlegging/vedtak/ny/?year=2015" in task.url
    governor = next(t for t in tasks_for(county_governor, TODAY) if t.kind == "decisions")
    assert [i.label for i in governor.items] == ["Bergen"]
    assert next(t for t in tasks_for(imdi_officer, TODAY) if t.kind == "decisions").count == 1


def test_a_round_waiting_to_be_sent_is_a_task_for_imdi(imdi_officer, municipal_officer):
    proposal = ProposalFactory(status="draft", sent_on=None, round__status="done")
    task = next(t for t in tasks_for(imdi_officer, TODAY) if t.kind == "rounds")
    assert task.count == 1 and task.url == f"/utsoking/{proposal.round_id}/"
    assert "1 forslag ikke sendt" in task.items[0].detail
    assert "rounds" not in _kinds(municipal_officer)


def test_the_analyst_has_no_tasks(analyst):
    make_household(S.READY, permit_date=date(2013, 1, 1))
    assert tasks_for(analyst, TODAY) == []


def test_the_home_page_is_the_task_list(client, municipal_officer):
    late = ProposalFactory(sent_on=TODAY - timedelta(days=10))
    client.force_login(municipal_officer)
    body = client.get("/").content.decode()
    assert 'data-testid="tasks"' in body and "Forslag om bosetting å svare på" in body
    assert late.household.reference in body and "4 dager igjen" in body
    assert f'href="/saker/#proposal-{late.pk}"' in body
    assert clock.today() == TODAY


def test_the_home_page_without_tasks_says_so(client, analyst):
    client.force_login(analyst)
    assert 'data-testid="no-tasks"' in client.get("/").content.decode()


def test_a_proposal_with_an_unread_notice_is_marked_until_it_is_read(
    client, municipal_officer, imdi_officer
):
    from tests.apps.notifications.world import round_to_send

    rnd = round_to_send("1201")
    services.do_send_round(imdi_officer, rnd.pk)
    item = _proposals(municipal_officer).items[0]
    assert item.notice_url.startswith("/varsler/")
    client.force_login(municipal_officer)
    assert 'data-testid="task-notice"' in client.get("/").content.decode()
    client.get(item.notice_url)
    assert _proposals(municipal_officer).items[0].notice_url == ""


def test_a_municipality_counts_only_the_households_it_has_accepted_as_over_target(
    municipal_officer,
):
    ProposalFactory(household__permit_date=date(2013, 1, 1))  # unanswered: a proposal task
    make_household(S.PREPARING, ages=(40,), municipality="1201", permit_date=date(2013, 6, 1))
    tasks = {t.kind: t for t in tasks_for(municipal_officer, TODAY)}
    assert tasks["proposals"].count == 1
    assert tasks["over_12"].count == 1 and tasks["over_12"].url == "/saker/#prep-h"
