"""The settlement pipeline: legal and illegal transitions, the checklist gate, self-settlement,
family reunification, permits, and the audit trail they leave."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.apps.cases.world import make_household, make_unit
from tests.clock import on_business_day
from tests.factories import ReceptionCentreFactory

from bosetting import clock
from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import CaseEvent, Household, SelfSettlement
from bosetting.apps.cases.services import do_set_checklist_item
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.models import Lease
from bosetting.apps.housing.services import do_book
from bosetting.apps.lifecycle import services

pytestmark = [pytest.mark.django_db, on_business_day]
S = CaseStatus


def _accepted_in_bergen(ages=(34, 6), **kw) -> Household:
    """A household accepted by Bergen, its flat reserved for it (as accepting a proposal leaves it)."""
    unit = make_unit("1201")
    h = make_household(S.ACCEPTED, ages=ages, municipality="1201", **kw)
    h.unit = unit
    h.save()
    do_book(None, unit, h, start=date(2015, 1, 5), status=BookingStatus.RESERVED)
    return h


def tick(user, household, *items: str) -> None:
    """Tick checklist items one by one, as the page does."""
    for item in items:
        do_set_checklist_item(user, household.pk, item, True)


def test_imdi_moves_a_case_through_the_early_phases_with_dated_events(imdi_officer):
    h = make_household(S.PERMIT_GRANTED)
    services.do_transition(imdi_officer, h, S.NOTIFIED, on=date(2014, 6, 10))
    services.do_transition(imdi_officer, h, S.INTERVIEWED, on=date(2014, 7, 1))
    services.do_transition(imdi_officer, h, S.READY, on=date(2014, 7, 20))
    h.refresh_from_db()
    assert h.status == S.READY
    assert (h.notified_on, h.interview_on, h.ready_on) == (
        date(2014, 6, 10),
        date(2014, 7, 1),
        date(2014, 7, 20),
    )
    assert list(h.events.values_list("from_status", "to_status")) == [
        ("permit_granted", "notified"),
        ("notified", "interviewed"),
        ("interviewed", "ready"),
    ]


def test_illegal_transition_is_refused_naming_both_statuses(imdi_officer):
    h = make_household(S.READY)
    with pytest.raises(services.TransitionError) as exc:
        services.do_transition(imdi_officer, h, S.FOLLOW_UP)
    assert "Bosettingsklar" in str(exc.value) and "Oppfølging" in str(exc.value)
    h.refresh_from_db()
    assert h.status == S.READY and not CaseEvent.objects.filter(household=h).exists()


def test_proposing_needs_a_matching_round(imdi_officer):
    h = make_household(S.READY)
    with pytest.raises(services.TransitionError, match="utsøkingsrunde"):
        services.do_transition(imdi_officer, h, S.PROPOSED)


def test_unknown_status_is_refused(imdi_officer):
    with pytest.raises(services.TransitionError, match="Ukjent status"):
        services.do_transition(imdi_officer, make_household(S.READY), "teleported")


def test_municipality_makes_the_agreement_and_follows_up(municipal_officer):
    h = _accepted_in_bergen(ages=(40,))
    services.do_transition(municipal_officer, h, S.PREPARING, on=date(2015, 1, 10))
    h.refresh_from_db()
    assert h.status == S.PREPARING and h.agreement_on == date(2015, 1, 10)
    tick(municipal_officer, h, "intro_programme", "gp")
    services.do_settle(municipal_officer, h, on=date(2015, 2, 1))
    services.do_transition(municipal_officer, h, S.FOLLOW_UP, on=date(2015, 3, 1))
    h.refresh_from_db()
    assert h.status == S.FOLLOW_UP and h.settled_on == date(2015, 2, 1)


def test_municipality_may_not_move_cases_of_the_queue(municipal_officer):
    with pytest.raises(PermissionDenied):
        services.do_transition(municipal_officer, make_household(S.INTERVIEWED), S.READY)


def test_other_municipality_may_not_touch_bergens_case(other_municipal_officer):
    h = _accepted_in_bergen()
    with pytest.raises(PermissionDenied):
        services.do_transition(other_municipal_officer, h, S.PREPARING)
    with pytest.raises(PermissionDenied):
        tick(other_municipal_officer, h, "gp")


@pytest.mark.parametrize(
    "persona", ["husbanken_advisor", "county_governor_outside_pilot", "analyst"]
)
def test_roles_without_personal_data_may_not_move_cases(persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.do_transition(user, make_household(S.PERMIT_GRANTED), S.NOTIFIED)


def test_in_the_pilot_county_the_county_governor_acts_and_imdi_vest_only_sees(
    county_governor, imdi_regional_officer
):
    """From 2015 Hordaland's county governor holds IMDi's regional role for the cases in its county
    (L3160–3163); IMDi Vest keeps acting in Rogaland and on the national queue elsewhere."""
    from bosetting.apps.cases.selectors import cases_for

    hordaland = make_household(S.INTERVIEWED, centre=ReceptionCentreFactory(number="1201"))
    rogaland = make_household(S.INTERVIEWED, centre=ReceptionCentreFactory(number="1103"))
    oslo = make_household(S.INTERVIEWED, centre=ReceptionCentreFactory(number="0301"))
    with pytest.raises(PermissionDenied):
        services.do_transition(imdi_regional_officer, hordaland, S.READY)
    assert cases_for(imdi_regional_officer).filter(pk=hordaland.pk).exists()  # it still sees
    services.do_transition(county_governor, hordaland, S.READY)
    for h in (rogaland, oslo):
        with pytest.raises(PermissionDenied):
            services.do_transition(county_governor, h, S.READY)
        services.do_transition(imdi_regional_officer, h, S.READY)
    hordaland.refresh_from_db()
    assert hordaland.status == S.READY


def test_after_the_pilot_imdi_vest_acts_in_hordaland_again(
    settings, county_governor, imdi_regional_officer
):
    settings.BOSETTING_TODAY = date(2017, 1, 2)
    h = make_household(S.INTERVIEWED, centre=ReceptionCentreFactory(number="1201"))
    with pytest.raises(PermissionDenied):
        services.do_transition(county_governor, h, S.READY)
    services.do_transition(imdi_regional_officer, h, S.READY, on=date(2017, 1, 2))


def test_settling_needs_a_complete_checklist(municipal_officer):
    h = _accepted_in_bergen(ages=(34, 8, 3))
    services.do_transition(municipal_officer, h, S.PREPARING, on=date(2015, 1, 10))
    with pytest.raises(services.TransitionError) as exc:
        services.do_settle(municipal_officer, h, on=date(2015, 2, 1))
    message = str(exc.value)
    assert "Sjekklisten er ikke fullført" in message
    assert "Skoleplass" in message and "Barnehageplass" in message and "Fastlege" in message
    tick(municipal_officer, h, "intro_programme", "school", "kindergarten", "gp")
    services.do_settle(municipal_officer, h, on=date(2015, 2, 1))
    h.refresh_from_db()
    assert h.status == S.SETTLED
    lease = Lease.objects.get(household=h)
    assert lease.unit_id == h.unit_id
    assert (lease.start, lease.end) == (date(2015, 2, 1), date(2018, 2, 1))


def test_health_follow_up_is_required_when_the_case_has_a_health_need(municipal_officer):
    h = _accepted_in_bergen(ages=(40,), needs=["health_high"])
    services.do_transition(municipal_officer, h, S.PREPARING)
    tick(municipal_officer, h, "intro_programme", "gp")
    with pytest.raises(services.TransitionError, match="Helseoppfølging"):
        services.do_settle(municipal_officer, h, on=date(2015, 2, 1))


def test_checklist_unit_must_lie_in_the_accepting_municipality(municipal_officer):
    h = _accepted_in_bergen()
    oslo_unit = make_unit("0301")
    with pytest.raises(ValidationError):
        services.do_choose_unit(municipal_officer, h, oslo_unit.pk)
    bergen_unit = make_unit("1201")
    services.do_choose_unit(municipal_officer, h, bergen_unit.pk)
    h.refresh_from_db()
    checklist = h.checklist
    assert checklist.housing_unit == bergen_unit and h.unit == bergen_unit
    assert checklist.done["housing_unit"]["by"] == "municipal_officer"


def test_checklist_is_closed_before_acceptance(municipal_officer, imdi_officer):
    with pytest.raises(services.TransitionError, match="Sjekklisten"):
        tick(imdi_officer, make_household(S.READY), "gp")


def test_moving_back_to_the_queue_keeps_the_waiting_time(imdi_officer):
    h = _accepted_in_bergen()
    permit = h.permit_date
    services.do_transition(imdi_officer, h, S.READY, on=date(2015, 1, 20), note="Avtalen brast")
    h.refresh_from_db()
    assert h.status == S.READY and h.municipality is None and h.unit is None
    assert h.permit_date == permit and h.ready_on == date(2014, 7, 1)
    assert h.wait_days(date(2015, 1, 20)) == (date(2015, 1, 20) - permit).days


# --- self-settlement -----------------------------------------------------------------------------


def test_municipality_submits_self_settlement_and_imdi_approves(municipal_officer, imdi_officer):
    h = make_household(S.READY, ages=(30,))
    deadline = clock.today() + timedelta(days=5)
    ss = services.do_submit_self_settlement(
        municipal_officer, h, "1201", deadline, 8500, "Fant hybel selv"
    )
    h.refresh_from_db()
    assert h.status == S.SELF_SETTLEMENT_PENDING and h.municipality.number == "1201"
    with pytest.raises(PermissionDenied):
        services.do_decide_self_settlement(municipal_officer, ss.pk, True, "")
    services.do_decide_self_settlement(imdi_officer, ss.pk, True, "Godkjent")
    h.refresh_from_db()
    ss.refresh_from_db()
    assert ss.status == SelfSettlement.Status.APPROVED and ss.decided_by == imdi_officer
    assert h.status == S.PREPARING and h.self_settled
    # Self-settlement needs no checklist to settle.
    services.do_settle(municipal_officer, h, on=date(2015, 2, 1))
    h.refresh_from_db()
    assert h.status == S.SETTLED


def test_in_the_pilot_county_the_county_governor_decides_self_settlement(
    municipal_officer, imdi_regional_officer, county_governor
):
    """Bergen's self-found homes are approved by Hordaland's county governor from 2015; IMDi Vest
    sees the submission but may not decide it."""
    h = make_household(S.READY, ages=(30,))
    ss = services.do_submit_self_settlement(
        municipal_officer, h, "1201", clock.today() + timedelta(days=5), 8500, ""
    )
    assert not services.may_decide_self_settlement(imdi_regional_officer, ss)
    with pytest.raises(PermissionDenied, match="fylkesmannen i et forsøksfylke"):
        services.do_decide_self_settlement(imdi_regional_officer, ss.pk, True, "")
    assert services.may_decide_self_settlement(county_governor, ss)
    services.do_decide_self_settlement(county_governor, ss.pk, True, "Godkjent av fylkesmannen")
    ss.refresh_from_db()
    assert ss.status == SelfSettlement.Status.APPROVED and ss.decided_by == county_governor


def test_rejected_self_settlement_returns_the_household_with_waiting_time_intact(
    municipal_officer, imdi_officer
):
    h = make_household(S.READY, ages=(30,))
    ss = services.do_submit_self_settlement(
        municipal_officer, h, "1201", clock.today() + timedelta(days=3), 8000, ""
    )
    services.do_decide_self_settlement(imdi_officer, ss.pk, False, "For dyr bolig")
    h.refresh_from_db()
    assert h.status == S.READY and h.municipality is None
    assert h.permit_date == date(2014, 6, 1) and h.ready_on == date(2014, 7, 1)
    with pytest.raises(services.TransitionError, match="allerede avgjort"):
        services.do_decide_self_settlement(imdi_officer, ss.pk, True, "")


def test_self_settlement_cannot_be_approved_after_the_lease_offer_deadline(
    municipal_officer, imdi_officer
):
    h = make_household(S.READY, ages=(30,))
    ss = services.do_submit_self_settlement(
        municipal_officer, h, "1201", clock.today() + timedelta(days=1), 8000, ""
    )
    SelfSettlement.objects.filter(pk=ss.pk).update(
        lease_offer_deadline=clock.today() - timedelta(days=1)
    )
    with pytest.raises(services.TransitionError, match="Fristen i leietilbudet"):
        services.do_decide_self_settlement(imdi_officer, ss.pk, True, "")


def test_self_settlement_with_a_lapsed_offer_is_refused(municipal_officer):
    with pytest.raises(ValidationError, match="passert"):
        services.do_submit_self_settlement(
            municipal_officer,
            make_household(S.READY),
            "1201",
            clock.today() - timedelta(days=1),
            8000,
            "",
        )


def test_municipality_submits_self_settlement_only_for_itself(other_municipal_officer):
    with pytest.raises(PermissionDenied):
        services.do_submit_self_settlement(
            other_municipal_officer,
            make_household(S.READY),
            "1201",
            clock.today() + timedelta(days=5),
            8000,
            "",
        )


def test_self_settlement_needs_a_settlement_ready_household(municipal_officer):
    with pytest.raises(services.TransitionError):
        services.do_submit_self_settlement(
            municipal_officer,
            make_household(S.PERMIT_GRANTED),
            "1201",
            clock.today() + timedelta(days=5),
            8000,
            "",
        )


# --- reunification and permits --------------------------------------------------------------------


def test_family_reunification_is_registered_with_its_source_and_audited(imdi_officer):
    h = make_household(S.READY, ages=(30,))
    services.do_register_reunification(imdi_officer, h, 3, date(2015, 6, 1), "application")
    h.refresh_from_db()
    assert h.expected_reunification_persons == 3 and h.expected_reunification_on == date(2015, 6, 1)
    assert h.expected_reunification_source == "application"
    entry = AuditEntry.objects.get(object_type="cases.household", action="reunification")
    assert entry.before == {
        "expected_reunification_on": None,
        "expected_reunification_persons": 0,
        "expected_reunification_source": "",
    }
    assert entry.after["expected_reunification_persons"] == 3


def test_expected_reunification_needs_a_known_source_and_changes_nothing_without_one(
    imdi_officer,
):
    h = make_household(S.READY, ages=(30,))
    for source in ("", "rumour"):
        with pytest.raises(ValidationError) as exc:
            services.do_register_reunification(imdi_officer, h, 2, date(2015, 6, 1), source)
        assert "source" in exc.value.message_dict
    h.refresh_from_db()
    assert h.expected_reunification_persons == 0
    services.do_register_reunification(imdi_officer, h, 0, None)  # clearing needs no source


def test_municipality_may_not_register_reunification_for_a_case_not_sent_to_it(municipal_officer):
    with pytest.raises(PermissionDenied):
        services.do_register_reunification(
            municipal_officer, make_household(S.READY), 2, date(2015, 6, 1), "own_statement"
        )


def test_register_permit_is_idempotent_on_reference(imdi_officer):
    kwargs = dict(
        reference="UDI-0001",
        permit_date=date(2015, 1, 2),
        case_opened=date(2014, 3, 1),
        persons=[{"birth_year": 1980, "sex": "f"}, {"birth_year": 2010, "sex": "m"}],
        needs=["accessible"],
        ties=["1201"],
    )
    first = services.do_register_permit(imdi_officer, **kwargs)
    second = services.do_register_permit(imdi_officer, **kwargs)
    assert first.pk == second.pk
    assert first.status == S.PERMIT_GRANTED and first.household_type == "family_children"
    assert first.persons.count() == 2 and first.persons.filter(is_principal=True).count() == 1
    assert Household.objects.filter(reference="UDI-0001").count() == 1


def test_municipality_may_not_register_permits(municipal_officer):
    with pytest.raises(PermissionDenied):
        services.do_register_permit(
            municipal_officer,
            reference="UDI-0002",
            permit_date=date(2015, 1, 2),
            case_opened=None,
            persons=[{"birth_year": 1980, "sex": "f"}],
        )


def test_transition_writes_an_audit_entry_with_before_and_after(imdi_officer):
    h = make_household(S.INTERVIEWED)
    services.do_transition(imdi_officer, h, S.READY, on=date(2015, 1, 3))
    entry = AuditEntry.objects.get(object_type="cases.household", object_id=str(h.pk))
    assert entry.username == "imdi_officer" and entry.action == "transition"
    assert entry.before["status"] == "interviewed" and entry.after["status"] == "ready"
    assert entry.after["ready_on"] == "2015-01-03"


@pytest.mark.parametrize(
    "start,to",
    [
        (S.INTERVIEWED, S.SELF_SETTLEMENT_PENDING),
        (S.READY, S.SELF_SETTLEMENT_PENDING),
        (S.ACCEPTED, S.READY),
        (S.PREPARING, S.READY),
    ],
)
def test_remaining_legal_moves(start, to, imdi_officer, municipal_officer):
    h = make_household(start, municipality="1201" if start in (S.ACCEPTED, S.PREPARING) else None)
    if to == S.SELF_SETTLEMENT_PENDING:
        services.do_submit_self_settlement(
            municipal_officer, h, "1201", clock.today() + timedelta(days=4), 9000, ""
        )
    else:
        services.do_transition(imdi_officer, h, to, on=date(2015, 1, 9))
    h.refresh_from_db()
    assert h.status == to
    assert h.events.last().from_status == start


@pytest.mark.parametrize("status", [S.PERMIT_GRANTED, S.NOTIFIED, S.SETTLED, S.FOLLOW_UP])
def test_no_shortcut_to_settled(status, imdi_officer):
    h = make_household(status)
    with pytest.raises(services.TransitionError, match="Bosatt"):
        services.do_transition(imdi_officer, h, S.SETTLED, on=date(2015, 2, 1))


def test_checklist_refuses_a_unit_reserved_for_another_case(municipal_officer):
    first = _accepted_in_bergen()
    second = _accepted_in_bergen()
    with pytest.raises(ValidationError, match="reservasjon"):
        services.do_choose_unit(municipal_officer, second, first.unit_id)


def test_arrived_family_members_join_the_settled_household_and_a_small_flat_is_flagged(
    municipal_officer,
):
    h = _accepted_in_bergen(ages=(40,))
    h.expected_reunification_persons = 3
    h.save()
    services.do_transition(municipal_officer, h, S.PREPARING, on=date(2015, 1, 10))
    tick(municipal_officer, h, "intro_programme", "gp")
    services.do_settle(municipal_officer, h, on=date(2015, 2, 1))
    arrival = services.do_register_reunification_arrival(
        municipal_officer, h, [{"birth_year": 1982}, {"birth_year": 2009}, {"birth_year": 2012}]
    )
    h.refresh_from_db()
    assert arrival.added == 3 and arrival.size == 4 and h.expected_reunification_persons == 0
    assert h.persons.filter(arrived_by_reunification=True).count() == 3
    assert h.status == S.SETTLED
    assert h.events.filter(event="reunification_arrived").exists()
    # make_unit gives room for 4: the family fits; one more would not.
    assert arrival.warnings == []
    more = services.do_register_reunification_arrival(municipal_officer, h, [{"birth_year": 2014}])
    assert more.warnings and "tar høyst 4" in more.warnings[0]


def test_arrivals_are_only_for_settled_households(imdi_officer):
    with pytest.raises(services.TransitionError):
        services.do_register_reunification_arrival(
            imdi_officer, make_household(S.READY), [{"birth_year": 1990}]
        )
