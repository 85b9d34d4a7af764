"""Writes of cases that are not steps of the lifecycle ("saksopplysninger").

Moving a case — registering a permit, proposing, accepting, settling, self-settlement, reunification
— belongs to ``bosetting.apps.lifecycle``, which owns the transition table. What is here changes a
case's record without moving it:

- ``do_set_checklist_item``: tick or untick one item of the preparation checklist. One item per call,
  under a lock on the checklist, so that two officers ticking different items at the same time both
  keep their ticks. The housing item (the flat) is a booking and goes through the lifecycle.

Every write checks permission here, so web and API cannot disagree (docs/permissions.md).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting.apps.audit.services import do_record, do_record_many, snapshot
from bosetting.apps.audit.versioning import VERSION_FIELDS, bump
from bosetting.apps.cases import transitions
from bosetting.apps.cases.choices import ChecklistItem
from bosetting.apps.cases.models import CaseChecklist, CaseEvent, Household, SelfSettlement
from bosetting.apps.cases.selectors import can_handle_as_imdi, is_receiving_municipality
from bosetting.engine.lifecycle import CHECKLIST_STATES

#: Checklist items ticked one by one (the housing unit is booked through the lifecycle).
TICK_ITEMS = tuple(i for i in ChecklistItem.values if i != ChecklistItem.HOUSING_UNIT)


def may_keep_checklist(user, household: Household) -> bool:
    """The receiving municipality and IMDi keep the checklist (the system too)."""
    return (
        user is None
        or is_receiving_municipality(user, household)
        or can_handle_as_imdi(user, household)
    )


@transaction.atomic
def do_set_checklist_item(user, household_id: int, item: str, done: bool) -> CaseChecklist:
    """Tick (``done=True``) or untick one item of the preparation checklist ("kryss av i
    sjekklisten"). Allowed for the receiving municipality and IMDi while the case is accepted or in
    preparation. Setting an item to the value it has already is a no-op (no audit entry).

    Raises:
        PermissionDenied: the user does not keep this case's checklist.
        ValidationError: unknown item.
        Conflict: the case is not accepted or in preparation.
    """
    if item not in TICK_ITEMS:
        raise ValidationError({"item": _("Ukjent punkt i sjekklisten: %(f)s") % {"f": item}})
    household = transitions.locked(household_id)
    if not may_keep_checklist(user, household):
        raise PermissionDenied(_("Du har ikke tilgang til sjekklisten for denne saken."))
    if household.status not in CHECKLIST_STATES:
        raise transitions.TransitionError(
            _(
                "Sjekklisten kan bare endres når saken er akseptert eller under forberedelse (nå: «%(s)s»)."
            )
            % {"s": transitions.status_label(household.status)}
        )
    transitions.checklist(household)
    checklist = CaseChecklist.objects.select_for_update(of=("self",)).get(household=household)
    if checklist.item_done(item) == bool(done):
        return checklist
    before = snapshot(checklist)
    is_user = user is not None and getattr(user, "is_authenticated", False)
    stamp = {
        "by": user.get_username() if is_user else "system",
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    setattr(checklist, item, bool(done))
    marks = dict(checklist.done or {})
    if done:
        marks[item] = stamp
    else:
        marks.pop(item, None)
    checklist.done = marks
    checklist.updated_by = user if is_user else None
    stamped = bump(checklist, user)
    checklist.save(update_fields=[item, "done", "updated_by", "updated_at", *stamped])
    do_record(user, "update", checklist, before, snapshot(checklist))
    return checklist


#: What anonymisation clears on a household (the figures — dates, persons' birth years and sex,
#: municipality, flat — stay, so that every KPI and table still counts the case).
ANONYMISED_FIELDS = (
    "reference",
    "health_note",
    "needs",
    "ties",
    "expected_reunification_persons",
    "expected_reunification_on",
    "expected_reunification_source",
)


@transaction.atomic
def do_anonymise_households(user, household_ids: list[int], on) -> int:
    """Remove the personal data of households whose retention period has run out ("anonymiser"):
    the case reference becomes ``ANON-<id>``; health notes, needs, ties and reunification plans,
    free-text notes on its events and self-settlements are emptied. Each household gets one audit
    entry naming the fields (never their values). Returns how many were anonymised."""
    households = list(
        Household.objects.select_for_update(of=("self",)).filter(
            pk__in=household_ids, anonymised_on__isnull=True
        )
    )
    for h in households:
        h.reference = f"ANON-{h.pk}"
        h.health_note = ""
        h.needs = []
        h.ties = []
        h.expected_reunification_persons = 0
        h.expected_reunification_on = None
        h.expected_reunification_source = ""
        h.anonymised_on = on
        bump(h, user)
    Household.objects.bulk_update(
        households, [*ANONYMISED_FIELDS, "anonymised_on", *VERSION_FIELDS], batch_size=500
    )
    ids = [h.pk for h in households]
    CaseEvent.objects.filter(household_id__in=ids).update(note="")
    SelfSettlement.objects.filter(household_id__in=ids).update(note="", decision_note="")
    do_record_many(
        user,
        "anonymise",
        [(h, None, {"anonymised_fields": list(ANONYMISED_FIELDS)}) for h in households],
        note=_("Oppbevaringstiden er ute"),
    )
    return len(households)
