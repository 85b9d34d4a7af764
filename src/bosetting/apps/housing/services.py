"""Writes of housing data: units, leases, lease outcomes and housing-career steps.

Every write checks permission (``selectors.may_write_housing``), runs ``full_clean()`` so that the
model's rules apply (the same ones the import and the API meet), and is recorded in the audit log.
Refusals raise ``PermissionDenied``; invalid data raises ``ValidationError`` naming the field.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import (
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import transaction
from django.db.models import CheckConstraint, F, Q
from django.utils.translation import gettext as _

from bosetting.apps.audit.services import do_record, do_record_many, snapshot
from bosetting.apps.audit.versioning import VERSION_FIELDS, bump, check_version
from bosetting.apps.cases.selectors import household_sizes
from bosetting.apps.housing.choices import (
    TENURE_FOR_KIND,
    BookingStatus,
    LeaseOutcome,
    Tenure,
    UnitKind,
)
from bosetting.apps.housing.models import HousingCareerStep, HousingUnit, Lease
from bosetting.apps.housing.selectors import may_book, may_write_housing
from bosetting.engine.rules.targets import lease_end

UNIT_FIELDS = (
    "code",
    "kind",
    "bedrooms",
    "max_occupants",
    "beds",
    "zone",
    "accessible",
    "available_from",
    "rent_nok",
    "flag_damp_mould",
    "flag_unsuitable_children",
    "flag_heavy_environment",
)

#: The career step an outcome leads to (None: the household leaves the municipality's view).
OUTCOME_TENURE = {
    LeaseOutcome.MOVED_PRIVATE_RENTAL: Tenure.PRIVATE_RENTAL,
    LeaseOutcome.BOUGHT_START_LOAN: Tenure.OWNED,
    LeaseOutcome.BOUGHT_OTHER: Tenure.OWNED,
    LeaseOutcome.LEASE_TO_OWN: Tenure.LEASE_TO_OWN,
    LeaseOutcome.MOVED_MUNICIPAL: Tenure.MUNICIPAL_RENTAL,
}


def _refuse(message: str) -> None:
    raise PermissionDenied(message)


@transaction.atomic
def do_create_unit(user, municipality, **fields: Any) -> HousingUnit:
    """Create a unit in ``municipality``; only municipal officers there and IMDi national may."""
    if not may_write_housing(user, municipality.number):
        _refuse("Du kan ikke registrere boliger i denne kommunen.")
    unknown = set(fields) - set(UNIT_FIELDS) - {"synthetic"}
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    unit = HousingUnit(municipality=municipality, **fields)
    unit.full_clean()
    bump(unit, user)
    unit.save()
    do_record(user, "create", unit)
    return unit


@transaction.atomic
def do_update_unit(
    user, unit: HousingUnit, *, expected_version: int | None = None, **changes: Any
) -> HousingUnit:
    """Change fields of a unit (not its municipality).

    ``expected_version`` is the version the user read; a unit changed since is refused
    (``ConcurrentEdit``) rather than overwritten."""
    if not may_write_housing(user, unit.municipality.number):
        _refuse(_("Du kan ikke endre boliger i denne kommunen."))
    unit = _lock_unit(unit.pk)
    check_version(unit, expected_version)
    before = snapshot(unit)
    for name, value in changes.items():
        if name not in UNIT_FIELDS:
            raise ValidationError({name: "Feltet kan ikke endres her."})
        setattr(unit, name, value)
    unit.full_clean()
    bump(unit, user)
    unit.save()
    do_record(user, "update", unit, before, snapshot(unit))
    return unit


@transaction.atomic
def do_register_self_found_home(
    user, municipality, *, code: str, persons: int, rent_nok: int | None
) -> HousingUnit:
    """Register a private rental a refugee found itself (an approved self-settlement) in the housing
    stock, so that its lease is booked like any other ("selvfunnet bolig"). Idempotent on ``code``."""
    existing = HousingUnit.objects.filter(code=code).first()
    if existing is not None:
        return existing
    if not may_book(user, municipality.number):
        _refuse(_("Du kan ikke registrere boliger i denne kommunen."))
    unit = HousingUnit(
        municipality=municipality,
        code=code,
        kind=UnitKind.PRIVATE_SELF,
        bedrooms=max(1, math.ceil(persons / 2)),
        max_occupants=max(persons, 1),
        beds=1,
        zone=municipality.number,
        rent_nok=rent_nok,
    )
    unit.full_clean()
    bump(unit, user)
    unit.save()
    do_record(user, "create", unit, note=_("Selvfunnet bolig (godkjent selvbosetting)"))
    return unit


@transaction.atomic
def do_bulk_create_units(user, units: list[dict]) -> list[HousingUnit]:
    """Create many units at once (the demo builder, a large import): dicts of the unit fields with
    ``municipality`` an instance. Every row is validated as one made by hand; a code that exists
    already is refused naming it. Returns the units, with their ids."""
    numbers = sorted({row["municipality"].number for row in units})
    for number in numbers:
        if not may_write_housing(user, number) and user is not None:
            _refuse(_("Du kan ikke registrere boliger i kommune %(m)s.") % {"m": number})
    codes = [row["code"] for row in units]
    taken = set(HousingUnit.objects.filter(code__in=codes).values_list("code", flat=True))
    made = []
    for index, row in enumerate(units):
        if row["code"] in taken:
            raise ValidationError(
                {f"units.{index}.code": _("Boligkoden %(c)s finnes allerede.") % {"c": row["code"]}}
            )
        unit = HousingUnit(**row)
        try:
            unit.full_clean(
                exclude=["municipality"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            raise ValidationError({f"units.{index}": exc.messages}) from None
        bump(unit, user)
        made.append(unit)
        taken.add(row["code"])
    return HousingUnit.objects.bulk_create(made, batch_size=2000)


@dataclass
class PreparedUnit:
    """A validated, not yet saved unit (new or changed) and its fields before the change."""

    unit: HousingUnit
    before: dict[str, Any] | None  # None: a new unit

    @property
    def change(self) -> str:
        """``create``, ``update`` or ``unchanged``."""
        if self.before is None:
            return "create"
        return "unchanged" if snapshot(self.unit) == self.before else "update"


def prepare_unit(
    user,
    municipality,
    code: str,
    fields: dict[str, Any],
    *,
    defaults: dict[str, Any] | None = None,
) -> PreparedUnit:
    """Validate a unit by its code, new or changed, without saving it (an import checks every row
    before it writes any). A known unit gets ``fields`` and keeps the rest; a new one gets
    ``defaults`` updated with ``fields``. The same rules as :func:`do_create_unit` and
    :func:`do_update_unit`, and a unit never moves to another municipality.

    Raises:
        PermissionDenied: the user may not register units in the municipality.
        ValidationError: naming the field (``municipality`` for a move).
    """
    if user is not None and not may_write_housing(user, municipality.number):
        _refuse(_("Du kan ikke registrere boliger i denne kommunen."))
    unknown = (set(fields) | set(defaults or {})) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    existing = HousingUnit.objects.select_related("municipality").filter(code=code).first()
    if existing is not None and existing.municipality_id != municipality.pk:
        raise ValidationError(
            {
                "municipality": _(
                    "Boligen %(code)s er registrert i kommune %(number)s; en bolig kan ikke flytte "
                    "til en annen kommune."
                )
                % {"code": code, "number": existing.municipality.number}
            }
        )
    unit = existing or HousingUnit(code=code, municipality=municipality)
    before = snapshot(existing) if existing is not None else None
    for name, value in ({**(defaults or {}), **fields} if existing is None else fields).items():
        setattr(unit, name, value)
    unit.full_clean()
    return PreparedUnit(unit, before)


@transaction.atomic
def do_save_prepared_unit(user, prepared: PreparedUnit, note: str = "") -> str:
    """Save a prepared unit and audit it; nothing is written (or logged) when nothing changed.
    Returns the change."""
    change = prepared.change
    if change == "unchanged":
        return change
    bump(prepared.unit, user)
    prepared.unit.save()
    do_record(user, change, prepared.unit, prepared.before, note=note)
    return change


# --- many units at once (a large import) ------------------------------------------------------------

#: Units read by code in one query when many are prepared.
CODES_PER_QUERY = 2000

# A condition of a check constraint that Python cannot evaluate (the database is asked instead).
_CANNOT = object()
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


@dataclass(frozen=True)
class UnitRow:
    """One unit for :func:`prepare_units`: the arguments of :func:`prepare_unit`."""

    municipality: Any
    code: str
    fields: dict[str, Any]
    defaults: dict[str, Any] | None = None


def _condition_value(node: Any, unit: HousingUnit) -> Any:
    """A check constraint's condition on an unsaved unit in SQL's three values (True, False, None
    for unknown, which a CHECK lets pass), or ``_CANNOT`` for what only the database can tell."""
    if isinstance(node, Q):
        values = [_condition_value(child, unit) for child in node.children]
        if _CANNOT in values or node.connector not in (Q.AND, Q.OR):
            return _CANNOT
        if node.connector == Q.AND:
            result = False if False in values else (None if None in values else True)
        else:
            result = True if True in values else (None if None in values else False)
        return (not result) if node.negated and result is not None else result
    if not isinstance(node, tuple) or len(node) != 2 or hasattr(node[1], "resolve_expression"):
        return _CANNOT
    key, wanted = node
    name, _sep, lookup = key.partition("__")
    try:
        field = HousingUnit._meta.get_field(name)
    except FieldDoesNotExist:
        return _CANNOT
    value = getattr(unit, field.attname, None)
    if lookup == "isnull":
        return (value is None) == bool(wanted)
    compare = _COMPARE.get(lookup or "exact")
    if compare is None or wanted is None:
        return _CANNOT
    if value is None:
        return None
    try:
        return compare(value, wanted)
    except TypeError:
        return _CANNOT


def _condition_fields(node: Any) -> set[str]:
    if isinstance(node, Q):
        return set().union(*(_condition_fields(child) for child in node.children))
    if isinstance(node, tuple) and len(node) == 2:
        return {node[0].split("__", 1)[0]}
    return set()


# The fields each check constraint's condition reads, by constraint name.
_CONDITION_FIELDS: dict[str, set[str]] = {}


def _validate_in_python(unit: HousingUnit) -> None:
    """``unit.full_clean()`` without its database round trips, for a unit whose municipality is an
    instance already and whose code the caller has checked: the fields, ``clean`` and the model's
    check constraints, evaluated on the instance (the database is asked only for a condition Python
    cannot evaluate). Fields in error are left out of the constraints, as ``full_clean`` does."""
    errors: dict[str, list] = {}
    try:
        unit.full_clean(exclude=["municipality"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    excluded = {"municipality"} | set(errors)
    for constraint in HousingUnit._meta.constraints:
        try:
            if not isinstance(constraint, CheckConstraint):
                constraint.validate(HousingUnit, unit, exclude=excluded)
                continue
            fields = _CONDITION_FIELDS.get(constraint.name)
            if fields is None:
                fields = _CONDITION_FIELDS[constraint.name] = _condition_fields(
                    constraint.condition
                )
            if fields & excluded:
                continue
            holds = _condition_value(constraint.condition, unit)
            if holds is _CANNOT:
                constraint.validate(HousingUnit, unit, exclude=excluded)
            elif holds is False:
                raise ValidationError(
                    constraint.get_violation_error_message(),
                    code=constraint.violation_error_code,
                )
        except ValidationError as exc:
            single = getattr(constraint, "fields", ())
            if getattr(exc, "code", None) == "unique" and len(single) == 1:
                errors.setdefault(single[0], []).append(exc)
            else:
                errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def prepare_units(
    user, rows: Sequence[UnitRow]
) -> list[PreparedUnit | ValidationError | PermissionDenied]:
    """:func:`prepare_unit` for many units at once (a large import): the same rules and messages in a
    handful of queries instead of several per unit. The known units are read by code in bulk,
    permission is decided once per municipality, and each unit is validated in Python (the model's
    fields, ``clean`` and check constraints, see ``_validate_in_python``); a code given twice is
    refused on its second row. Nothing is saved.

    Returns:
        For each row, in order, its prepared unit or its refusal (``PermissionDenied`` or a
        ``ValidationError`` naming the field, ``municipality`` for a move).
    """
    codes = [row.code for row in rows]
    known: dict[str, HousingUnit] = {}
    for start in range(0, len(codes), CODES_PER_QUERY):
        chunk = codes[start : start + CODES_PER_QUERY]
        for unit in HousingUnit.objects.select_related("municipality").filter(code__in=chunk):
            known[unit.code] = unit
    allowed: dict[str, bool] = {}
    seen: set[str] = set()
    result: list[PreparedUnit | ValidationError | PermissionDenied] = []
    for row in rows:
        try:
            result.append(_prepare_known(user, row, known, allowed, seen))
        except (ValidationError, PermissionDenied) as exc:
            result.append(exc)
    return result


def _prepare_known(
    user,
    row: UnitRow,
    known: dict[str, HousingUnit],
    allowed: dict[str, bool],
    seen: set[str],
) -> PreparedUnit:
    number = row.municipality.number
    if user is not None:
        if number not in allowed:
            allowed[number] = may_write_housing(user, number)
        if not allowed[number]:
            _refuse(_("Du kan ikke registrere boliger i denne kommunen."))
    unknown = (set(row.fields) | set(row.defaults or {})) - set(UNIT_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: "Ukjent felt."})
    if row.code in seen:
        raise ValidationError({"code": _("Boligkoden %(c)s står to ganger.") % {"c": row.code}})
    seen.add(row.code)
    existing = known.get(row.code)
    if existing is not None and existing.municipality_id != row.municipality.pk:
        raise ValidationError(
            {
                "municipality": _(
                    "Boligen %(code)s er registrert i kommune %(number)s; en bolig kan ikke flytte "
                    "til en annen kommune."
                )
                % {"code": row.code, "number": existing.municipality.number}
            }
        )
    unit = existing or HousingUnit(code=row.code, municipality=row.municipality)
    before = snapshot(existing) if existing is not None else None
    values = {**(row.defaults or {}), **row.fields} if existing is None else row.fields
    for name, value in values.items():
        setattr(unit, name, value)
    _validate_in_python(unit)
    return PreparedUnit(unit, before)


@transaction.atomic
def do_save_prepared_units(
    user, prepared: Sequence[PreparedUnit], note: str = "", row_notes: Sequence[str] | None = None
) -> dict[str, int]:
    """Save many prepared units at once and audit every change (what :func:`do_save_prepared_unit`
    does one by one): one insert for the new units and a batched update of the changed fields for
    the changed ones (their version counted up, stamped with one author and time), with one audit
    entry per written unit (``note`` on every one, followed by the unit's own ``row_notes`` entry
    when given: an import's "rad N"). Unchanged units are neither written nor logged.

    Returns:
        How many were created, updated and left unchanged.
    """
    new: list[HousingUnit] = []
    changed: list[PreparedUnit] = []
    fields: set[str] = set()
    name_of = {f.attname: f.name for f in HousingUnit._meta.concrete_fields}
    for item in prepared:
        change = item.change
        if change == "create":
            bump(item.unit, user)
            new.append(item.unit)
        elif change == "update":
            after = snapshot(item.unit)
            fields |= {k for k, v in after.items() if item.before.get(k) != v}
            changed.append(item)
    HousingUnit.objects.bulk_create(new, batch_size=1000)
    if changed:
        # The changed fields as a batched update; the version stamp as one update per chunk (the
        # same author and time for the whole file, the version counted up in the database).
        units = [c.unit for c in changed]
        names = sorted({name_of[k] for k in fields if k in name_of} - set(VERSION_FIELDS))
        if names:
            HousingUnit.objects.bulk_update(units, names, batch_size=500)
        for unit in units:
            bump(unit, user)
        stamp = {"changed_at": units[0].changed_at, "changed_by": units[0].changed_by}
        for start in range(0, len(units), CODES_PER_QUERY):
            ids = [unit.pk for unit in units[start : start + CODES_PER_QUERY]]
            HousingUnit.objects.filter(pk__in=ids).update(version=F("version") + 1, **stamp)
        for unit in units:
            unit.changed_at = stamp["changed_at"]
    own = dict(zip(map(id, prepared), row_notes, strict=True)) if row_notes is not None else {}
    do_record_many(
        user,
        "create",
        [(i.unit, None, None, own.get(id(i), "")) for i in prepared if i.change == "create"],
        note=note,
    )
    do_record_many(
        user, "update", [(c.unit, c.before, None, own.get(id(c), "")) for c in changed], note=note
    )
    return {
        "create": len(new),
        "update": len(changed),
        "unchanged": len(prepared) - len(new) - len(changed),
    }


# --- the booking rule: every lease and reservation of a unit is made here --------------------------


def _lock_unit(unit_id: int) -> HousingUnit:
    """The unit, locked for the rest of the transaction so that two bookings cannot both pass the
    check (PostgreSQL: row lock; SQLite: the write transaction is exclusive, BEGIN IMMEDIATE)."""
    try:
        return (
            HousingUnit.objects.select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=unit_id)
        )
    except HousingUnit.DoesNotExist:
        raise ValidationError({"unit": _("Boligen finnes ikke.")}) from None


def _describe(row: Lease) -> str:
    """A booking row in words: "en leiekontrakt 01.01.2015–01.01.2018 (H2014-000123)"."""
    if row.end:
        period = f"{row.start:%d.%m.%Y}–{row.end:%d.%m.%Y}"
    else:
        period = _("fra %(d)s") % {"d": f"{row.start:%d.%m.%Y}"}
    who = f" ({row.household.reference})" if row.household_id else ""
    if row.status == BookingStatus.RESERVED:
        return _("en reservasjon %(period)s%(who)s") % {"period": period, "who": who}
    return _("en leiekontrakt %(period)s%(who)s") % {"period": period, "who": who}


def _free_bed(unit: HousingUnit, others: list[Lease]) -> int:
    """The first bed not taken by ``others`` (rows overlapping the period), or a refusal naming them."""
    if unit.kind != UnitKind.SHARED:
        if others:
            raise ValidationError(
                {
                    "start": _("Perioden overlapper %(other)s på samme bolig.")
                    % {"other": _describe(others[0])}
                }
            )
        return 1
    taken = {o.bed for o in others}
    for bed in range(1, unit.beds + 1):
        if bed not in taken:
            return bed
    raise ValidationError(
        {
            "start": _(
                "Bofellesskapet har ingen ledig sengeplass i denne perioden (%(n)s av %(n)s)."
            )
            % {"n": unit.beds}
        }
    )


def _check_occupancy(unit: HousingUnit, household, persons: int) -> None:
    """Over-occupancy (``persons`` counts everyone the unit would house) and the household's
    municipality."""
    if persons > unit.max_occupants:
        raise ValidationError(
            {
                "household": _(
                    "Overbelegg: husholdningen har %(persons)s personer, men boligen tar høyst %(max)s."
                )
                % {"persons": persons, "max": unit.max_occupants}
            }
        )
    if household.municipality_id is not None and household.municipality_id != unit.municipality_id:
        raise ValidationError(
            {"household": _("Husholdningen hører til en annen kommune enn boligen.")}
        )


@transaction.atomic
def do_book(
    user,
    unit: HousingUnit | int,
    household=None,
    *,
    start: date,
    end: date | None = None,
    status: str = BookingStatus.CONTRACT,
    notice_months: int = 3,
    rent_nok: int | None = None,
    note: str = "",
) -> Lease:
    """Book ``unit`` from ``start`` ("book bolig"): a lease (``contract``) or a reservation that holds
    it for ``household`` until it moves in (``reserved``, open-ended unless ``end`` is given).

    This is the one place where a unit is booked. The unit is locked; the new row may not overlap a
    reservation or lease of the same bed (a shared unit gives the first free bed), the household may
    not exceed the unit's occupants, and must belong to the unit's municipality. A lease for a
    household that holds a reservation on the unit turns that reservation into the lease.

    Raises:
        PermissionDenied: the user may not book units in the unit's municipality.
        ValidationError: naming the field: what the unit is already booked for, over-occupancy, dates.
    """
    unit = _lock_unit(unit if isinstance(unit, int) else unit.pk)
    if not may_book(user, unit.municipality.number):
        _refuse(_("Du kan ikke booke boliger i denne kommunen."))
    if status not in (BookingStatus.CONTRACT, BookingStatus.RESERVED):
        raise ValidationError({"status": _("Ukjent bookingtype.")})
    own = None
    if household is not None and status == BookingStatus.CONTRACT:
        own = unit.leases.reservations().filter(household=household).first()
    row = own or Lease(unit=unit, household=household)
    before = snapshot(row) if own else None
    row.status = status
    row.start = start
    row.end = end
    row.notice_months = notice_months
    row.rent_nok = unit.rent_nok if rent_nok is None else rent_nok
    row.full_clean(exclude=["unit", "household"])
    others = list(
        unit.leases.occupying()
        .overlapping(start, end)
        .exclude(pk=row.pk)
        .select_related("household")
        .order_by("start")
    )
    row.bed = _free_bed(unit, others)
    if household is not None:
        ids = [household.pk] + [o.household_id for o in others if o.household_id]
        sizes = household_sizes(ids)
        persons = sizes.get(household.pk, 0)
        if unit.kind == UnitKind.SHARED:
            persons += sum(sizes.get(o.household_id, 0) for o in others if o.household_id)
        _check_occupancy(unit, household, persons)
    bump(row, user)
    row.save()
    if before is None:
        do_record(user, "create", row, note=note)
    else:
        do_record(user, "book", row, before, snapshot(row), note=note)
    if household is not None and status == BookingStatus.CONTRACT:
        _career_step(user, household, start, TENURE_FOR_KIND[unit.kind], unit=unit, lease=row)
    return row


@dataclass(frozen=True)
class BookingRequest:
    """One row to book in bulk (see :func:`do_book_many`)."""

    unit_id: int
    household: Any  # a cases.Household or None
    start: date
    end: date | None = None
    status: str = BookingStatus.RESERVED
    rent_nok: int | None = None
    synthetic: bool = False


@transaction.atomic
def do_book_many(
    user, requests: list[BookingRequest], *, skip_taken: bool = False, note: str = ""
) -> list[Lease]:
    """Book many units at once under the same rule as :func:`do_book` (sending a matching round,
    the demo builder). Every unit is locked and read once.

    A request whose unit (every bed of a shared unit) is taken by another row — or by an earlier
    request — is refused with the unit named, or left out when ``skip_taken`` (a round's proposals
    whose flat was booked meanwhile are withdrawn instead). Occupancy is checked as by ``do_book``.
    Returns the rows made.
    """
    if not requests:
        return []
    unit_ids = sorted({r.unit_id for r in requests})
    units = {
        u.pk: u
        for u in HousingUnit.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .filter(pk__in=unit_ids)
        .order_by("pk")
    }
    for number in sorted({u.municipality.number for u in units.values()}):
        if not may_book(user, number):
            _refuse(_("Du kan ikke booke boliger i kommune %(m)s.") % {"m": number})
    taken: dict[int, list[Lease]] = {}
    for row in Lease.objects.occupying().filter(unit_id__in=unit_ids).select_related("household"):
        taken.setdefault(row.unit_id, []).append(row)
    sizes = household_sizes(
        [r.household.pk for r in requests if r.household is not None]
        + [o.household_id for rows in taken.values() for o in rows if o.household_id]
    )
    made: list[Lease] = []
    for request in requests:
        unit = units.get(request.unit_id)
        if unit is None:
            raise ValidationError({"unit": _("Boligen finnes ikke.")})
        others = [
            r
            for r in taken.get(unit.pk, [])
            if (r.end is None or r.end > request.start)
            and (request.end is None or r.start < request.end)
        ]
        try:
            bed = _free_bed(unit, others)
            if request.household is not None:
                persons = sizes.get(request.household.pk, 0)
                if unit.kind == UnitKind.SHARED:
                    persons += sum(sizes.get(o.household_id, 0) for o in others if o.household_id)
                _check_occupancy(unit, request.household, persons)
        except ValidationError as exc:
            if skip_taken:
                continue
            raise ValidationError(
                {
                    "unit": _("%(unit)s: %(why)s")
                    % {"unit": unit.code, "why": " ".join(exc.messages)}
                }
            ) from None
        row = Lease(
            unit=unit,
            household=request.household,
            status=request.status,
            bed=bed,
            start=request.start,
            end=request.end,
            rent_nok=unit.rent_nok if request.rent_nok is None else request.rent_nok,
            synthetic=request.synthetic,
        )
        row.full_clean(exclude=["unit", "household"], validate_constraints=False)
        bump(row, user)
        made.append(row)
        taken.setdefault(unit.pk, []).append(row)
    Lease.objects.bulk_create(made, batch_size=2000)
    do_record_many(user, "create", [(row, None, None) for row in made], note=note)
    return made


@transaction.atomic
def do_release(user, household, *, unit_id: int | None = None, note: str = "") -> int:
    """Release the household's reservations ("frigi bolig"), of one unit or all. Returns how many."""
    rows = list(
        Lease.objects.reservations()
        .filter(household=household)
        .filter(**({"unit_id": unit_id} if unit_id else {}))
        .select_for_update(of=("self",))
    )
    for row in rows:
        before = snapshot(row)
        row.status = BookingStatus.RELEASED
        bump(row, user)
        row.save()
        do_record(user, "release", row, before, snapshot(row), note=note)
    return len(rows)


@transaction.atomic
def do_release_many(user, household_ids: list[int], note: str = "") -> int:
    """Release the reservations of many households in one go (a round's withdrawn proposals)."""
    rows = list(
        Lease.objects.reservations()
        .filter(household_id__in=household_ids)
        .select_for_update(of=("self",))
    )
    audits = []
    for row in rows:
        before = snapshot(row)
        row.status = BookingStatus.RELEASED
        bump(row, user)
        audits.append((row, before, snapshot(row)))
    Lease.objects.bulk_update(rows, ["status", *VERSION_FIELDS], batch_size=1000)
    do_record_many(user, "release", audits, note=note)
    return len(rows)


def _career_step(user, household, on: date, tenure: str, **extra: Any) -> HousingCareerStep:
    step, created = HousingCareerStep.objects.get_or_create(
        household=household,
        on=on,
        tenure=tenure,
        defaults={"municipality_id": household.municipality_id, **extra},
    )
    if created:
        do_record(user, "create", step)
    return step


@transaction.atomic
def do_record_lease_outcome(
    user,
    lease: Lease,
    outcome: str,
    on: date,
    *,
    new_end: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Lease:
    """Record how a lease ended ("utfall"): renewed, moved to private rental, bought with start loan, …

    A renewal ends nothing and adds a new lease from the old end (or ``on``) to ``new_end`` (default
    three years later). Every other outcome ends the lease on ``on`` (if it ran longer) and adds the
    career step the outcome leads to.
    """
    if outcome not in LeaseOutcome.values:
        raise ValidationError({"outcome": "Ukjent utfall."})
    if not may_write_housing(user, lease.unit.municipality.number):
        _refuse("Du kan ikke registrere utfall for denne kommunen.")
    lease = (
        Lease.objects.select_for_update(of=("self",))
        .select_related("unit", "household")
        .get(pk=lease.pk)
    )
    check_version(lease, expected_version)
    if lease.status != BookingStatus.CONTRACT:
        raise ValidationError({"outcome": _("Bare en leiekontrakt kan få et utfall.")})
    if lease.outcome:
        raise ValidationError({"outcome": _("Utfallet er allerede registrert.")})
    before = snapshot(lease)
    lease.outcome = outcome
    lease.outcome_on = on
    if lease.end is None or (outcome != LeaseOutcome.RENEWED and lease.end > on):
        lease.end = on
    lease.full_clean()
    bump(lease, user)
    lease.save()
    do_record(user, "outcome", lease, before, snapshot(lease), note=note)
    if outcome == LeaseOutcome.RENEWED:
        start = lease.end or on
        do_book(
            user,
            lease.unit,
            lease.household,
            start=start,
            end=new_end or lease_end(start),
            notice_months=lease.notice_months,
            rent_nok=lease.rent_nok,
        )
    elif lease.household_id and outcome in OUTCOME_TENURE:
        _career_step(
            user,
            lease.household,
            on,
            OUTCOME_TENURE[outcome],
            start_loan=outcome == LeaseOutcome.BOUGHT_START_LOAN,
            note=note[:200],
        )
    return lease


@transaction.atomic
def do_record_career_step(
    user, household, on: date, tenure: str, *, start_loan: bool = False, note: str = ""
) -> HousingCareerStep:
    """Record a step of a household's housing career by hand (e.g. a move the municipality learns of)."""
    number = household.municipality.number if household.municipality_id else None
    if not may_write_housing(user, number):
        _refuse("Du kan ikke registrere boligkarriere for denne husholdningen.")
    step = HousingCareerStep(
        household=household,
        on=on,
        tenure=tenure,
        municipality_id=household.municipality_id,
        start_loan=start_loan,
        note=note,
    )
    step.full_clean()
    step.save()
    do_record(user, "create", step)
    return step


@transaction.atomic
def do_seed_demo_careers() -> int:
    """Demo world: the first step of every synthetic settled household's housing career.

    Each household with a synthetic lease starts its career on its first lease's first day in the
    tenure its unit gives (municipal rental, sublet private, self-found private, shared); a renewed
    lease of the same home adds no step. Idempotent.
    Returns the number of steps created.
    """
    if HousingCareerStep.objects.filter(synthetic=True).exists():
        return 0
    rows = (
        Lease.objects.contracts()
        .filter(synthetic=True, household__isnull=False)
        .order_by("household_id", "start", "pk")
        .values_list(
            "pk", "household_id", "unit_id", "unit__kind", "unit__municipality_id", "start"
        )
    )
    steps, seen = [], set()
    for lease_id, household_id, unit_id, kind, municipality_id, start in rows:
        if household_id in seen:  # a renewed lease of the same home is no new step
            continue
        seen.add(household_id)
        steps.append(
            HousingCareerStep(
                household_id=household_id,
                on=start,
                tenure=TENURE_FOR_KIND[kind],
                municipality_id=municipality_id,
                unit_id=unit_id,
                lease_id=lease_id,
                note="Første bolig (demo)",
                synthetic=True,
            )
        )
    HousingCareerStep.objects.bulk_create(steps, batch_size=2000)
    return len(steps)


# --- retention ---


@transaction.atomic
def do_anonymise_careers(household_ids: list[int]) -> int:
    """Empty the notes of the housing careers of anonymised households (the steps stay)."""
    return HousingCareerStep.objects.filter(household_id__in=household_ids).update(note="")
