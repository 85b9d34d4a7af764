"""Notices ("varsler"): who gets which, once only, in the inbox and by e-mail as each user chooses —
from events (a round sent, a round finished, a decision registered) and from the deadline scan
(answers due, self-settlement offers, leases ending)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from tests.clock import BUSINESS_DAY, on_business_day

from bosetting.apps.lifecycle import services as lifecycle
from bosetting.apps.matching import services as matching
from bosetting.apps.matching.models import MatchingRound
from bosetting.apps.matching.runner import do_fail_round, run_round
from bosetting.apps.notifications import services
from bosetting.apps.notifications.choices import NoticeKind
from bosetting.apps.notifications.models import Notification
from bosetting.apps.planning.services import do_register_decision, do_update_decision
from bosetting.engine.rules.targets import answer_due

from .world import lease_ending, pending_self_settlement, round_to_send, sent_proposal

pytestmark = [pytest.mark.django_db, on_business_day]
K = NoticeKind
TODAY = BUSINESS_DAY


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


# --- events --------------------------------------------------------------------------------------------


def test_sending_a_round_tells_each_municipality_of_its_own_proposals_only(
    with_email, imdi_officer, django_capture_on_commit_callbacks
):
    bergen, oslo = with_email("municipal_officer"), with_email("other_municipal_officer")
    rnd = round_to_send("1201", "0301")
    with django_capture_on_commit_callbacks(execute=True):
        assert lifecycle.do_send_round(imdi_officer, rnd.pk) == 2
    mine = Notification.objects.get(user=bergen)
    proposal = rnd.proposals.get(municipality__number="1201")
    assert (mine.kind, mine.key) == (K.PROPOSAL_RECEIVED, f"proposal:{proposal.pk}")
    assert mine.due_on == answer_due(TODAY) == TODAY + timedelta(days=14)
    assert mine.url == f"/saker/{proposal.household_id}/"
    assert Notification.objects.get(user=oslo).params["municipality"] == "Oslo"
    assert kinds_of(imdi_officer) == []
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {bergen.email, oslo.email}
    message = by_address[bergen.email]
    assert proposal.household.reference in message.subject
    assert "19. januar 2015" in message.body and "/saker/" in message.body


def test_a_round_finished_tells_the_officer_who_started_it(imdi_officer, imdi_regional_officer):
    rnd = matching.do_create_round(imdi_officer, TODAY, "greedy", 5.0, ["1201"])
    assert run_round(rnd.pk) == MatchingRound.Status.DONE
    notice = Notification.objects.get(user=imdi_officer)
    assert notice.kind == K.ROUND_FINISHED and notice.url == f"/utsoking/{rnd.pk}/"
    assert kinds_of(imdi_regional_officer) == []


def test_a_round_given_up_says_it_failed(imdi_officer):
    rnd = matching.do_create_round(imdi_officer, TODAY, "greedy", 5.0, ["1201"])
    do_fail_round(rnd.pk, "Bakgrunnsprosessen stoppet")
    notice = Notification.objects.get(user=imdi_officer)
    assert notice.params["failed"] is True
    from bosetting.apps.notifications.selectors import shown

    assert "feilet" in shown(notice).title and "stoppet" in shown(notice).body


def test_a_decision_tells_the_regional_office_but_not_who_registered_it(
    municipal_officer, imdi_regional_officer, imdi_officer
):
    rows = do_register_decision(
        municipal_officer, municipality_number="1201", year=2015, persons=120, period_years=3
    )
    notice = Notification.objects.get(user=imdi_regional_officer)
    assert notice.kind == K.DECISION_REGISTERED
    assert notice.params["period"] == "2015–2017" and notice.params["persons"] == 120
    assert kinds_of(municipal_officer) == [] and kinds_of(imdi_officer) == []
    # The regional office's own change is not news to it; the municipality is not IMDi.
    do_update_decision(imdi_regional_officer, rows[0].pk, persons=100)
    assert Notification.objects.filter(user=imdi_regional_officer).count() == 1
    # Saving the same values again is no change and no notice.
    do_update_decision(municipal_officer, rows[0].pk, persons=100)
    assert Notification.objects.filter(user=imdi_regional_officer).count() == 1


# --- deadlines ------------------------------------------------------------------------------------------


def test_an_answer_due_in_two_days_is_noticed_once(municipal_officer, other_municipal_officer):
    due_soon = sent_proposal("1201", TODAY - timedelta(days=12))
    sent_proposal("1201", TODAY - timedelta(days=5))  # due in nine days: not yet
    sent_proposal("1201", TODAY - timedelta(days=15))  # overdue: the scan does not nag
    first = services.do_send_due_notices()
    assert first.created[K.ANSWER_DUE] == 1
    notice = Notification.objects.get(user=municipal_officer, kind=K.ANSWER_DUE)
    assert notice.key == f"proposal:{due_soon.pk}" and notice.due_on == TODAY + timedelta(days=2)
    assert services.do_send_due_notices().created == {}
    assert Notification.objects.filter(kind=K.ANSWER_DUE).count() == 1
    assert kinds_of(other_municipal_officer) == []


def test_a_self_settlement_offer_lapsing_in_three_days_goes_to_the_regional_office(
    imdi_regional_officer, imdi_officer, municipal_officer
):
    ss = pending_self_settlement("1201", TODAY + timedelta(days=3))
    pending_self_settlement("1201", TODAY + timedelta(days=4))  # not yet
    services.do_send_due_notices()
    notice = Notification.objects.get(kind=K.SELF_SETTLEMENT_DUE)
    assert notice.user == imdi_regional_officer and notice.key == f"self_settlement:{ss.pk}"
    assert kinds_of(imdi_officer) == [] and kinds_of(municipal_officer) == []


def test_without_a_regional_officer_imdi_national_hears_of_the_offer(
    imdi_officer, imdi_regional_officer
):
    pending_self_settlement("0301", TODAY + timedelta(days=1))  # Oslo: IMDi Øst has no user here
    services.do_send_due_notices()
    assert kinds_of(imdi_officer) == [K.SELF_SETTLEMENT_DUE]
    assert kinds_of(imdi_regional_officer) == []


def test_a_lease_ending_in_sixty_days_goes_to_the_municipality_it_lies_in(
    municipal_officer, other_municipal_officer
):
    lease = lease_ending("1201", TODAY + timedelta(days=60))
    lease_ending("1201", TODAY + timedelta(days=61))  # not yet
    lease_ending("0301", TODAY + timedelta(days=90))  # not yet
    services.do_send_due_notices()
    notice = Notification.objects.get(kind=K.LEASE_ENDING)
    assert notice.user == municipal_officer and notice.params["unit"] == lease.unit.code
    assert notice.url == f"/boliger/{lease.unit_id}/"
    assert kinds_of(other_municipal_officer) == []


def test_a_lease_with_its_outcome_registered_is_not_noticed(municipal_officer):
    lease = lease_ending("1201", TODAY + timedelta(days=10))
    lease.outcome, lease.outcome_on = "renewed", TODAY
    lease.save()
    services.do_send_due_notices()
    assert kinds_of(municipal_officer) == []


def test_an_inactive_user_gets_nothing(municipal_officer):
    municipal_officer.is_active = False
    municipal_officer.save()
    sent_proposal("1201", TODAY - timedelta(days=13))
    services.do_send_due_notices()
    assert kinds_of(municipal_officer) == []


def test_old_notices_are_pruned(municipal_officer, settings):
    sent_proposal("1201", TODAY - timedelta(days=13))
    services.do_send_due_notices()
    Notification.objects.update(
        created_at=Notification.objects.get().created_at - timedelta(days=181)
    )
    assert services.do_send_due_notices().pruned == 1
    assert not Notification.objects.exists()


# --- e-mail ----------------------------------------------------------------------------------------------


def test_each_user_chooses_which_kinds_come_by_email(
    with_email, django_capture_on_commit_callbacks
):
    officer = with_email("municipal_officer")
    services.do_set_email_kinds(officer, [K.LEASE_ENDING])
    sent_proposal("1201", TODAY - timedelta(days=12))
    lease_ending("1201", TODAY + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_due_notices()
    assert sorted(kinds_of(officer)) == [K.ANSWER_DUE, K.LEASE_ENDING]  # both in the inbox
    assert len(mail.outbox) == 1 and "Leiekontrakt" in mail.outbox[0].subject


def test_one_email_per_user_per_batch_and_none_without_an_address(
    with_email, municipal_officer, django_capture_on_commit_callbacks
):
    sent_proposal("1201", TODAY - timedelta(days=12))
    sent_proposal("1201", TODAY - timedelta(days=13))
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send_due_notices()
    assert mail.outbox == []  # the persona has no e-mail address
    with_email("municipal_officer")
    assert services.do_send_emails() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "[Bosetting] 2 nye varsler"
    assert services.do_send_emails() == 0  # never twice


def test_a_failed_email_is_sent_later_and_only_once(with_email, settings, monkeypatch):
    officer = with_email("municipal_officer")
    sent_proposal("1201", TODAY - timedelta(days=12))

    def refuse(self, messages):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    services.do_send_due_notices()
    assert Notification.objects.get(user=officer).emailed_at is None
    monkeypatch.undo()
    assert services.do_send_due_notices().emails == 1
    assert services.do_send_due_notices().emails == 0
    assert len(mail.outbox) == 1


def test_email_settings_refuse_an_unknown_kind(municipal_officer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.do_set_email_kinds(municipal_officer, ["answer_due", "rm -rf"])
    assert "email_kinds" in exc.value.message_dict


def test_changing_email_settings_is_audited(municipal_officer):
    from bosetting.apps.audit.models import AuditEntry

    services.do_set_email_kinds(municipal_officer, [K.ANSWER_DUE])
    services.do_set_email_kinds(municipal_officer, [K.ANSWER_DUE])  # no change, no entry
    services.do_set_email_kinds(municipal_officer, [])
    entries = AuditEntry.objects.filter(object_type="notifications.notificationsettings")
    assert [e.action for e in entries.order_by("pk")] == ["create", "update"]
