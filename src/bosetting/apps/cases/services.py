"""Writes of cases: the settlement pipeline ("bosettingsprosessen").

Every transition is checked against ``TRANSITIONS``, timestamped as a ``CaseEvent`` and audited with
before/after. Permission is checked here, so web and API cannot disagree (docs/permissions.md):

- IMDi (national; regional within its scope) registers permits, notification, interview,
  settlement-readiness, moves cases back to the queue and decides self-settlements.
- The receiving municipality (its officers) makes the agreement, keeps the checklist, registers the
  settlement and follow-up, and submits self-settlements.
- Proposals, acceptance and declines go through ``bosetting.apps.matching.services``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.models import CaseChecklist, CaseEvent, Household, Person, SelfSettlement
from bosetting.apps.cases.selectors import (
    can_handle_as_imdi,
    case_today,
    is_receiving_municipality,
)

S = CaseStatus
# The legal moves of the pipeline. Backward moves return a case to the queue.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.PERMIT_GRANTED: (S.NOTIFIED,),
    S.NOTIFIED: (S.INTERVIEWED,),
    S.INTERVIEWED: (S.READY, S.SELF_SETTLEMENT_PENDING),
    S.READY: (S.PROPOSED, S.SELF_SETTLEMENT_PENDING),
    S.PROPOSED: (S.ACCEPTED, S.READY),
    S.ACCEPTED: (S.PREPARING, S.READY),
    S.PREPARING: (S.SETTLED, S.READY),
    S.SELF_SETTLEMENT_PENDING: (S.PREPARING, S.READY),
    S.SETTLED: (S.FOLLOW_UP,),
    S.FOLLOW_UP: (),
}
# Transitions that need their own service (they carry more than a date).
DEDICATED = {
    S.PROPOSED: "utsøkingsrunde (send forslag)",
    S.ACCEPTED: "aksept av forslaget",
    S.SELF_SETTLEMENT_PENDING: "melding om selvbosetting",
}
# The phase date each status stamps.
PHASE_FIELD = {
    S.NOTIFIED: "notified_on",
    S.INTERVIEWED: "interview_on",
    S.READY: "ready_on",
    S.PROPOSED: "proposed_on",
    S.ACCEPTED: "accepted_on",
    S.PREPARING: "agreement_on",
    S.SETTLED: "settled_on",
}
LEASE_YEARS = 3
# Cases that hold (reserve) their unit.
HOLDING_STATUSES = (S.PROPOSED, S.ACCEPTED, S.PREPARING, S.SELF_SETTLEMENT_PENDING)
CHECKLIST_LABELS = {
    "housing_unit": _l("Bolig tildelt"),
    "intro_programme": _l("Plass i introduksjonsprogram"),
    "school": _l("Skoleplass"),
    "kindergarten": _l("Barnehageplass"),
    "gp": _l("Fastlege"),
    "health_follow_up": _l("Helseoppfølging"),
}


class TransitionError(Exception):
    """An illegal move in the pipeline; the message (bokmål) names the current and requested status."""


def _label(status: str) -> str:
    try:
        return str(CaseStatus(status).label)
    except ValueError:
        return status


def _refuse(household: Household, to_status: str, why: str = "") -> TransitionError:
    message = _("Saken %(ref)s kan ikke gå fra «%(current)s» til «%(requested)s».") % {
        "ref": household.reference,
        "current": _label(household.status),
        "requested": _label(to_status),
    }
    if why:
        message += " " + why
    return TransitionError(message)


def _deny(message: str = "") -> PermissionDenied:
    return PermissionDenied(message or _("Du har ikke tilgang til å gjøre dette."))


def _is_system(user) -> bool:
    """``None`` stands for the system itself (imports, the demo); anonymous users are never trusted."""
    return user is None


def _move(
    user, household: Household, to_status: str, on: date, note: str = "", **changes
) -> Household:
    """Apply a checked transition: status, phase date, extra field changes, event and audit entry."""
    before = snapshot(household)
    from_status = household.status
    household.status = to_status
    field = PHASE_FIELD.get(to_status)
    if field:
        setattr(household, field, on)
    for key, value in changes.items():
        setattr(household, key, value)
    household.save()
    CaseEvent.objects.create(
        household=household,
        from_status=from_status,
        to_status=to_status,
        on=on,
        user=user if user is not None and user.is_authenticated else None,
        note=note,
    )
    do_record(user, "transition", household, before, snapshot(household), note=note)
    return household


def check_transition(household: Household, to_status: str) -> None:
    """Raise ``TransitionError`` unless ``to_status`` is a legal next step."""
    if to_status not in CaseStatus.values:
        raise TransitionError(_("Ukjent status: %(s)s") % {"s": to_status})
    if to_status not in TRANSITIONS.get(household.status, ()):
        raise _refuse(household, to_status)


def _may_move(user, household: Household, to_status: str) -> bool:
    if _is_system(user):
        return True
    if can_handle_as_imdi(user, household):
        return True
    # The receiving municipality drives the case after its acceptance.
    if is_receiving_municipality(user, household):
        return (household.status, to_status) in {
            (S.ACCEPTED, S.PREPARING),
            (S.PREPARING, S.SETTLED),
            (S.SETTLED, S.FOLLOW_UP),
        }
    return False


def _back_to_queue(user, household: Household, on: date, note: str) -> Household:
    """Return a case to the settlement-ready queue: its permit date (waiting time) stays intact."""
    from bosetting.apps.matching.models import Proposal

    pending = Proposal.objects.filter(
        household=household, status__in=[Proposal.Status.SENT, Proposal.Status.ACCEPTED]
    )
    for proposal in pending:
        before = snapshot(proposal)
        proposal.status = Proposal.Status.WITHDRAWN
        proposal.decided_on = on
        proposal.save()
        do_record(user, "withdraw", proposal, before, snapshot(proposal), note=note)
    # The original ready date is kept: the phase "settlement-ready -> matched" is timed from it.
    return _move(
        user,
        household,
        S.READY,
        on,
        note,
        ready_on=household.ready_on or on,
        municipality=None,
        unit=None,
        proposed_on=None,
        accepted_on=None,
        agreement_on=None,
        self_settled=False,
    )


@transaction.atomic
def do_transition(
    user, household: Household, to_status: str, on: date | None = None, note: str = ""
) -> Household:
    """Move a case one step in the pipeline ("endre status").

    Proposing, accepting and self-settlement have their own services; settling goes through
    ``do_settle`` (checklist gate). Moving back to ``ready`` withdraws pending proposals and keeps
    the permit date, so the household keeps its place by waiting time.

    Raises:
        TransitionError: illegal move (message names current and requested status).
        PermissionDenied: the user's role may not make this move on this case.
    """
    household = Household.objects.select_for_update().get(pk=household.pk)
    on = on or case_today()
    if not _may_move(user, household, to_status):
        raise _deny()
    check_transition(household, to_status)
    if to_status in DEDICATED:
        raise _refuse(household, to_status, _("Bruk %(what)s.") % {"what": DEDICATED[to_status]})
    if to_status == S.SETTLED:
        return do_settle(user, household, on)
    if to_status == S.READY and household.status != S.INTERVIEWED:
        if household.status == S.SELF_SETTLEMENT_PENDING:
            raise _refuse(household, to_status, _("Bruk avgjørelsen av selvbosettingen."))
        return _back_to_queue(user, household, on, note)
    if to_status == S.PREPARING and household.status == S.SELF_SETTLEMENT_PENDING:
        raise _refuse(household, to_status, _("Bruk avgjørelsen av selvbosettingen."))
    return _move(user, household, to_status, on, note)


def checklist_of(household: Household) -> CaseChecklist:
    checklist, _created = CaseChecklist.objects.get_or_create(
        household=household, defaults={"housing_unit_id": household.unit_id}
    )
    return checklist


def required_items(household: Household, on: date | None = None) -> list[str]:
    """The checklist items this household needs (documented in docs/pipeline.md).

    Always a unit and a GP; the introduction programme when anyone is 18–55; school for children 6–17;
    kindergarten for children 1–5; health follow-up when the case has a health need or note.
    """
    on = on or case_today()
    ages = [on.year - p.birth_year for p in household.persons.all()]
    items = ["housing_unit"]
    if any(18 <= a <= 55 for a in ages):
        items.append("intro_programme")
    if any(6 <= a <= 17 for a in ages):
        items.append("school")
    if any(1 <= a <= 5 for a in ages):
        items.append("kindergarten")
    items.append("gp")
    if (
        "health_high" in (household.needs or [])
        or "disability" in (household.needs or [])
        or (household.health_note)
    ):
        items.append("health_follow_up")
    return items


def missing_items(household: Household, on: date | None = None) -> list[str]:
    checklist = checklist_of(household)
    return [i for i in required_items(household, on) if not checklist.item_done(i)]


@transaction.atomic
def do_update_checklist(user, household: Household, **items) -> CaseChecklist:
    """Tick or untick items of the preparation checklist ("sjekkliste").

    Items: ``housing_unit_id`` (a unit of the household's municipality, or None), ``intro_programme``,
    ``school``, ``kindergarten``, ``gp``, ``health_follow_up`` (booleans). Allowed for the receiving
    municipality and IMDi once the case is accepted and until it is settled.
    """
    from bosetting.apps.housing.models import HousingUnit

    household = Household.objects.select_for_update().get(pk=household.pk)
    if not (
        _is_system(user)
        or is_receiving_municipality(user, household)
        or can_handle_as_imdi(user, household)
    ):
        raise _deny()
    if household.status not in (S.ACCEPTED, S.PREPARING):
        raise TransitionError(
            _(
                "Sjekklisten kan bare endres når saken er akseptert eller under forberedelse (nå: «%(s)s»)."
            )
            % {"s": _label(household.status)}
        )
    unknown = set(items) - {"housing_unit_id", *CaseChecklist.ITEMS[1:]}
    if unknown:
        raise ValidationError(
            _("Ukjent punkt i sjekklisten: %(f)s") % {"f": ", ".join(sorted(unknown))}
        )
    checklist = checklist_of(household)
    before = snapshot(checklist)
    username = user.get_username() if user is not None else "system"
    stamp = {"by": username, "at": timezone.now().isoformat(timespec="seconds")}
    done = dict(checklist.done or {})
    unit_changed = False
    for key, value in items.items():
        if key == "housing_unit_id":
            if value in ("", None):
                checklist.housing_unit = None
            else:
                unit = HousingUnit.objects.filter(pk=value).first()
                if unit is None or unit.municipality_id != household.municipality_id:
                    raise ValidationError(_("Boligen må høre til kommunen saken er akseptert i."))
                holders = (
                    Household.objects.filter(unit=unit, status__in=HOLDING_STATUSES)
                    .exclude(pk=household.pk)
                    .count()
                )
                room = max(unit.beds, 1) if unit.kind == "shared" else 1
                if holders >= room:
                    raise ValidationError(_("Boligen er allerede reservert for en annen sak."))
                checklist.housing_unit = unit
            unit_changed = True
            done["housing_unit"] = stamp if checklist.housing_unit_id else None
        else:
            setattr(checklist, key, bool(value))
            done[key] = stamp if value else None
    checklist.done = {k: v for k, v in done.items() if v}
    checklist.updated_by = user if user is not None and user.is_authenticated else None
    checklist.save()
    do_record(user, "update", checklist, before, snapshot(checklist))
    if unit_changed and household.unit_id != checklist.housing_unit_id:
        hb = snapshot(household)
        household.unit_id = checklist.housing_unit_id
        household.save(update_fields=["unit"])
        do_record(user, "update", household, hb, snapshot(household))
    return checklist


@transaction.atomic
def do_settle(user, household: Household, on: date) -> Household:
    """Register that the household is settled ("bosatt") on a date and give it a lease on its unit.

    Needs a complete checklist, except for approved self-settlement (the refugee found the home).
    Creates a ``housing.Lease`` of three years for the unit.
    """
    from bosetting.apps.housing.models import Lease

    household = Household.objects.select_for_update().get(pk=household.pk)
    if not _may_move(user, household, S.SETTLED):
        raise _deny()
    check_transition(household, S.SETTLED)
    if not household.self_settled:
        missing = missing_items(household, on)
        if missing:
            raise _refuse(
                household,
                S.SETTLED,
                _("Sjekklisten er ikke fullført: %(items)s.")
                % {"items": ", ".join(str(CHECKLIST_LABELS[m]) for m in missing)},
            )
    settled = _move(user, household, S.SETTLED, on)
    if settled.unit_id is not None:
        lease = Lease.objects.create(
            unit_id=settled.unit_id,
            household=settled,
            start=on,
            end=on.replace(year=on.year + LEASE_YEARS)
            if not (on.month == 2 and on.day == 29)
            else on + timedelta(days=365 * LEASE_YEARS),
            rent_nok=settled.unit.rent_nok,
        )
        do_record(user, "create", lease)
    return settled


@transaction.atomic
def do_submit_self_settlement(
    user,
    household: Household,
    municipality_number: str,
    lease_offer_deadline: date,
    rent_nok: int,
    note: str = "",
) -> SelfSettlement:
    """A municipality submits a private rental the refugee found itself ("selvbosetting").

    Only an officer of that municipality (or IMDi) may submit, for a household that is settlement-ready
    or interviewed. The case waits for IMDi's decision, which must come before the offer's deadline.
    """
    from bosetting.apps.geo.selectors import municipality as get_municipality

    household = Household.objects.select_for_update().get(pk=household.pk)
    scope = scope_for(user)
    allowed = (
        _is_system(user)
        or scope.role == Role.IMDI_NATIONAL
        or (
            scope.role in (Role.MUNICIPAL, Role.IMDI_REGIONAL) and scope.covers(municipality_number)
        )
    )
    if not allowed:
        raise _deny(_("Du kan bare melde selvbosetting i din egen kommune."))
    check_transition(household, S.SELF_SETTLEMENT_PENDING)
    today = case_today()
    if lease_offer_deadline < today:
        raise ValidationError(
            _("Fristen i leietilbudet (%(d)s) er allerede passert.") % {"d": lease_offer_deadline}
        )
    if rent_nok is None or int(rent_nok) <= 0:
        raise ValidationError(_("Husleien må være et positivt beløp i kroner."))
    muni = get_municipality(municipality_number)
    ss = SelfSettlement.objects.create(
        household=household,
        municipality=muni,
        lease_offer_deadline=lease_offer_deadline,
        rent_nok=int(rent_nok),
        note=note,
        previous_status=household.status,
        submitted_by=user if user is not None and user.is_authenticated else None,
    )
    do_record(user, "create", ss)
    _move(user, household, S.SELF_SETTLEMENT_PENDING, today, note, municipality=muni)
    return ss


@transaction.atomic
def do_decide_self_settlement(
    user, self_settlement_id: int, approve: bool, note: str = ""
) -> SelfSettlement:
    """IMDi approves or rejects a self-settlement ("godkjenne selvbosetting").

    Approval makes the settlement agreement (the household keeps its right to the introduction
    programme); rejection returns the household to where it was, with its waiting time intact.
    A decision after the lease offer's deadline is refused: the offer has lapsed.
    """
    ss = (
        SelfSettlement.objects.select_for_update(of=("self",))
        .select_related("household", "municipality")
        .get(pk=self_settlement_id)
    )
    household = ss.household
    scope = scope_for(user)
    allowed = (
        _is_system(user)
        or scope.role == Role.IMDI_NATIONAL
        or (scope.role == Role.IMDI_REGIONAL and scope.covers(ss.municipality.number))
    )
    if not allowed:
        raise _deny(_("Bare IMDi kan godkjenne eller avslå selvbosetting."))
    if ss.status != SelfSettlement.Status.PENDING:
        raise TransitionError(_("Selvbosettingen er allerede avgjort."))
    today = case_today()
    if approve and today > ss.lease_offer_deadline:
        raise TransitionError(
            _("Fristen i leietilbudet gikk ut %(d)s; selvbosettingen kan ikke godkjennes.")
            % {"d": ss.lease_offer_deadline}
        )
    before = snapshot(ss)
    ss.status = SelfSettlement.Status.APPROVED if approve else SelfSettlement.Status.REJECTED
    ss.decided_by = user if user is not None and user.is_authenticated else None
    ss.decided_at = timezone.now()
    ss.decision_note = note
    ss.save()
    do_record(user, "decide", ss, before, snapshot(ss), note=note)
    if approve:
        _move(user, household, S.PREPARING, today, note, self_settled=True)
    else:
        back = ss.previous_status or S.READY
        kept = {PHASE_FIELD[back]: getattr(household, PHASE_FIELD[back]) or today}
        _move(user, household, back, today, note, municipality=None, unit=None, **kept)
    return ss


@transaction.atomic
def do_register_reunification(
    user, household: Household, persons: int, expected_on: date
) -> Household:
    """Register expected family reunification ("familiegjenforening"): who is coming and when.

    It changes the housing need: the household will need room for ``size + persons``.
    """
    household = Household.objects.select_for_update().get(pk=household.pk)
    if not (
        _is_system(user)
        or can_handle_as_imdi(user, household)
        or (is_receiving_municipality(user, household))
    ):
        raise _deny()
    if persons < 0 or persons > 20:
        raise ValidationError(_("Antall personer må være mellom 0 og 20."))
    before = snapshot(household)
    household.expected_reunification_persons = persons
    household.expected_reunification_on = expected_on if persons else None
    household.save()
    do_record(user, "reunification", household, before, snapshot(household))
    return household


def _household_type(persons: list[dict], permit_date: date) -> str:
    ages = [permit_date.year - int(p["birth_year"]) for p in persons]
    if len(ages) == 1:
        return HouseholdType.UAM if ages[0] < 18 else HouseholdType.SINGLE
    if all(a < 18 for a in ages):
        return HouseholdType.UAM
    return (
        HouseholdType.FAMILY_CHILDREN
        if any(a < 18 for a in ages)
        else HouseholdType.FAMILY_NO_CHILDREN
    )


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
) -> Household:
    """Register a residence permit notified by the immigration authority ("vedtak om opphold").

    Idempotent on ``reference``: a second call with the same reference returns the existing household
    unchanged. ``persons`` are dicts with ``birth_year`` and ``sex`` (f/m/u); the first is the principal.
    """
    from bosetting.apps.geo.models import ReceptionCentre

    scope = scope_for(user)
    if not (_is_system(user) or scope.role in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL)):
        raise _deny(_("Bare IMDi kan registrere vedtak om opphold."))
    existing = Household.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    if not persons:
        raise ValidationError(_("En husholdning må ha minst én person."))
    allowed_needs = {"accessible", "health_high", "disability"}
    bad = [n for n in needs if n not in allowed_needs]
    if bad:
        raise ValidationError(_("Ukjent behov: %(n)s") % {"n": ", ".join(bad)})
    centre = None
    if reception_centre_name:
        centre = ReceptionCentre.objects.filter(name=reception_centre_name).first()
        if centre is None:
            raise ValidationError(_("Ukjent mottak: %(n)s") % {"n": reception_centre_name})
    household = Household.objects.create(
        reference=reference,
        household_type=_household_type(persons, permit_date),
        status=S.PERMIT_GRANTED,
        reception_centre=centre,
        case_opened=case_opened,
        permit_date=permit_date,
        needs=list(needs),
        ties=list(ties),
    )
    Person.objects.bulk_create(
        [
            Person(
                household=household,
                birth_year=int(p["birth_year"]),
                sex=p.get("sex", "u") or "u",
                is_principal=i == 0,
            )
            for i, p in enumerate(persons)
        ]
    )
    CaseEvent.objects.create(
        household=household,
        from_status="",
        to_status=S.PERMIT_GRANTED,
        on=permit_date,
        user=user if user is not None and user.is_authenticated else None,
    )
    do_record(user, "create", household)
    return household


# --- Steps driven by matching rounds (bosetting.apps.matching.services checks permission first) ---


def apply_proposed(user, household: Household, municipality, unit, on: date) -> Household:
    """Mark a settlement-ready household as proposed to a municipality and unit (a sent proposal)."""
    check_transition(household, S.PROPOSED)
    return _move(user, household, S.PROPOSED, on, municipality=municipality, unit=unit)


def record_many(user, action: str, rows, note: str = "") -> None:
    """Audit many changes in one insert: ``rows`` are ``(obj, before, after)`` snapshots; as
    ``audit.services.do_record``, only the changed fields are kept."""
    from bosetting.apps.audit.models import AuditEntry

    is_user = user is not None and getattr(user, "is_authenticated", False)
    entries = []
    for obj, before, after in rows:
        changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
        entries.append(
            AuditEntry(
                user=user if is_user else None,
                username=user.get_username() if is_user else "system",
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                before={k: before.get(k) for k in changed},
                after={k: after.get(k) for k in changed},
                note=note,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def apply_proposed_many(user, items, on: date) -> None:
    """Mark many settlement-ready households as proposed in bulk (sending a round).

    ``items`` are ``(household, municipality_id, unit_id)``; events and audit entries as ``_move``.
    """
    changed, events, audits = [], [], []
    actor = user if user is not None and user.is_authenticated else None
    for household, municipality_id, unit_id in items:
        check_transition(household, S.PROPOSED)
        before = snapshot(household)
        from_status = household.status
        household.status = S.PROPOSED
        household.proposed_on = on
        household.municipality_id = municipality_id
        household.unit_id = unit_id
        changed.append(household)
        events.append(
            CaseEvent(
                household=household,
                from_status=from_status,
                to_status=S.PROPOSED,
                on=on,
                user=actor,
            )
        )
        audits.append((household, before, snapshot(household)))
    Household.objects.bulk_update(
        changed, ["status", "proposed_on", "municipality", "unit"], batch_size=500
    )
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    record_many(user, "transition", audits)


def apply_accepted(user, household: Household, unit, on: date) -> Household:
    """Mark a proposed household as accepted by its municipality; the unit is reserved for it."""
    check_transition(household, S.ACCEPTED)
    moved = _move(user, household, S.ACCEPTED, on, unit=unit)
    checklist = checklist_of(moved)
    if unit is not None and checklist.housing_unit_id != unit.pk:
        before = snapshot(checklist)
        checklist.housing_unit = unit
        checklist.done = {
            **(checklist.done or {}),
            "housing_unit": {
                "by": user.get_username() if user is not None else "system",
                "at": timezone.now().isoformat(timespec="seconds"),
            },
        }
        checklist.save()
        do_record(user, "update", checklist, before, snapshot(checklist))
    return moved


def apply_returned(user, household: Household, on: date, note: str) -> Household:
    """Return a proposed household to the queue after a decline; waiting time (permit date) intact."""
    check_transition(household, S.READY)
    return _move(
        user,
        household,
        S.READY,
        on,
        note,
        ready_on=household.ready_on or on,
        municipality=None,
        unit=None,
        proposed_on=None,
    )
