"""The settlement lifecycle ("bosettingsforløpet"): every move of a case goes through here.

One owner, one table. Each service below finds its step in the transition table
(``bosetting.engine.lifecycle``), checks who may take it (:func:`actors_of`), carries out the step's
effects through the owning apps' services — housing books and releases flats, matching records its
proposals — and stores the move with ``cases.transitions``. The web pages, the API, the command line,
the imports and the demo builder all call these services; nothing else moves a case.

All writes run in one transaction each: a step either happens with all its effects or not at all.
Refusals: ``PermissionDenied`` (the user's role may not take this step on this case),
``TransitionError`` (a ``Conflict``: the case's state does not allow it, message names both),
``ValidationError`` (bad input, naming the field).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bosetting import clock
from bosetting.apps.accounts.choices import IMDI_ROLES, Role
from bosetting.apps.accounts.selectors import scope_for, settlement_powers
from bosetting.apps.audit.services import do_redact_entries
from bosetting.apps.cases import transitions as store
from bosetting.apps.cases.choices import (
    FIRST_PERMIT_DATE,
    MAX_HOUSEHOLD_PERSONS,
    CaseStatus,
    Need,
    ReunificationSource,
    SelfSettlementStatus,
)
from bosetting.apps.cases.selectors import (
    can_handle_as_imdi,
    closed_before,
    household_sizes,
    is_receiving_municipality,
    missing_items,
)
from bosetting.apps.cases.services import (
    check_household,
    do_anonymise_households,
    may_keep_checklist,
)
from bosetting.apps.finance.services import do_delete_economies
from bosetting.apps.geo.selectors import municipality as get_municipality
from bosetting.apps.geo.selectors import reception_centre_named
from bosetting.apps.housing import services as housing
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.selectors import reservation_of, unit_of
from bosetting.apps.letters.choices import LetterKind
from bosetting.apps.letters.services import do_make_letter
from bosetting.apps.lifecycle.letters import agreement_letter
from bosetting.apps.matching import services as matching
from bosetting.apps.matching.choices import DeclineReason, RoundStatus
from bosetting.apps.matching.selectors import may_send_round
from bosetting.engine.lifecycle import (
    CHECKLIST_STATES,
    DEDICATED_EVENTS,
    Actor,
    CaseState,
    Effect,
    Event,
    IllegalTransition,
    Transition,
    events_from,
    transition,
)
from bosetting.engine.rules.kpi.periods import add_months
from bosetting.engine.rules.targets import lease_end
from bosetting.errors import Conflict
from bosetting.reference.structure import structure_year_for

TransitionError = store.TransitionError

#: Where to take the steps that need more than a date (their own form or service).
DEDICATED_HINTS = {
    Event.PROPOSE: gettext_lazy("Forslag sendes fra en utsøkingsrunde (send forslag)."),
    Event.ACCEPT: gettext_lazy("Bruk svaret på forslaget (aksepter)."),
    Event.DECLINE: gettext_lazy("Bruk svaret på forslaget (avslå med begrunnelse)."),
    Event.SUBMIT_SELF_SETTLEMENT: gettext_lazy("Bruk meldingen om selvbosetting."),
    Event.APPROVE_SELF_SETTLEMENT: gettext_lazy("Bruk avgjørelsen av selvbosettingen."),
    Event.REJECT_SELF_SETTLEMENT: gettext_lazy("Bruk avgjørelsen av selvbosettingen."),
    Event.REGISTER_PERMIT: gettext_lazy("Registrer vedtaket om opphold."),
    Event.EXPECT_REUNIFICATION: gettext_lazy("Bruk skjemaet for familiegjenforening."),
    Event.REUNIFICATION_ARRIVED: gettext_lazy("Bruk skjemaet for familiegjenforening."),
}

#: Reunification: persons a household may expect or receive in one registration.
MAX_REUNIFICATION_PERSONS = 20


# --- who may take a step ---------------------------------------------------------------------------


def actors_of(user, household) -> frozenset[Actor]:
    """The roles of the table the user acts in for this case (``None`` is the system itself)."""
    if user is None:
        return frozenset({Actor.SYSTEM})
    actors = set()
    if can_handle_as_imdi(user, household):
        actors.add(Actor.IMDI)
    if is_receiving_municipality(user, household):
        actors.add(Actor.RECEIVING)
    return frozenset(actors)


def _local_actor(user, municipality_number: str) -> frozenset[Actor]:
    """Actors for a step about a municipality (a self-found home there)."""
    if user is None:
        return frozenset({Actor.SYSTEM})
    if settlement_powers(user).acts_in(municipality_number):
        return frozenset({Actor.IMDI})
    scope = scope_for(user)
    if scope.role == Role.MUNICIPAL and scope.covers(municipality_number):
        return frozenset({Actor.LOCAL})
    return frozenset()


def may_decide_self_settlement(user, self_settlement) -> bool:
    """Whether ``user`` may approve or reject a self-settlement: the settlement authority of the
    municipality where the home lies (IMDi, or the county governor in a running pilot county)."""
    return bool(_local_actor(user, self_settlement.municipality.number) - {Actor.LOCAL})


def _step(
    user,
    household,
    event: Event,
    target: CaseState | None = None,
    actors: frozenset[Actor] | None = None,
) -> Transition:
    """The table's row for ``event`` from the case's state, if the user may take it.

    Raises:
        TransitionError: the table has no such step from the case's state.
        PermissionDenied: the user acts in none of the roles the step allows.
    """
    try:
        t = transition(household.status, event, target)
    except IllegalTransition:
        raise store.refusal(household, None, label=store.step_label(event)) from None
    if not ((actors if actors is not None else actors_of(user, household)) & t.actors):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette i denne saken."))
    return t


def _may_act(user, household) -> None:
    """Refuse a user who acts in no role of the table for this case (before saying what the case's
    state would allow: a stranger learns nothing about it)."""
    if not actors_of(user, household):
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette i denne saken."))


def allowed_moves(user, household) -> list[Transition]:
    """The plain steps (a date and a note) the user may take on this case now, in table order —
    the buttons of the case page. Steps with their own form (proposals, self-settlement,
    reunification) are left out."""
    actors = actors_of(user, household)
    return [
        t
        for t in events_from(household.status)
        if t.moves and t.event not in DEDICATED_EVENTS and actors & t.actors
    ]


def _today(on: date | None) -> date:
    return on or clock.today()


def _stamp(user) -> dict[str, str]:
    is_user = user is not None and getattr(user, "is_authenticated", False)
    return {
        "by": user.get_username() if is_user else "system",
        "at": timezone.now().isoformat(timespec="seconds"),
    }


def _id(obj_or_id) -> int:
    return obj_or_id if isinstance(obj_or_id, int) else obj_or_id.pk


# --- a new case ------------------------------------------------------------------------------------


@transaction.atomic
def do_register_permit(
    user,
    *,
    reference: str,
    permit_date: date,
    case_opened: date | None,
    persons: list[dict],
    reception_centre_name: str | None = None,
    needs=(),
    ties=(),
    health_note: str = "",
):
    """Register a residence permit notified by the immigration authority ("vedtak om opphold"): the
    case begins (the table's first step).

    Idempotent on ``reference``: a second call with the same reference returns the existing household
    unchanged. ``persons`` are dicts with ``birth_year`` and ``sex`` (f/m/u); the first is the principal.
    ``health_note`` is sensitive: shown only as ``cases.selectors.can_see_health_note`` allows.

    Raises:
        ValidationError: naming the field: a permit dated after the business date or before 1990, no
            persons or more than ``MAX_HOUSEHOLD_PERSONS``, a birth year before 1900 or after the
            permit, an unknown need or reception centre.
    """
    t = transition(None, Event.REGISTER_PERMIT)
    if user is not None and scope_for(user).role not in IMDI_ROLES:
        raise PermissionDenied(_("Bare IMDi kan registrere vedtak om opphold."))
    existing = store.by_reference(reference)
    if existing is not None:
        return existing
    _check_permit(permit_date, persons)
    bad = [n for n in needs if n not in Need.values]
    if bad:
        raise ValidationError({"needs": _("Ukjent behov: %(n)s") % {"n": ", ".join(bad)}})
    centre = None
    if reception_centre_name:
        centre = reception_centre_named(reception_centre_name)
        if centre is None:
            raise ValidationError(
                {"reception_centre": _("Ukjent mottak: %(n)s") % {"n": reception_centre_name}}
            )
    return store.create(
        user,
        t,
        persons=persons,
        reference=reference,
        household_type=store.household_type_of([p["birth_year"] for p in persons], permit_date),
        reception_centre=centre,
        case_opened=case_opened,
        permit_date=permit_date,
        needs=list(needs),
        ties=[str(x) for x in ties],
        health_note=(health_note or "").strip(),
    )


def _check_permit(permit_date: date, persons: list[dict]) -> None:
    """The permit's date and household within bounds (the API, the imports and the forms alike)."""
    today = clock.today()
    if permit_date > today:
        raise ValidationError(
            {
                "permit_date": _("Vedtaksdatoen kan ikke være etter dagens dato (%(d)s).")
                % {"d": today}
            }
        )
    if permit_date < FIRST_PERMIT_DATE:
        raise ValidationError(
            {"permit_date": _("Vedtaksdatoen kan ikke være før %(d)s.") % {"d": FIRST_PERMIT_DATE}}
        )
    if not persons:
        raise ValidationError({"persons": _("En husholdning må ha minst én person.")})
    if len(persons) > MAX_HOUSEHOLD_PERSONS:
        raise ValidationError(
            {
                "persons": _("En husholdning kan ha høyst %(n)s personer (fikk %(m)s).")
                % {"n": MAX_HOUSEHOLD_PERSONS, "m": len(persons)}
            }
        )
    for person in persons:
        if not 1900 <= person["birth_year"] <= permit_date.year:
            raise ValidationError(
                {"persons": _("Fødselsåret %(y)s er ikke mulig.") % {"y": person["birth_year"]}}
            )


#: The steps a household may already have taken when it is registered, in the table's order, with the
#: field of the registration that dates each.
EARLY_STEPS = (
    (Event.NOTIFY, "notified_on"),
    (Event.INTERVIEW, "interview_on"),
    (Event.MARK_READY, "ready_on"),
)


@transaction.atomic
def do_register_household(
    user,
    *,
    reference: str,
    permit_date: date,
    persons: list[dict],
    case_opened: date | None = None,
    reception_centre_name: str | None = None,
    needs=(),
    ties=(),
    health_note: str = "",
    notified_on: date | None = None,
    interview_on: date | None = None,
    ready_on: date | None = None,
):
    """Register a household from its residence permit ("registrer husholdning") — the web form and
    the API. Unlike :func:`do_register_permit` (idempotent, for imports), a reference that exists is
    refused. The steps already taken (permit notified, settlement interview held, settlement-ready)
    may be given with their days; each is then taken through the table in order, so a household
    registered as settlement-ready is in the queue and in the next matching round.

    Raises:
        PermissionDenied: not IMDi.
        Conflict: the reference exists already.
        ValidationError: naming the field (and a person's row): the record's rules
            (``cases.services.check_household``), a day after today or before the permit, a step
            without the step before it.
    """
    if user is not None and scope_for(user).role not in IMDI_ROLES:
        raise PermissionDenied(_("Bare IMDi kan registrere vedtak om opphold."))
    today = clock.today()
    errors = {}
    if permit_date > today:
        errors["permit_date"] = _("Vedtaksdatoen kan ikke være etter dagens dato (%(d)s).") % {
            "d": today
        }
    if case_opened is not None and case_opened > permit_date:
        errors["case_opened"] = _("Saken kan ikke være opprettet etter vedtaket om opphold.")
    given = {"notified_on": notified_on, "interview_on": interview_on, "ready_on": ready_on}
    previous, previous_field = permit_date, None
    for _event, name in EARLY_STEPS:
        on = given[name]
        if on is None:
            previous_field = previous_field or name
            continue
        if previous_field is not None and given[previous_field] is None:
            errors[name] = _("Oppgi datoen for steget før dette.")
        elif not previous <= on <= today:
            errors[name] = _("Datoen må ligge mellom %(a)s og %(b)s.") % {"a": previous, "b": today}
        previous = on
    if errors:
        raise ValidationError(errors)
    check_household(
        on=permit_date,
        persons=persons,
        needs=needs,
        ties=ties,
        health_note=health_note,
        reference=reference,
    )
    if store.by_reference(reference) is not None:
        raise Conflict(_("Saksreferansen %(r)s finnes allerede.") % {"r": reference})
    household = do_register_permit(
        user,
        reference=reference,
        permit_date=permit_date,
        case_opened=case_opened,
        persons=persons,
        reception_centre_name=reception_centre_name,
        needs=needs,
        ties=ties,
        health_note=health_note,
    )
    for event, name in EARLY_STEPS:
        if given[name] is not None:
            household = do_event(user, household, event, on=given[name])
    return household


# --- plain steps -----------------------------------------------------------------------------------


@transaction.atomic
def do_event(
    user,
    household,
    event: Event | str,
    *,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
):
    """Take one plain step of the table (notified, interviewed, ready, agreement, settled, back to the
    queue, follow-up). Steps with their own service are refused with the service to use."""
    household = store.locked(_id(household))
    _may_act(user, household)
    event = Event(event)
    on = _today(on)
    if event in DEDICATED_EVENTS:
        raise store.refusal(
            household, None, str(DEDICATED_HINTS[event]), label=store.step_label(event)
        )
    if event == Event.SETTLE:
        return _settle(user, household, on, note, expected_version)
    t = _step(user, household, event)
    if event == Event.WITHDRAW:
        return _back_to_queue(user, household, t, on, note, expected_version=expected_version)
    return store.apply(user, household, t, on, note, expected_version=expected_version)


@transaction.atomic
def do_transition(
    user,
    household,
    to_status: str,
    on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
):
    """Move a case to ``to_status`` by the one plain step of the table that leads there ("endre
    status"). Proposing, answering proposals, self-settlement and reunification have their own
    services; moving back to ``ready`` withdraws open proposals and releases the flat, keeping the
    permit date, so the household keeps its place by waiting time.

    Raises:
        TransitionError: no plain step leads from the case's status to ``to_status``.
        PermissionDenied: the user's role may not take that step on this case.
    """
    household = store.locked(_id(household))
    _may_act(user, household)
    if to_status not in CaseStatus.values:
        raise TransitionError(_("Ukjent status: %(s)s") % {"s": to_status})
    rows = [t for t in events_from(household.status) if t.target == to_status and t.moves]
    plain = [t for t in rows if t.event not in DEDICATED_EVENTS]
    if not plain:
        if rows:
            raise store.refusal(household, rows[0], str(DEDICATED_HINTS[rows[0].event]))
        raise store.refusal(household, None, label=store.status_label(to_status))
    return do_event(
        user, household, plain[0].event, on=on, note=note, expected_version=expected_version
    )


def _back_to_queue(user, household, t: Transition, on: date, note: str, *, expected_version=None):
    """Return a case to the settlement-ready queue with its waiting time (permit date) intact, doing
    what the table's row says: open proposals withdrawn, the flat released, the placement and the
    checklist cleared."""
    if Effect.WITHDRAW_PROPOSALS in t.effects:
        matching.withdraw_open(user, household.pk, note)
    if Effect.RELEASE_UNIT in t.effects:
        housing.do_release(user, household, note=note)
    cleared = {}
    if Effect.CLEAR_PLACEMENT in t.effects:
        store.clear_checklist(user, household)
        cleared = {
            "municipality": None,
            "unit": None,
            "proposed_on": None,
            "accepted_on": None,
            "agreement_on": None,
            "self_settled": False,
        }
    return store.apply(
        user,
        household,
        t,
        on,
        note,
        expected_version=expected_version,
        ready_on=household.ready_on or on,
        **cleared,
    )


def _settle(user, household, on: date, note: str, expected_version=None):
    """Register the household as settled ("bosatt") and give it the lease of its flat."""
    t = _step(user, household, Event.SETTLE)
    if Effect.CHECKLIST_COMPLETE in t.effects and not household.self_settled:
        missing = missing_items(household, on)
        if missing:
            raise store.refusal(
                household,
                t,
                _("Sjekklisten er ikke fullført: %(items)s.")
                % {"items": ", ".join(store.checklist_label(m) for m in missing)},
            )
    unit_id = household.unit_id
    if unit_id is None and household.self_settled:
        unit_id = _self_found_unit(user, household)
    if unit_id is not None and Effect.BOOK_LEASE in t.effects:
        housing.do_book(
            user,
            unit_id,
            household,
            start=on,
            end=lease_end(on),
            status=BookingStatus.CONTRACT,
            note=_("Bosatt"),
        )
    return store.apply(
        user, household, t, on, note, expected_version=expected_version, unit_id=unit_id
    )


def _self_found_unit(user, household) -> int | None:
    """The self-found private home of an approved self-settlement, registered in the housing stock."""
    ss = store.approved_self_settlement(household)
    if ss is None:
        return None
    unit = housing.do_register_self_found_home(
        user,
        ss.municipality,
        code=f"selv-{household.reference}",
        persons=household.persons.count(),
        rent_nok=ss.rent_nok,
    )
    return unit.pk


@transaction.atomic
def do_settle(user, household, on: date | None = None, note: str = ""):
    """Register that the household is settled on a day; the flat's reservation becomes its lease
    (three years). Needs a complete checklist, except after an approved self-settlement."""
    household = store.locked(_id(household))
    return _settle(user, household, _today(on), note)


# --- matching rounds and proposals ----------------------------------------------------------------


@transaction.atomic
def do_send_round(user, round_id: int) -> int:
    """Send a finished round's draft proposals to the municipalities ("send forslag").

    Each household still settlement-ready is proposed to its municipality and its flat is reserved
    for it; a draft whose household has moved on, or whose flat has been booked meanwhile, is
    withdrawn. Returns the number of proposals sent.
    """
    rnd = matching.locked_round(round_id)
    if not may_send_round(user, rnd):
        raise PermissionDenied(_("Du kan ikke sende forslag fra denne runden."))
    if rnd.status != RoundStatus.DONE:
        raise ValidationError(
            _("Runden kan bare sendes når den er ferdig (nå: «%(s)s»).")
            % {"s": rnd.get_status_display()}
        )
    on = clock.today()
    t = transition(CaseState.READY, Event.PROPOSE)
    hold = Effect.HOLD_UNIT in t.effects
    drafts = matching.drafts_of(rnd)
    households = store.locked_many([p.household_id for p in drafts])
    ready = [p for p in drafts if households[p.household_id].status == CaseStatus.READY]
    booked = housing.do_book_many(
        user,
        [
            housing.BookingRequest(
                p.unit_id,
                households[p.household_id],
                max(on, p.unit.available_from or on),
            )
            for p in ready
            if p.unit_id is not None and hold
        ],
        skip_taken=True,
        note=_("Forslag sendt (runde %(r)s)") % {"r": rnd.pk},
    )
    held = {row.household_id for row in booked}
    sent = [p for p in ready if p.unit_id is None or not hold or p.household_id in held]
    sent_ids = {p.pk for p in sent}
    store.apply_many(
        user,
        t,
        on,
        [
            (
                households[p.household_id],
                {"municipality_id": p.municipality_id, "unit_id": p.unit_id},
            )
            for p in sent
        ],
    )
    matching.mark_sent(user, rnd, sent, [p for p in drafts if p.pk not in sent_ids], on)
    return len(sent)


@transaction.atomic
def do_accept_proposal(user, proposal_id: int):
    """The municipality accepts a proposal ("aksepterer"): the household is accepted and its flat
    stays reserved for it (reserved now if the hold was lost)."""
    proposal = matching.locked_sent_proposal(user, proposal_id)
    household = store.locked(proposal.household_id)
    t = _step(user, household, Event.ACCEPT, actors=actors_of(user, household) | _answering(user))
    on = clock.today()
    reserve = Effect.RESERVE_UNIT in t.effects and proposal.unit_id is not None
    if reserve and reservation_of(household.pk, proposal.unit_id) is None:
        _reserve(user, unit_of(proposal.unit_id), household, on, _("Forslaget er akseptert"))
    matching.mark_answered(user, proposal, accepted=True, on=on)
    store.apply(user, household, t, on, unit_id=proposal.unit_id)
    store.set_checklist_unit(user, household, proposal.unit_id, _stamp(user))
    return proposal


def _reserve(user, unit, household, on: date, note: str) -> None:
    """Reserve the flat for the household from today, or from the day it becomes free."""
    housing.do_book(
        user,
        unit,
        household,
        start=max(on, unit.available_from or on),
        status=BookingStatus.RESERVED,
        note=note,
    )


def _answering(user) -> frozenset[Actor]:
    """Whoever may answer a proposal (checked by matching) answers as the receiving municipality."""
    return frozenset({Actor.RECEIVING}) if user is not None else frozenset()


@transaction.atomic
def do_decline_proposal(user, proposal_id: int, reason: str, text: str):
    """The municipality declines a proposal ("avslår") with a reason and free text.

    Municipalities may not choose individuals, so every decline is recorded and reported per
    municipality. The household goes back to the queue with its waiting time intact.
    """
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Ukjent avslagsgrunn: %(r)s") % {"r": reason}})
    text = (text or "").strip()
    if reason == DeclineReason.OTHER and not text:
        raise ValidationError({"text": _("Skriv en begrunnelse når grunnen er «Annet».")})
    proposal = matching.locked_sent_proposal(user, proposal_id)
    household = store.locked(proposal.household_id)
    t = _step(user, household, Event.DECLINE, actors=actors_of(user, household) | _answering(user))
    on = clock.today()
    matching.mark_answered(user, proposal, accepted=False, on=on, reason=reason, text=text)
    note = _("Avslått av %(m)s: %(r)s") % {
        "m": proposal.municipality.name,
        "r": DeclineReason(reason).label,
    } + (f" – {text}" if text else "")
    _back_to_queue(user, household, t, on, note)
    return proposal


# --- the preparation checklist's flat ---------------------------------------------------------------


@transaction.atomic
def do_choose_unit(user, household, unit_id: int | None):
    """Choose (or clear) the flat on the preparation checklist ("bolig tildelt"): the previous
    reservation is released and the new flat reserved for the household — refused if anyone else has
    booked it. The flat must lie in the municipality the case is accepted in."""
    household = store.locked(_id(household))
    if not may_keep_checklist(user, household):
        raise PermissionDenied(_("Du har ikke tilgang til sjekklisten for denne saken."))
    if household.status not in CHECKLIST_STATES:
        raise TransitionError(
            _(
                "Sjekklisten kan bare endres når saken er akseptert eller under forberedelse (nå: «%(s)s»)."
            )
            % {"s": store.status_label(household.status)}
        )
    unit_id = int(unit_id) if unit_id not in (None, "") else None
    if unit_id == household.unit_id:
        return household
    unit = unit_of(unit_id)
    if unit_id is not None and (unit is None or unit.municipality_id != household.municipality_id):
        raise ValidationError(
            {"housing_unit_id": _("Boligen må høre til kommunen saken er akseptert i.")}
        )
    housing.do_release(user, household, note=_("Ny bolig valgt i sjekklisten"))
    if unit is not None:
        _reserve(user, unit, household, clock.today(), _("Valgt i sjekklisten"))
    store.set_checklist_unit(user, household, unit_id, _stamp(user))
    return store.update_fields(user, household, "update", unit_id=unit_id)


# --- self-settlement -------------------------------------------------------------------------------


@transaction.atomic
def do_submit_self_settlement(
    user,
    household,
    municipality_number: str,
    lease_offer_deadline: date,
    rent_nok: int,
    note: str = "",
):
    """A municipality reports a private rental the refugee found itself ("selvbosetting").

    Only an officer of that municipality (or IMDi) may report it, for a household that is
    interviewed or settlement-ready. IMDi must decide before the landlord's offer lapses.
    """
    household = store.locked(_id(household))
    actors = _local_actor(user, municipality_number)
    if not actors:
        raise PermissionDenied(_("Du kan bare melde selvbosetting i din egen kommune."))
    t = _step(user, household, Event.SUBMIT_SELF_SETTLEMENT, actors=actors)
    today = clock.today()
    if lease_offer_deadline < today:
        raise ValidationError(
            {
                "deadline": _("Fristen i leietilbudet (%(d)s) er allerede passert.")
                % {"d": lease_offer_deadline}
            }
        )
    if rent_nok is None or int(rent_nok) <= 0:
        raise ValidationError({"rent_nok": _("Husleien må være et positivt beløp i kroner.")})
    muni = get_municipality(municipality_number, structure_year_for(today.year))
    ss = store.create_self_settlement(
        user,
        household,
        municipality=muni,
        lease_offer_deadline=lease_offer_deadline,
        rent_nok=int(rent_nok),
        note=note,
        previous_status=household.status,
    )
    store.apply(user, household, t, today, note, municipality=muni)
    return ss


@transaction.atomic
def do_decide_self_settlement(user, self_settlement_id: int, approve: bool, note: str = ""):
    """IMDi approves or rejects a self-settlement ("godkjenne selvbosetting").

    Approval makes the settlement agreement (the household keeps its right to the introduction
    programme); rejection returns the household to where it was, with its waiting time intact.
    An approval after the lease offer's deadline is refused: the offer has lapsed.
    """
    ss = store.locked_self_settlement(self_settlement_id)
    household = store.locked(ss.household_id)
    actors = _local_actor(user, ss.municipality.number) - {Actor.LOCAL}
    if not actors:
        raise PermissionDenied(
            _(
                "Bare bosettingsmyndigheten (IMDi, eller fylkesmannen i et forsøksfylke) kan godkjenne eller avslå selvbosetting her."
            )
        )
    if ss.status != SelfSettlementStatus.PENDING:
        raise TransitionError(_("Selvbosettingen er allerede avgjort."))
    today = clock.today()
    if approve:
        t = _step(user, household, Event.APPROVE_SELF_SETTLEMENT, actors=actors)
        if Effect.OFFER_OPEN in t.effects and today > ss.lease_offer_deadline:
            raise store.refusal(
                household,
                t,
                _("Fristen i leietilbudet gikk ut %(d)s.") % {"d": ss.lease_offer_deadline},
            )
        store.decide_self_settlement(user, ss, SelfSettlementStatus.APPROVED, note, timezone.now())
        store.apply(user, household, t, today, note, self_settled=True)
        return ss
    back = CaseState(ss.previous_status or CaseState.READY)
    t = _step(user, household, Event.REJECT_SELF_SETTLEMENT, target=back, actors=actors)
    store.decide_self_settlement(user, ss, SelfSettlementStatus.REJECTED, note, timezone.now())
    field_name = store.PHASE_FIELD[back]
    kept = {field_name: getattr(household, field_name) or today}
    store.apply(user, household, t, today, note, municipality=None, unit=None, **kept)
    return ss


# --- family reunification ----------------------------------------------------------------------------


@transaction.atomic
def do_register_reunification(
    user, household, persons: int, expected_on: date | None, source: str = ""
):
    """Register expected family reunification ("familiegjenforening"): how many are coming, when,
    and where the expectation comes from (the refugee's own statement or a reunification
    application, ``cases.choices.ReunificationSource``).

    It changes the housing need: the household will need room for ``size + persons``. The matching
    fits flats to that size and the housing gap counts it; the decision capacity counts only those
    who have arrived. ``persons`` 0 clears the expectation.
    """
    household = store.locked(_id(household))
    t = _step(user, household, Event.EXPECT_REUNIFICATION)
    if not 0 <= int(persons) <= MAX_REUNIFICATION_PERSONS:
        raise ValidationError(
            {
                "persons": _("Antall personer må være mellom 0 og %(n)s.")
                % {"n": MAX_REUNIFICATION_PERSONS}
            }
        )
    persons = int(persons)
    if persons and source not in ReunificationSource.values:
        raise ValidationError(
            {
                "source": _(
                    "Oppgi kilden: flyktningens egne opplysninger eller en søknad om familiegjenforening."
                )
            }
        )
    return store.apply(
        user,
        household,
        t,
        clock.today(),
        action="reunification",
        expected_reunification_persons=persons,
        expected_reunification_on=expected_on if persons else None,
        expected_reunification_source=source if persons else "",
    )


@dataclass
class Arrival:
    """What registering arrived family members did, and whether the home is now too small."""

    household: Any
    added: int
    size: int
    max_occupants: int | None = None
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def do_register_reunification_arrival(user, household, persons: list[dict], on: date | None = None):
    """Family members have arrived and joined a settled household ("familiegjenforente ankommet").

    They are added with ``arrived_by_reunification``; the expected count goes down accordingly. When
    the household's home is now too small, the arrival is still registered (the family is here) and
    the result says so, for the municipality to act on.
    """
    household = store.locked(_id(household))
    t = _step(user, household, Event.REUNIFICATION_ARRIVED)
    if not persons or len(persons) > MAX_REUNIFICATION_PERSONS:
        raise ValidationError(
            {"persons": _("Oppgi mellom 1 og %(n)s personer.") % {"n": MAX_REUNIFICATION_PERSONS}}
        )
    for i, p in enumerate(persons):
        year = p.get("birth_year")
        if not isinstance(year, int) or not 1900 <= year <= _today(on).year:
            raise ValidationError(
                {f"persons.{i}.birth_year": _("Ugyldig fødselsår: %(y)s") % {"y": year}}
            )
    store.add_persons(user, household, persons, note=_("Familiegjenforening"))
    expected = max(household.expected_reunification_persons - len(persons), 0)
    store.apply(
        user,
        household,
        t,
        _today(on),
        action="reunification",
        expected_reunification_persons=expected,
        expected_reunification_on=household.expected_reunification_on if expected else None,
        expected_reunification_source=household.expected_reunification_source if expected else "",
    )
    size = household.persons.count()
    unit = unit_of(household.unit_id)
    arrival = Arrival(household, len(persons), size, unit.max_occupants if unit else None)
    if unit is not None and size > unit.max_occupants:
        arrival.warnings.append(
            _("Boligen %(u)s tar høyst %(m)s personer; familien er nå %(n)s.")
            % {"u": unit.code, "m": unit.max_occupants, "n": size}
        )
    return arrival


# --- the settlement agreement as a letter -------------------------------------------------------------


@transaction.atomic
def do_make_agreement_letter(user, household_id: int):
    """Make the settlement agreement for a household as PDF ("avtale om bosetting") from the case as
    it stands, and archive it on the case (``letters``). For IMDi handling the case and the
    municipality the household is agreed with, once the agreement is made.

    Raises:
        PermissionDenied: the user acts in no role of the case.
        TransitionError: no agreement has been made (the case is not in preparation or later).
    """
    household = store.locked(household_id)
    if not actors_of(user, household) & {Actor.IMDI, Actor.RECEIVING, Actor.SYSTEM}:
        raise PermissionDenied(_("Du har ikke tilgang til å gjøre dette i denne saken."))
    if household.agreement_on is None or household.municipality_id is None:
        raise TransitionError(
            _("Saken %(ref)s har ingen avtale om bosetting ennå (status «%(s)s»).")
            % {"ref": household.reference, "s": store.status_label(household.status)}
        )
    title, context, office = agreement_letter(household)
    return do_make_letter(
        user,
        kind=LetterKind.AGREEMENT,
        obj=household,
        title=title,
        municipality=household.municipality,
        office=office,
        context=context,
    )


# --- cases with their history (the demo builder, imports of past cases) ------------------------------


@dataclass
class CaseHistory:
    """A case to store with its whole history so far: the household's fields, its persons and the
    events it has gone through, each with its day. The events must form a path of the table from the
    first step; the phase dates follow from them."""

    fields: dict[str, Any]
    persons: list[dict]
    events: list[tuple[Event, date]]


def path_of(
    events: list[tuple[Event, date]],
) -> tuple[CaseState, dict[str, date], list[tuple[Transition, date]]]:
    """Walk ``events`` through the table: the final state, the phase dates they stamp and the
    transitions taken. Raises ``IllegalTransition`` at the first step the table does not allow."""
    state: CaseState | None = None
    stamps: dict[str, date] = {}
    taken = []
    for event, on in events:
        t = transition(state, event)
        if t.stamps:
            stamps[t.stamps] = on
        taken.append((t, on))
        state = t.target
    if state is None:
        raise IllegalTransition(None, "none")
    return state, stamps, taken


@transaction.atomic
def do_import_histories(user, histories: list[CaseHistory]) -> list:
    """Store many cases with their histories in bulk; every history is walked through the table
    first (the demo builder's synthetic households go through here). Returns the households."""
    if user is not None and scope_for(user).role != Role.IMDI_NATIONAL:
        raise PermissionDenied(_("Bare IMDi nasjonalt kan importere saker med historikk."))
    walked = []
    for index, history in enumerate(histories):
        try:
            walked.append(path_of(history.events))
        except IllegalTransition as exc:
            raise ValidationError(
                {f"histories.{index}.events": _("Ugyldig forløp: %(e)s") % {"e": exc}}
            ) from None
    return store.create_many(user, histories, walked)


# --- retention: the end of a case's personal data -------------------------------------------------


@dataclass
class RetentionReport:
    """What a retention run anonymised (or, in a dry run, would anonymise)."""

    settled_before: date
    dry_run: bool
    households: int = 0
    persons: int = 0
    proposals: int = 0
    economies: int = 0
    audit_entries: int = 0
    references: list[str] = field(default_factory=list)


@transaction.atomic
def do_apply_retention(user, *, years: int | None = None, dry_run: bool = False) -> RetentionReport:
    """Anonymise the personal data of cases settled more than ``years`` years ago
    (``BOSETTING_RETENTION_YEARS``, default 5) ("sletting etter oppbevaringstid").

    Each app clears its own tables: the household's reference, health note, needs, ties and
    reunification plans and free-text notes (cases), decline texts and explanations (matching),
    career notes (housing), economic facts (finance), and the values of those fields in the change
    log (audit). Dates, persons' birth years and sex, municipalities and flats stay, so the KPIs and
    the report's tables count the cases as before. A dry run changes nothing and says what would go.
    Only IMDi national (or the system) may run it; every anonymised case gets an audit entry."""
    if user is not None and scope_for(user).role != Role.IMDI_NATIONAL:
        raise PermissionDenied(_("Bare IMDi nasjonalt kan kjøre sletting etter oppbevaringstid."))
    years = settings.BOSETTING_RETENTION_YEARS if years is None else years
    if years < 1:
        raise ValidationError({"years": _("Oppbevaringstiden må være minst ett år.")})
    today = clock.today()
    cutoff = add_months(today, -12 * years)
    due = closed_before(cutoff)
    ids = list(due.values_list("pk", flat=True))
    report = RetentionReport(cutoff, dry_run, households=len(ids))
    report.references = list(due.order_by("settled_on").values_list("reference", flat=True)[:20])
    report.persons = sum(household_sizes(ids).values())
    if dry_run or not ids:
        return report
    report.households = do_anonymise_households(user, ids, today)
    report.proposals = matching.do_anonymise_proposals(ids)
    housing.do_anonymise_careers(ids)
    report.economies = do_delete_economies(ids)
    report.audit_entries = do_redact_entries("cases.household", ids)
    return report
