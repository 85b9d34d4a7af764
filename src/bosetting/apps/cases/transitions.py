"""Storing a case's transitions ("lagre en overgang"): the write side of the lifecycle.

Only ``bosetting.apps.lifecycle`` may import this module (an import-linter contract says so): the
lifecycle's services decide *whether* a transition may happen — the table in
``bosetting.engine.lifecycle``, permissions, guards, effects on housing and matching — and then call
these functions to write the case, its event and its audit entry. The functions here check the table
once more, so that not even the lifecycle can store an illegal move.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from bosetting.apps.audit.services import do_record, do_record_many, snapshot
from bosetting.apps.audit.versioning import VERSION_FIELDS, bump, check_version
from bosetting.apps.cases.choices import (
    CaseStatus,
    ChecklistItem,
    HouseholdType,
    SelfSettlementStatus,
    Sex,
    Step,
)
from bosetting.apps.cases.models import (
    CaseChecklist,
    CaseEvent,
    Household,
    Person,
    SelfSettlement,
)
from bosetting.engine.lifecycle import TRANSITIONS, IllegalTransition, Transition
from bosetting.engine.lifecycle import transition as table_transition
from bosetting.errors import Conflict


class TransitionError(Conflict):
    """An illegal move in the pipeline; the message (bokmål) names the current and requested step."""


def status_label(status: str | None) -> str:
    """The bokmål label of a status (the value itself when unknown)."""
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status or ""


def step_label(event: str) -> str:
    """The bokmål label of a lifecycle event."""
    try:
        return str(Step(event).label)
    except ValueError:
        return str(event)


def refusal(
    household: Household, t: Transition | None, why: str = "", *, label: str = ""
) -> TransitionError:
    """A ``TransitionError`` naming the case, its status and the step asked for."""
    message = _("Saken %(ref)s kan ikke få steget «%(step)s» nå: den har status «%(current)s».") % {
        "ref": household.reference,
        "step": step_label(t.event) if t is not None else label,
        "current": status_label(household.status),
    }
    return TransitionError(message + (" " + why if why else ""))


#: The phase-date field each status stamps (from the table).
PHASE_FIELD: dict[str, str] = {
    t.target: t.stamps for t in TRANSITIONS if t.stamps is not None and t.source is not None
} | {CaseStatus.PERMIT_GRANTED: "permit_date"}


def checklist_label(item: str) -> str:
    """The bokmål label of a checklist item."""
    return str(ChecklistItem(item).label)


def locked(household_id: int) -> Household:
    """The household, locked for the rest of the transaction."""
    return Household.objects.select_for_update(of=("self",)).get(pk=household_id)


def locked_many(household_ids: list[int]) -> dict[int, Household]:
    """Many households, locked (in id order, so that two senders cannot deadlock)."""
    rows = Household.objects.select_for_update(of=("self",)).filter(pk__in=household_ids)
    return {h.pk: h for h in rows.order_by("pk")}


def by_reference(reference: str) -> Household | None:
    """The household with this case reference (no scope: the caller has checked permission)."""
    return Household.objects.filter(reference=reference).first()


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _checked(household: Household, t: Transition) -> None:
    try:
        table_transition(household.status, t.event, t.target)
    except IllegalTransition:
        raise refusal(household, t) from None


def _move(
    user, household: Household, t: Transition, on: date, note: str, changes: dict[str, Any]
) -> CaseEvent:
    """Set the new status, the phase date it stamps and other changes on ``household`` (unsaved),
    bump its version, and return its unsaved ``CaseEvent``."""
    from_status = household.status
    household.status = t.target.value
    if t.stamps:
        setattr(household, t.stamps, on)
    for key, value in changes.items():
        setattr(household, key, value)
    bump(household, user)
    return CaseEvent(
        household=household,
        from_status=from_status,
        to_status=household.status,
        event=t.event.value,
        on=on,
        user=_actor(user),
        note=note,
    )


def apply(
    user,
    household: Household,
    t: Transition,
    on: date,
    note: str = "",
    *,
    expected_version: int | None = None,
    action: str = "transition",
    **changes: Any,
) -> Household:
    """Store one transition: status, the phase date it stamps, other field changes, a ``CaseEvent``
    and an audit entry with before/after. The caller holds the lock (:func:`locked`)."""
    _checked(household, t)
    check_version(household, expected_version)
    before = snapshot(household)
    event = _move(user, household, t, on, note, changes)
    household.save()
    event.save()
    do_record(user, action, household, before, snapshot(household), note=note)
    return household


def apply_many(
    user, t: Transition, on: date, items: list[tuple[Household, dict[str, Any]]], note: str = ""
) -> None:
    """Store the same transition for many households in bulk (sending a round); ``items`` are
    ``(household, changes)``. Every household is checked against the table first."""
    for household, _changes in items:
        _checked(household, t)
    events, audits, fields = [], [], {"status", *VERSION_FIELDS}
    for household, changes in items:
        before = snapshot(household)
        events.append(_move(user, household, t, on, note, changes))
        fields.update(changes)
        if t.stamps:
            fields.add(t.stamps)
        audits.append((household, before, snapshot(household)))
    Household.objects.bulk_update([h for h, _c in items], sorted(fields), batch_size=500)
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    do_record_many(user, "transition", audits, note=note)


def household_type_of(birth_years: list[int], permit_date: date) -> str:
    """The household's type from its members' ages on the permit date."""
    ages = [permit_date.year - int(y) for y in birth_years]
    if all(a < 18 for a in ages):
        return HouseholdType.UAM
    if len(ages) == 1:
        return HouseholdType.SINGLE
    if any(a < 18 for a in ages):
        return HouseholdType.FAMILY_CHILDREN
    return HouseholdType.FAMILY_NO_CHILDREN


def create(user, t: Transition, *, persons: list[dict], **fields: Any) -> Household:
    """Store a new case (the table's first transition): the household, its persons (dicts with
    ``birth_year`` and ``sex``; the first is the principal), its first event and audit entry."""
    if t.source is not None:
        raise TransitionError(_("Bare den første overgangen kan opprette en sak."))
    household = Household(status=t.target.value, **fields)
    bump(household, user)
    household.save()
    Person.objects.bulk_create(
        [
            Person(
                household=household,
                birth_year=int(p["birth_year"]),
                sex=p.get("sex") or Sex.UNKNOWN,
                is_principal=i == 0,
                arrived_by_reunification=bool(p.get("arrived_by_reunification", False)),
            )
            for i, p in enumerate(persons)
        ]
    )
    CaseEvent.objects.create(
        household=household,
        from_status="",
        to_status=household.status,
        event=t.event.value,
        on=getattr(household, t.stamps) if t.stamps else household.created_at.date(),
        user=_actor(user),
    )
    do_record(user, "create", household)
    return household


def add_persons(user, household: Household, persons: list[dict], note: str = "") -> list[Person]:
    """Add members to a household (family reunification); audited."""
    made = Person.objects.bulk_create(
        [
            Person(
                household=household,
                birth_year=int(p["birth_year"]),
                sex=p.get("sex") or Sex.UNKNOWN,
                arrived_by_reunification=True,
            )
            for p in persons
        ]
    )
    do_record_many(user, "create", [(p, None, None) for p in made], note=note)
    return made


def update_fields(
    user, household: Household, action: str, note: str = "", **changes: Any
) -> Household:
    """Change fields of a case without moving it (a self-loop of the table); audited."""
    before = snapshot(household)
    for key, value in changes.items():
        setattr(household, key, value)
    bump(household, user)
    household.save()
    do_record(user, action, household, before, snapshot(household), note=note)
    return household


def checklist(household: Household) -> CaseChecklist:
    """The household's checklist, created (with its current unit) on first use."""
    checklist, _created = CaseChecklist.objects.get_or_create(
        household=household, defaults={"housing_unit_id": household.unit_id}
    )
    return checklist


