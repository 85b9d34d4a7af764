"""Writes of cases that are not steps of the lifecycle ("saksopplysninger").

Moving a case — registering a permit, proposing, accepting, settling, self-settlement, reunification
— belongs to ``bosetting.apps.lifecycle``, which owns the transition table. What is here changes a
case's record without moving it:

- ``do_set_preferences``: the refugee's wishes (up to five municipalities) and country group from the
  settlement interview, used by the matching score (matching-v2.md).
- ``do_set_checklist_item``: tick or untick one item of the preparation checklist. One item per call,
  under a lock on the checklist, so that two officers ticking different items at the same time both
  keep their ticks. The housing item (the flat) is a booking and goes through the lifecycle.
- ``do_correct_household``: correct what was registered from the permit (members, needs, ties, the
  health note, the reception centre, the permit's dates) — versioned, audited with before and after.
  ``check_household`` holds the rules a household's record must keep, for registering and
  correcting alike.

Every write checks permission here, so web and API cannot disagree (docs/permissions.md).
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.audit.services import do_record, do_record_many, snapshot
from bosetting.apps.audit.versioning import VERSION_FIELDS, bump, check_version
from bosetting.apps.cases import transitions
from bosetting.apps.cases.choices import CaseStatus, ChecklistItem, Need, Sex
from bosetting.apps.cases.models import CaseChecklist, CaseEvent, Household, Person, SelfSettlement
from bosetting.apps.cases.selectors import (
    can_handle_as_imdi,
    can_see_health_note,
    is_receiving_municipality,
)
from bosetting.apps.geo.selectors import municipality_or_none, reception_centre_named
from bosetting.engine.lifecycle import CHECKLIST_STATES, OPEN_STATES
from bosetting.reference.structure import STRUCTURE_2024

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
    "preferences",
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
        h.preferences = []
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


# --- the household's record: registering and correcting it -------------------------------------------

#: The most persons one household may have (a typing slip of 40 is refused, not planned for).
MAX_PERSONS = 30
#: The longest health note (a note, not a medical record).
MAX_HEALTH_NOTE = 2000
#: A case reference: letters, digits and - _ / . (the permits' own references).
REFERENCE = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_./-]{0,19}")
_MUNICIPALITY_NUMBER = re.compile(r"[0-9]{4}")


def check_household(
    *,
    on: date,
    persons: list[dict] | None = None,
    needs=None,
    ties=None,
    health_note: str | None = None,
    reference: str | None = None,
) -> None:
    """The rules a household's record keeps, when it is registered and when it is corrected; what is
    ``None`` is not checked. ``persons`` are dicts with ``birth_year`` and ``sex`` (f/m/u); ``on`` is
    the permit's date (nobody is born after it).

    Raises:
        ValidationError: naming the field, and for a person its row (``persons.2.birth_year``).
    """
    errors: dict[str, str] = {}
    if reference is not None and not REFERENCE.fullmatch(reference):
        errors["reference"] = _(
            "Saksreferansen må være 1–20 tegn: bokstaver, tall og - _ / . (fikk «%(r)s»)."
        ) % {"r": reference[:40]}
    if persons is not None:
        if not persons:
            errors["persons"] = _("En husholdning må ha minst én person.")
        elif len(persons) > MAX_PERSONS:
            errors["persons"] = _("En husholdning kan ha høyst %(n)s personer (fikk %(m)s).") % {
                "n": MAX_PERSONS,
                "m": len(persons),
            }
        for i, person in enumerate(persons):
            year = person.get("birth_year")
            if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= on.year:
                errors[f"persons.{i}.birth_year"] = _(
                    "Fødselsåret må være mellom 1900 og %(y)s (fikk %(v)s)."
                ) % {"y": on.year, "v": year}
            if (person.get("sex") or Sex.UNKNOWN) not in Sex.values:
                errors[f"persons.{i}.sex"] = _("Ukjent kjønn: %(s)s") % {"s": person.get("sex")}
    if needs is not None:
        bad = [n for n in needs if n not in Need.values]
        if bad:
            errors["needs"] = _("Ukjent behov: %(n)s") % {"n": ", ".join(map(str, bad))}
    if ties is not None:
        bad = [t for t in ties if not _MUNICIPALITY_NUMBER.fullmatch(str(t))]
        if bad:
            errors["ties"] = _("Tilknytning oppgis som kommunenummer med fire sifre: %(t)s") % {
                "t": ", ".join(map(str, bad))
            }
    if health_note is not None and len(health_note) > MAX_HEALTH_NOTE:
        errors["health_note"] = _("Helseopplysningene kan være høyst %(n)s tegn.") % {
            "n": MAX_HEALTH_NOTE
        }
    if errors:
        raise ValidationError(errors)


def _persons_summary(household: Household) -> list[str]:
    """The members as the audit log shows them: birth year and sex, principal first."""
    return [f"{p.birth_year} {p.sex}" for p in household.persons.all()]


@transaction.atomic
def do_correct_household(
    user,
    household_id: int,
    *,
    expected_version: int | None,
    persons: list[dict] | None = None,
    needs=None,
    ties=None,
    health_note: str | None = None,
    reception_centre_name: str | None = None,
    permit_date: date | None = None,
    case_opened: date | None = None,
    note: str = "",
) -> Household:
    """Correct a household's record ("rett saksopplysninger"): what is ``None`` stays as it is. IMDi
    handling the case corrects it (the system too). The members can be corrected only before the
    household is proposed to a municipality (later arrivals are family reunification); the health
    note only by someone who may read it. Audited with before and after (the members as
    ``persons``); refused if the case changed since ``expected_version`` was read.

    Raises:
        PermissionDenied: the user does not handle this case as IMDi, or may not read its health note.
        ConcurrentEdit: someone changed the case after the user read it.
        TransitionError: the members are corrected after the household was proposed.
        ValidationError: naming the field (and the person's row).
    """
    household = transitions.locked(household_id)
    if user is not None and not can_handle_as_imdi(user, household):
        raise PermissionDenied(_("Bare IMDi kan rette opplysningene i denne saken."))
    check_version(household, expected_version)
    if (
        health_note is not None
        and health_note != household.health_note
        and user is not None
        and not can_see_health_note(user, household)
    ):
        raise PermissionDenied(_("Du har ikke tilgang til helseopplysningene i denne saken."))
    if persons is not None and household.status not in OPEN_STATES:
        raise transitions.TransitionError(
            _(
                "Personene i saken %(ref)s kan bare rettes før husholdningen er foreslått for en "
                "kommune (nå: «%(s)s»). Familiemedlemmer som kommer senere, registreres som "
                "familiegjenforening."
            )
            % {"ref": household.reference, "s": transitions.status_label(household.status)}
        )
    permit = permit_date or household.permit_date or clock.today()
    if permit > clock.today():
        raise ValidationError({"permit_date": _("Vedtaksdatoen kan ikke være etter dagens dato.")})
    if case_opened is not None and case_opened > permit:
        raise ValidationError(
            {"case_opened": _("Saken kan ikke være opprettet etter vedtaket om opphold.")}
        )
    check_household(on=permit, persons=persons, needs=needs, ties=ties, health_note=health_note)
    changes: dict = {}
    if reception_centre_name is not None:
        centre = reception_centre_named(reception_centre_name) if reception_centre_name else None
        if reception_centre_name and centre is None:
            raise ValidationError(
                {"reception_centre": _("Ukjent mottak: %(n)s") % {"n": reception_centre_name}}
            )
        changes["reception_centre"] = centre
    for name, value in (
        ("needs", list(needs) if needs is not None else None),
        ("ties", [str(t) for t in ties] if ties is not None else None),
        ("health_note", health_note.strip() if health_note is not None else None),
        ("permit_date", permit_date),
        ("case_opened", case_opened),
    ):
        if value is not None:
            changes[name] = value
    before = {**snapshot(household), "persons": _persons_summary(household)}
    if persons is not None:
        household.persons.all().delete()
        Person.objects.bulk_create(
            [
                Person(
                    household=household,
                    birth_year=p["birth_year"],
                    sex=p.get("sex") or Sex.UNKNOWN,
                    is_principal=i == 0,
                    arrived_by_reunification=bool(p.get("arrived_by_reunification", False)),
                )
                for i, p in enumerate(persons)
            ]
        )
    for name, value in changes.items():
        setattr(household, name, value)
    birth_years = [p.birth_year for p in household.persons.all()]
    if birth_years and household.permit_date:
        household.household_type = transitions.household_type_of(birth_years, household.permit_date)
    after = {**snapshot(household), "persons": _persons_summary(household)}
    if after == before:
        return household
    bump(household, user)
    household.save()
    do_record(user, "correct", household, before, after, note=note)
    return household


# --- the refugee's wishes ---------------------------------------------------------------------------

MAX_PREFERENCES = 5
#: Wishes can be recorded from the permit until the case is proposed.
PREFERENCE_STATES = (
    CaseStatus.PERMIT_GRANTED,
    CaseStatus.NOTIFIED,
    CaseStatus.INTERVIEWED,
    CaseStatus.READY,
)


@transaction.atomic
def do_set_preferences(
    user, household_id: int, preferences: list[str], country_group: str | None = None
) -> Household:
    """Record the refugee's wishes from the settlement interview ("registrer ønsker fra
    bosettingssamtalen"): up to five municipality numbers, most wanted first, and — when given — the
    country-of-origin group. IMDi handling the case only, before it is proposed. Audited (the old
    and new wishes); the case's version is bumped. The matching score uses them (matching-v2.md).

    Raises:
        PermissionDenied: the user does not handle this case for IMDi.
        ValidationError: more than five wishes, a repeated or unknown municipality number.
        Conflict: the case is past the point where wishes change anything.
    """
    household = transitions.locked(household_id)
    if user is not None and not can_handle_as_imdi(user, household):
        raise PermissionDenied(_("Bare IMDi kan registrere ønsker fra bosettingssamtalen."))
    if household.status not in PREFERENCE_STATES:
        raise transitions.TransitionError(
            _("Ønsker kan bare registreres før saken er foreslått (status «%(s)s»).")
            % {"s": household.get_status_display()}
        )
    wishes = [str(p).strip() for p in preferences if str(p).strip()]
    if len(wishes) > MAX_PREFERENCES:
        raise ValidationError({"preferences": _("Høyst %(n)s ønsker.") % {"n": MAX_PREFERENCES}})
    if len(set(wishes)) != len(wishes):
        raise ValidationError({"preferences": _("Samme kommune er ført opp to ganger.")})
    for number in wishes:
        known = municipality_or_none(number) or municipality_or_none(number, STRUCTURE_2024)
        if known is None:
            raise ValidationError({"preferences": _("Ukjent kommunenummer: %(n)s") % {"n": number}})
    group = household.country_group if country_group is None else country_group.strip()[:40]
    if wishes == list(household.preferences or []) and group == household.country_group:
        return household
    before = snapshot(household)
    household.preferences = wishes
    household.country_group = group
    bump(household, user)
    household.save(update_fields=["preferences", "country_group", *VERSION_FIELDS])
    do_record(user, "update", household, before, snapshot(household), note="bosettingssamtale")
    return household
