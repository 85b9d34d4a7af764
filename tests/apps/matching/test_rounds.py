"""Matching rounds on a small hand-made world: instance building, feasible proposals, scoping,
sending, accepting and declining, and the demo's idempotent main job."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.apps.cases.world import make_decision, make_household, make_unit
from tests.apps.jobs.helpers import use_immediate_tasks
from tests.clock import on_business_day

from bosetting.apps.audit.models import AuditEntry
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.cases.selectors import cases_for
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.services import do_book
from bosetting.apps.lifecycle import services as lifecycle
from bosetting.apps.matching import services
from bosetting.apps.matching.choices import DeclineReason
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.matching.runner import build_instance
from bosetting.apps.matching.selectors import decline_counts, proposals_for, rounds_for
from bosetting.engine.matching import check_assignment, parse_instance

pytestmark = [pytest.mark.django_db, on_business_day]
AS_OF = date(2015, 1, 5)


@pytest.fixture
def world(settings, reference_db):
    use_immediate_tasks(settings)
    make_decision("1201", persons=6, uam=1)
    make_decision("1247", persons=4)
    make_decision("0301", persons=5)
    units = {
        "bergen": [make_unit("1201", max_occupants=4), make_unit("1201", max_occupants=2)],
        "askoy": [make_unit("1247", max_occupants=5)],
        "oslo": [make_unit("0301", max_occupants=4), make_unit("0301", max_occupants=2)],
        "late": [make_unit("1201", max_occupants=6, available=date(2015, 9, 1))],
        "unreported": [make_unit("1201", max_occupants=6, available=None)],
    }
    households = [
        make_household(ages=(34, 6), permit_date=date(2014, 5, 1)),
        make_household(ages=(40, 38, 10, 8), permit_date=date(2014, 3, 1)),
        make_household(ages=(25,), permit_date=date(2014, 9, 1), ties=["1247"]),
        make_household(ages=(16,), permit_date=date(2014, 10, 1)),
        make_household(ages=(30, 29), permit_date=date(2014, 11, 1)),
    ]
    make_household(CaseStatus.NOTIFIED, ages=(50,))  # not ready: never in a round
    return {"units": units, "households": households}


def _round(user, **kw) -> MatchingRound:
    rnd = services.do_start_round(user, as_of=AS_OF, time_limit=5.0, **kw)
    rnd.refresh_from_db()
    assert rnd.status == MatchingRound.Status.DONE, rnd.error
    return rnd


def test_instance_holds_ready_households_capacity_and_free_units(world):
    data = build_instance(AS_OF)
    assert {h["id"] for h in data["households"]} == {h.reference for h in world["households"]}
    munis = {m["id"]: m for m in data["municipalities"]}
    assert munis["1201"]["capacity_persons"] == 6 and munis["1201"]["capacity_uam"] == 1
    assert "health_high" in munis["0301"]["services"]
    assert 0 < munis["0301"]["labour_index"] < 1
    unit_ids = {u["id"] for u in data["units"]}
    assert world["units"]["late"][0].code not in unit_ids  # outside the 90-day horizon
    assert world["units"]["unreported"][0].code not in unit_ids
    assert world["units"]["askoy"][0].code in unit_ids
    uam = next(h for h in data["households"] if h["persons"] == [{"age": 16}])
    assert uam["uam"] is True
    parse_instance(data)  # valid exchange format


def test_capacity_counts_persons_already_proposed_or_settled_this_year(world):
    make_household(CaseStatus.ACCEPTED, ages=(30, 3), municipality="1201")
    settled = make_household(CaseStatus.SETTLED, ages=(30,), municipality="1201")
    Household.objects.filter(pk=settled.pk).update(settled_on=date(2015, 1, 2))
    make_household(CaseStatus.SETTLED, ages=(30,), municipality="1201")  # no date: not this year
    data = build_instance(AS_OF)
    bergen = next(m for m in data["municipalities"] if m["id"] == "1201")
    assert bergen["capacity_persons"] == 6 - 2 - 1


def test_a_round_produces_feasible_draft_proposals_with_explanations(world, imdi_officer):
    rnd = _round(imdi_officer)
    proposals = list(rnd.proposals.all())
    assert proposals and all(p.status == Proposal.Status.DRAFT for p in proposals)
    instance = parse_instance(rnd.instance)
    pairs = [(p.household.reference, p.unit.code) for p in proposals]
    assert check_assignment(instance, pairs) == []
    assert all(p.explanation["text_nb"].startswith("Poeng") for p in proposals)
    summary = rnd.summary
    assert summary["households_placed"] == len(proposals)
    assert summary["objective"] == pytest.approx(sum(p.score for p in proposals), rel=1e-6)
    assert summary["upper_bound"] >= summary["objective"] - 1e-6
    # Drafts change nobody's status.
    assert Household.objects.filter(status=CaseStatus.PROPOSED).count() == 0


def test_regional_officer_round_covers_its_region_outside_the_pilot(world, imdi_regional_officer):
    """From 2015 Hordaland's county governor holds IMDi's role there (the pilot): IMDi Vest's round
    covers Rogaland and Sogn og Fjordane, not Bergen or Askøy (where this world's flats are)."""
    rnd = _round(imdi_regional_officer)
    assert "1103" in rnd.scope_municipalities  # Stavanger
    assert not {"1201", "1247", "0301"} & set(rnd.scope_municipalities)
    assert not rnd.proposals.exists()
    for outside in (["0301"], ["1201"]):
        with pytest.raises(PermissionDenied):
            services.do_start_round(
                imdi_regional_officer, as_of=AS_OF, municipality_numbers=outside
            )


def test_county_governor_round_covers_its_pilot_county(world, county_governor):
    rnd = _round(county_governor)
    assert {"1201", "1247"} <= set(rnd.scope_municipalities)
    assert all(n.startswith("12") for n in rnd.scope_municipalities)
    numbers = set(rnd.proposals.values_list("municipality__number", flat=True))
    assert numbers and numbers <= {"1201", "1247"}
    assert lifecycle.do_send_round(county_governor, rnd.pk) == rnd.proposals.count()
    with pytest.raises(PermissionDenied):
        services.do_start_round(county_governor, as_of=AS_OF, municipality_numbers=["1103"])


@pytest.mark.parametrize(
    "persona",
    ["municipal_officer", "husbanken_advisor", "county_governor_outside_pilot", "analyst"],
)
def test_only_imdi_runs_rounds(world, persona, request):
    with pytest.raises(PermissionDenied):
        services.do_start_round(request.getfixturevalue(persona), as_of=AS_OF)


def test_municipality_sees_no_drafts_and_no_rounds(world, imdi_officer, municipal_officer):
    _round(imdi_officer)
    assert not proposals_for(municipal_officer).exists()
    assert not rounds_for(municipal_officer).exists()
    assert not cases_for(municipal_officer).exists()


def _sent_to_bergen(imdi_officer) -> Proposal:
    rnd = _round(imdi_officer, municipality_numbers=["1201"])
    assert lifecycle.do_send_round(imdi_officer, rnd.pk) == rnd.proposals.count()
    return Proposal.objects.filter(round=rnd, municipality__number="1201").first()


def test_sending_proposes_households_to_the_municipality(world, imdi_officer, municipal_officer):
    proposal = _sent_to_bergen(imdi_officer)
    proposal.household.refresh_from_db()
    h = proposal.household
    assert h.status == CaseStatus.PROPOSED and h.municipality.number == "1201"
    assert h.unit_id == proposal.unit_id
    assert set(proposals_for(municipal_officer)) == set(
        Proposal.objects.filter(status=Proposal.Status.SENT)
    )
    assert h in cases_for(municipal_officer)
    assert MatchingRound.objects.get(pk=proposal.round_id).status == MatchingRound.Status.SENT
    with pytest.raises(ValidationError):
        lifecycle.do_send_round(imdi_officer, proposal.round_id)


def test_accepting_reserves_the_unit(world, imdi_officer, municipal_officer):
    proposal = _sent_to_bergen(imdi_officer)
    lifecycle.do_accept_proposal(municipal_officer, proposal.pk)
    h = Household.objects.get(pk=proposal.household_id)
    assert h.status == CaseStatus.ACCEPTED and h.unit_id == proposal.unit_id
    assert h.checklist.housing_unit_id == proposal.unit_id
    codes = {u["id"] for u in build_instance(AS_OF)["units"]}
    assert proposal.unit.code not in codes
    with pytest.raises(ValidationError, match="allerede besvart"):
        lifecycle.do_accept_proposal(municipal_officer, proposal.pk)


def test_decline_returns_the_household_to_the_queue_with_waiting_time_intact(
    world, imdi_officer, municipal_officer
):
    proposal = _sent_to_bergen(imdi_officer)
    permit = proposal.household.permit_date
    lifecycle.do_decline_proposal(
        municipal_officer, proposal.pk, DeclineReason.HEALTH_CAPACITY, "Ingen fastlege ledig"
    )
    proposal.refresh_from_db()
    h = Household.objects.get(pk=proposal.household_id)
    assert proposal.status == Proposal.Status.DECLINED
    assert proposal.decline_reason == "health_capacity"
    assert h.status == CaseStatus.READY and h.municipality is None and h.unit is None
    assert h.permit_date == permit
    assert h not in cases_for(municipal_officer)
    assert h.reference in {x["id"] for x in build_instance(AS_OF)["households"]}
    counts = decline_counts(imdi_officer)
    assert counts == [
        {
            "municipality__number": "1201",
            "municipality__name": "Bergen",
            "decline_reason": "health_capacity",
            "decline_reason_label": "Mangler kapasitet i helsetjenesten",
            "n": 1,
        }
    ]
    entry = AuditEntry.objects.get(object_type="matching.proposal", action="decline")
    assert entry.before["status"] == "sent" and entry.after["status"] == "declined"


def test_decline_needs_a_known_reason_and_text_for_other(world, imdi_officer, municipal_officer):
    proposal = _sent_to_bergen(imdi_officer)
    with pytest.raises(ValidationError, match="Ukjent avslagsgrunn"):
        lifecycle.do_decline_proposal(municipal_officer, proposal.pk, "dont_like_them", "")
    with pytest.raises(ValidationError, match="Annet"):
        lifecycle.do_decline_proposal(municipal_officer, proposal.pk, DeclineReason.OTHER, "  ")


def test_other_municipality_cannot_answer_bergens_proposal(
    world, imdi_officer, other_municipal_officer
):
    proposal = _sent_to_bergen(imdi_officer)
    with pytest.raises(PermissionDenied):
        lifecycle.do_accept_proposal(other_municipal_officer, proposal.pk)
    with pytest.raises(PermissionDenied):
        lifecycle.do_decline_proposal(
            other_municipal_officer, proposal.pk, DeclineReason.DECISION_FULL, ""
        )


def test_regional_officer_cannot_send_a_national_round(world, imdi_officer, imdi_regional_officer):
    rnd = _round(imdi_officer)
    with pytest.raises(PermissionDenied):
        lifecycle.do_send_round(imdi_regional_officer, rnd.pk)


def test_a_household_that_moved_on_is_withdrawn_not_sent(world, imdi_officer):
    rnd = _round(imdi_officer)
    first = rnd.proposals.first()
    Household.objects.filter(pk=first.household_id).update(status=CaseStatus.SETTLED)
    sent = lifecycle.do_send_round(imdi_officer, rnd.pk)
    first.refresh_from_db()
    assert first.status == Proposal.Status.WITHDRAWN
    assert sent == rnd.proposals.count() - 1


def test_demo_round_is_idempotent(world):
    first = services.do_demo_round()
    second = services.do_demo_round()
    assert first == second
    assert MatchingRound.objects.filter(label=services.DEMO_LABEL).count() == 1
    assert first["husholdninger foreslått"] > 0 and first["målverdi"] > 0


def test_imdi_withdraws_a_sent_proposal_and_the_household_keeps_its_place(
    world, imdi_officer, municipal_officer
):
    from bosetting.apps.lifecycle.services import do_transition

    proposal = _sent_to_bergen(imdi_officer)
    h = Household.objects.get(pk=proposal.household_id)
    permit = h.permit_date
    do_transition(imdi_officer, h, CaseStatus.READY, on=date(2015, 1, 8), note="Feil bolg")
    proposal.refresh_from_db()
    h.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    assert h.status == CaseStatus.READY and h.permit_date == permit and h.unit is None
    assert proposal not in proposals_for(municipal_officer).filter(status=Proposal.Status.SENT)
    with pytest.raises(PermissionDenied):
        do_transition(municipal_officer, h, CaseStatus.READY)


def test_a_shared_unit_takes_as_many_households_as_it_has_beds(
    settings, reference_db, imdi_officer
):
    use_immediate_tasks(settings)
    make_decision("1201", persons=10)
    shared = make_unit("1201", kind="shared", max_occupants=3, beds=3, zone="1201-x")
    singles = [make_household(ages=(25 + i,)) for i in range(4)]
    rnd = _round(imdi_officer)
    assert rnd.proposals.filter(unit=shared).count() == 3
    assert lifecycle.do_send_round(imdi_officer, rnd.pk) == 3
    assert Household.objects.filter(unit=shared, status=CaseStatus.PROPOSED).count() == 3
    # The fourth single adult finds no bed left in the next round.
    data = build_instance(AS_OF)
    assert shared.code not in {u["id"] for u in data["units"]}
    assert len(singles) == 4


def test_a_shared_unit_with_a_bed_left_stays_in_the_next_round(reference_db):
    make_decision("1201", persons=10)
    shared = make_unit("1201", kind="shared", max_occupants=3, beds=3)
    held = make_household(CaseStatus.PROPOSED, ages=(30,), municipality="1201")
    held.unit = shared
    held.save()
    do_book(None, shared, held, start=AS_OF, status=BookingStatus.RESERVED)
    unit = next(u for u in build_instance(AS_OF)["units"] if u["id"] == shared.code)
    assert unit["beds"] == 2


def test_a_single_expecting_family_is_proposed_a_flat_for_the_whole_family(
    settings, reference_db, imdi_officer, client
):
    """The issue's case: a single adult expecting a family of +2 (L1714–1717) is never proposed the
    flat for two; the proposal says why it got the bigger one."""
    use_immediate_tasks(settings)
    make_decision("1201", persons=5)
    small = make_unit("1201", max_occupants=2)
    big = make_unit("1201", max_occupants=4)
    single = make_household(ages=(27,), permit_date=date(2014, 6, 1))
    Household.objects.filter(pk=single.pk).update(
        expected_reunification_persons=2,
        expected_reunification_on=date(2015, 6, 1),
        expected_reunification_source="application",
    )
    data = build_instance(AS_OF)
    assert data["households"][0]["expected_additional_persons"] == 2
    rnd = _round(imdi_officer)
    proposal = rnd.proposals.get()
    assert proposal.unit_id == big.pk != small.pk
    assert "familiegjenforening" in proposal.explanation["text_nb"]
    client.force_login(imdi_officer)
    page = client.get(f"/utsoking/{rnd.pk}/").content.decode()
    assert 'data-testid="expected-family"' in page and "+2 ventet ved familiegjenforening" in page