def set_checklist_unit(user, household: Household, unit_id: int | None, stamp: dict | None) -> None:
    """Store the checklist's chosen unit (the lifecycle has booked or released it)."""
    item = checklist(household)
    before = snapshot(item)
    item.housing_unit_id = unit_id
    done = dict(item.done or {})
    done["housing_unit"] = stamp if unit_id else None
    item.done = {k: v for k, v in done.items() if v}
    item.updated_by = _actor(user)
    bump(item, user)
    item.save()
    do_record(user, "update", item, before, snapshot(item))


def clear_checklist(user, household: Household) -> None:
    """Reset the preparation checklist (the case went back to the queue); audited."""
    item = CaseChecklist.objects.filter(household=household).first()
    if item is None or (not item.done and item.housing_unit_id is None):
        return
    before = snapshot(item)
    item.housing_unit_id = None
    for name in ChecklistItem.values:
        if name != ChecklistItem.HOUSING_UNIT:
            setattr(item, name, False)
    item.done = {}
    bump(item, user)
    item.save()
    do_record(user, "update", item, before, snapshot(item), note=_("Tilbake i køen"))


def approved_self_settlement(household: Household) -> SelfSettlement | None:
    """The household's approved self-settlement, if any (the newest)."""
    return (
        SelfSettlement.objects.filter(household=household, status=SelfSettlementStatus.APPROVED)
        .select_related("municipality")
        .order_by("-decided_at", "-pk")
        .first()
    )


def create_self_settlement(user, household: Household, **fields: Any) -> SelfSettlement:
    """Store a submitted self-settlement."""
    ss = SelfSettlement.objects.create(household=household, submitted_by=_actor(user), **fields)
    do_record(user, "create", ss)
    return ss


def locked_self_settlement(pk: int) -> SelfSettlement:
    """A self-settlement with its household and municipality, locked."""
    return (
        SelfSettlement.objects.select_for_update(of=("self",))
        .select_related("household", "municipality")
        .get(pk=pk)
    )


def decide_self_settlement(
    user, ss: SelfSettlement, status: str, note: str, when
) -> SelfSettlement:
    """Store IMDi's decision on a self-settlement."""
    before = snapshot(ss)
    ss.status = status
    ss.decided_by = _actor(user)
    ss.decided_at = when
    ss.decision_note = note
    ss.save()
    do_record(user, "decide", ss, before, snapshot(ss), note=note)
    return ss


def create_many(user, histories, walked) -> list[Household]:
    """Store many new cases with their histories in bulk: ``histories`` carry each household's fields
    and persons, ``walked`` the final state, the phase dates and the transitions of its path through
    the table (see ``lifecycle.services.path_of``)."""
    households = []
    for history, (state, stamps, _taken) in zip(histories, walked, strict=True):
        household = Household(status=state.value, **{**history.fields, **stamps})
        bump(household, user)
        households.append(household)
    Household.objects.bulk_create(households, batch_size=2000)
    persons, events = [], []
    actor = _actor(user)
    for household, history, (_state, _stamps, taken) in zip(
        households, histories, walked, strict=True
    ):
        for i, p in enumerate(history.persons):
            persons.append(
                Person(
                    household=household,
                    birth_year=int(p["birth_year"]),
                    sex=p.get("sex") or Sex.UNKNOWN,
                    is_principal=i == 0,
                )
            )
        previous = ""
        for t, on in taken:
            events.append(
                CaseEvent(
                    household=household,
                    from_status=previous,
                    to_status=t.target.value,
                    event=t.event.value,
                    on=on,
                    user=actor,
                    note="import",
                )
            )
            previous = t.target.value
    Person.objects.bulk_create(persons, batch_size=5000)
    CaseEvent.objects.bulk_create(events, batch_size=5000)
    do_record_many(user, "create", [(h, None, None) for h in households], note="import")
    return households
