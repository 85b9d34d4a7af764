"""Writes of planning data: real IMDi figures, requests and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.audit.versioning import bump, check_version
from bosetting.apps.geo.selectors import municipalities, municipality_or_none
from bosetting.apps.letters.choices import LetterKind
from bosetting.apps.letters.services import do_make_letter
from bosetting.apps.notifications.services import do_notify
from bosetting.apps.planning.choices import Provenance
from bosetting.apps.planning.letters import request_letter
from bosetting.apps.planning.models import (
    CouncilDecision,
    NationalNeed,
    ReportedSettlement,
    SettlementRequest,
)
from bosetting.apps.planning.notices import decision_registered
from bosetting.errors import Conflict
from bosetting.reference import loaders
from bosetting.reference.structure import STRUCTURE_2014, STRUCTURE_2024, structure_year_for

# The national committee's target for 2014 (report L1406–1407).
NATIONAL_NEED = {2014: (10000, "Fafo 2015 L1406–1407: mål om 10 000 plasser i 2014")}


@transaction.atomic
def do_load_real_settlement_figures() -> dict[str, int]:
    """Load IMDi's real requests, decisions and settled counts (2012–2014 in the 2014 structure, 2024 in
    the 2024 structure). Idempotent: real rows are replaced, other rows are left alone."""
    for year, (persons, source) in NATIONAL_NEED.items():
        NationalNeed.objects.update_or_create(
            year=year, defaults={"persons": persons, "source": source}
        )
    SettlementRequest.objects.filter(provenance=Provenance.REAL).delete()
    CouncilDecision.objects.filter(provenance=Provenance.REAL).delete()
    ReportedSettlement.objects.all().delete()
    requests, decisions, settled = [], [], []
    for structure, rows in (
        (STRUCTURE_2014, loaders.settlement_figures_2012_2014()),
        (STRUCTURE_2024, loaders.settlement_figures_2024()),
    ):
        munis = {m.number: m for m in municipalities(structure)}
        for r in rows:
            m = munis.get(r.municipality_number)
            if m is None:  # 9999 "Uoppgitt kommune": settled, municipality unknown
                continue
            if r.requested is not None:
                requests.append(
                    SettlementRequest(
                        municipality=m,
                        year=r.year,
                        persons=r.requested,
                        provenance=Provenance.REAL,
                        period_start=r.year,
                        period_years=1,
                    )
                )
            if r.decided is not None:
                decisions.append(
                    CouncilDecision(
                        municipality=m,
                        year=r.year,
                        persons=r.decided,
                        provenance=Provenance.REAL,
                        period_start=r.year,
                        period_years=1,
                    )
                )
            if r.settled is not None:
                settled.append(
                    ReportedSettlement(
                        municipality=m,
                        year=r.year,
                        persons=r.settled,
                        status=r.status,
                        as_of=r.as_of,
                    )
                )
    SettlementRequest.objects.bulk_create(requests, batch_size=2000)
    CouncilDecision.objects.bulk_create(decisions, batch_size=2000)
    ReportedSettlement.objects.bulk_create(settled, batch_size=2000)
    return {
        "requests_real": len(requests),
        "decisions_real": len(decisions),
        "reported_settlements": len(settled),
    }


# --- Registration of requests and decisions -------------------------------------------------------
#
# Who may write (docs/permissions.md): a council decision is registered by the municipality itself
# (a municipal officer, own municipality only) or by IMDi (national: anywhere; regional: its
# office's municipalities). A request (anmodning) is IMDi's letter, so only IMDi registers it.
# ``user=None`` is the system itself (command-line imports run by the operator): no scope limit.
# IMDi's published figures (provenance "real") are history and are never overwritten.

DECISION_ROLES = frozenset({Role.IMDI_NATIONAL, Role.IMDI_REGIONAL, Role.MUNICIPAL})
REQUEST_ROLES = frozenset({Role.IMDI_NATIONAL, Role.IMDI_REGIONAL})
PERIOD_CHOICES = (1, 3)


class AlreadyExists(Conflict):
    """A request or decision exists for the year already; replacing it needs explicit confirmation."""


# The error key for the municipality: callers pass a number, the model field is a foreign key.
_FIELD_ALIASES = {"municipality": "municipality_number", "__all__": "municipality_number"}


def _may(user, roles: frozenset[str], municipality_number: str) -> bool:
    if user is None:
        return True
    scope = scope_for(user)
    return scope.role in roles and scope.covers(municipality_number)


def can_register_decision(user, municipality_number: str) -> bool:
    """Whether the user may register or edit the council decision of a municipality."""
    return _may(user, DECISION_ROLES, municipality_number)


def can_register_request(user, municipality_number: str) -> bool:
    """Whether the user may register or edit IMDi's request to a municipality (IMDi only)."""
    return _may(user, REQUEST_ROLES, municipality_number)


def _numbers_for(user, roles: frozenset[str], numbers) -> set[str]:
    if user is None:
        return set(numbers)
    scope = scope_for(user)
    if scope.role not in roles:
        return set()
    return {n for n in numbers if scope.covers(n)}


def decision_numbers_for(user, numbers) -> set[str]:
    """Of these municipality numbers, those whose decisions the user may register (one scope lookup)."""
    return _numbers_for(user, DECISION_ROLES, numbers)


def request_numbers_for(user, numbers) -> set[str]:
    """Of these municipality numbers, those whose requests the user may register."""
    return _numbers_for(user, REQUEST_ROLES, numbers)


def may_register_any_decision(user) -> bool:
    return user is None or scope_for(user).role in DECISION_ROLES


def may_register_any_request(user) -> bool:
    return user is None or scope_for(user).role in REQUEST_ROLES


def municipality_for(number: str, year: int):
    """The municipality with this number in the structure of ``year``; a field error if unknown."""
    number = (number or "").strip()
    found = municipality_or_none(number, structure_year_for(year))
    if found is None:
        raise ValidationError(
            {
                "municipality_number": _(
                    "Ukjent kommunenummer %(number)s i kommunestrukturen %(structure)s."
                )
                % {"number": number, "structure": structure_year_for(year)}
            }
        )
    return found


def _renamed(exc: ValidationError) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {_FIELD_ALIASES.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


@dataclass
class Prepared:
    """A validated, not yet saved request or decision row and its state before the change."""

    obj: CouncilDecision | SettlementRequest
    before: dict[str, Any] | None  # None: a new row

    @property
    def change(self) -> str:
        """``create``, ``update`` or ``unchanged``."""
        if self.before is None:
            return "create"
        return "unchanged" if snapshot(self.obj) == self.before else "update"


def _describe(obj) -> str:
    period = (
        f"{obj.period_start}–{obj.period_start + obj.period_years - 1}"
        if obj.period_start and obj.period_years > 1
        else str(obj.year)
    )
    return _("%(persons)s personer (periode %(period)s, %(source)s)") % {
        "persons": obj.persons,
        "period": period,
        "source": obj.get_provenance_display().lower(),
    }


def _prepare(
    model,
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    replace: bool = True,
    expected_version: int | None = None,
) -> Prepared:
    existing = model.objects.select_for_update().filter(**lookup).first()
    if existing is not None and existing.provenance == Provenance.REAL:
        raise ValidationError({"year": _("IMDis publiserte tall for dette året kan ikke endres.")})
    if existing is not None and not replace:
        raise AlreadyExists(
            _(
                "%(m)s har allerede %(what)s for %(y)s: %(existing)s. Endre det som finnes, eller "
                "bekreft at det skal erstattes."
            )
            % {
                "m": existing.municipality.name,
                "what": model._meta.verbose_name,
                "y": existing.year,
                "existing": _describe(existing),
            }
        )
    if existing is not None:
        check_version(existing, expected_version)
    obj = existing or model(**lookup)
    before = snapshot(existing) if existing is not None else None
    for field, value in values.items():
        setattr(obj, field, value)
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise _renamed(exc) from None
    return Prepared(obj, before)


def prepare_decision(
    *,
    municipality_number: str,
    year: int,
    persons: int,
    uam_persons: int = 0,
    decided_on: date | None = None,
    period_start: int | None = None,
    period_years: int = 1,
    note: str = "",
    provenance: str = Provenance.ENTERED,
    replace: bool = True,
    expected_version: int | None = None,
) -> Prepared:
    """Validate one year's council decision (the web form, the API and the import all pass here).

    An existing decision for the year is replaced only with ``replace`` (an import the user has
    previewed and confirmed, an edit of that very row); otherwise ``AlreadyExists`` names it.
    ``expected_version`` refuses a row someone else changed since it was read (``ConcurrentEdit``)."""
    muni = municipality_for(municipality_number, year)
    return _prepare(
        CouncilDecision,
        {"municipality": muni, "year": year},
        {
            "persons": persons,
            "uam_persons": uam_persons,
            "decided_on": decided_on,
            "period_start": period_start if period_start is not None else year,
            "period_years": period_years,
            "note": note or "",
            "provenance": provenance,
        },
        replace=replace,
        expected_version=expected_version,
    )


def prepare_request(
    *,
    municipality_number: str,
    year: int,
    persons: int,
    uam_persons: int = 0,
    sent_on: date | None = None,
    period_start: int | None = None,
    period_years: int = 1,
    supplementary: bool = False,
    provenance: str = Provenance.ENTERED,
    replace: bool = True,
    expected_version: int | None = None,
) -> Prepared:
    """Validate one year's request (anmodning)."""
    muni = municipality_for(municipality_number, year)
    return _prepare(
        SettlementRequest,
        {"municipality": muni, "year": year, "supplementary": supplementary},
        {
            "persons": persons,
            "uam_persons": uam_persons,
            "sent_on": sent_on,
            "period_start": period_start if period_start is not None else year,
            "period_years": period_years,
            "provenance": provenance,
        },
        replace=replace,
        expected_version=expected_version,
    )


def save_prepared(user, prepared: Prepared, note: str = "") -> str:
    """Write a prepared row and audit it; nothing is written (or logged) when nothing changed."""
    change = prepared.change
    if change == "unchanged":
        return change
    bump(prepared.obj, user)
    prepared.obj.save()
    do_record(user, change, prepared.obj, prepared.before, note=note)
    return change


def _period_years(period_years: int) -> None:
    if period_years not in PERIOD_CHOICES:
        raise ValidationError({"period_years": _("Perioden må være 1 eller 3 år.")})


@transaction.atomic
def do_register_decision(
    user,
    *,
    municipality_number: str,
    year: int,
    persons: int,
    uam_persons: int = 0,
    decided_on: date | None = None,
    period_years: int = 1,
    note: str = "",
    replace: bool = False,
) -> list[CouncilDecision]:
    """Register a council decision ("vedtak om bosetting").

    ``persons`` and ``uam_persons`` are per year; a three-year decision writes one row for each year
    from ``year``, all with the same period. A year that has a decision already is refused with
    ``AlreadyExists`` naming it — nothing is written — unless ``replace`` (the user has confirmed):
    then the old rows' values are kept in the audit log. Raises ``PermissionDenied`` outside the
    user's scope and ``ValidationError`` naming the field. Every changed row is audited, and IMDi's
    regional office covering the municipality is notified."""
    if not can_register_decision(user, municipality_number):
        raise PermissionDenied(_("Du kan ikke registrere vedtak for denne kommunen."))
    _period_years(period_years)
    prepared = [
        prepare_decision(
            municipality_number=municipality_number,
            year=y,
            persons=persons,
            uam_persons=uam_persons,
            decided_on=decided_on,
            period_start=year,
            period_years=period_years,
            note=note,
            replace=replace,
        )
        for y in range(year, year + period_years)
    ]
    changes = [save_prepared(user, p) for p in prepared]
    rows = [p.obj for p in prepared]
    if any(change != "unchanged" for change in changes):
        do_notify(decision_registered(user, rows))
    return rows


@transaction.atomic
def do_register_request(
    user,
    *,
    municipality_number: str,
    year: int,
    persons: int,
    uam_persons: int = 0,
    sent_on: date | None = None,
    period_years: int = 1,
    supplementary: bool = False,
    replace: bool = False,
) -> list[SettlementRequest]:
    """Register IMDi's request to a municipality ("anmodning"); IMDi only.

    Like decisions, a three-year request writes one row per year with ``persons`` per year, and a
    year that has a request already is refused unless ``replace``."""
    if not can_register_request(user, municipality_number):
        raise PermissionDenied(_("Bare IMDi kan registrere anmodninger for denne kommunen."))
    _period_years(period_years)
    prepared = [
        prepare_request(
            municipality_number=municipality_number,
            year=y,
            persons=persons,
            uam_persons=uam_persons,
            sent_on=sent_on,
            period_start=year,
            period_years=period_years,
            supplementary=supplementary,
            replace=replace,
        )
        for y in range(year, year + period_years)
    ]
    for p in prepared:
        save_prepared(user, p)
    return [p.obj for p in prepared]


@transaction.atomic
def do_update_decision(
    user,
    decision_id: int,
    *,
    persons: int,
    uam_persons: int = 0,
    decided_on: date | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> CouncilDecision:
    """Change one year's row of a decision (keeps its period). Audited, and the regional office
    notified; refuses real figures, and a row changed by someone else since ``expected_version`` was
    read (``ConcurrentEdit``)."""
    decision = CouncilDecision.objects.select_related("municipality").get(pk=decision_id)
    if not can_register_decision(user, decision.municipality.number):
        raise PermissionDenied(_("Du kan ikke endre vedtak for denne kommunen."))
    prepared = prepare_decision(
        municipality_number=decision.municipality.number,
        year=decision.year,
        persons=persons,
        uam_persons=uam_persons,
        decided_on=decided_on,
        period_start=decision.period_start,
        period_years=decision.period_years,
        note=note,
        provenance=decision.provenance,
        expected_version=expected_version,
    )
    if save_prepared(user, prepared) != "unchanged":
        do_notify(decision_registered(user, [prepared.obj]))
    return prepared.obj


@transaction.atomic
def do_update_request(
    user,
    request_id: int,
    *,
    persons: int,
    uam_persons: int = 0,
    sent_on: date | None = None,
    expected_version: int | None = None,
) -> SettlementRequest:
    """Change one year's row of a request (keeps its period). IMDi only; audited."""
    req = SettlementRequest.objects.select_related("municipality").get(pk=request_id)
    if not can_register_request(user, req.municipality.number):
        raise PermissionDenied(_("Bare IMDi kan endre anmodninger for denne kommunen."))
    prepared = prepare_request(
        municipality_number=req.municipality.number,
        year=req.year,
        persons=persons,
        uam_persons=uam_persons,
        sent_on=sent_on,
        period_start=req.period_start,
        period_years=req.period_years,
        supplementary=req.supplementary,
        provenance=req.provenance,
        expected_version=expected_version,
    )
    save_prepared(user, prepared)
    return prepared.obj


@transaction.atomic
def do_bulk_create_plan(
    user, *, requests: list[dict], decisions: list[dict], provenance: str
) -> int:
    """Create many requests and decisions at once (the demo builder; an operator's import). Each row
    is a dict of the model's fields with ``municipality`` an instance; every row is validated, and a
    year a municipality already has a request or decision for is refused, naming it — nothing is
    replaced. IMDi national or the system only. Returns the number of rows created."""
    if user is not None and scope_for(user).role != Role.IMDI_NATIONAL:
        raise PermissionDenied(_("Bare IMDi nasjonalt kan opprette planer i bulk."))
    made = []
    for model, rows in ((SettlementRequest, requests), (CouncilDecision, decisions)):
        existing = set(
            model.objects.filter(year__in={r["year"] for r in rows}).values_list(
                "municipality_id", "year"
            )
        )
        for index, row in enumerate(rows):
            if (row["municipality"].pk, row["year"]) in existing:
                raise AlreadyExists(
                    _("%(m)s har allerede %(what)s for %(y)s.")
                    % {
                        "m": row["municipality"].name,
                        "what": model._meta.verbose_name,
                        "y": row["year"],
                    }
                )
            obj = model(provenance=provenance, **row)
            try:
                obj.full_clean(validate_unique=False)
            except ValidationError as exc:
                raise ValidationError({f"{model._meta.model_name}.{index}": exc.messages}) from None
            made.append(obj)
    SettlementRequest.objects.bulk_create([o for o in made if isinstance(o, SettlementRequest)])
    CouncilDecision.objects.bulk_create([o for o in made if isinstance(o, CouncilDecision)])
    return len(made)


# --- the request letter ("anmodningsbrev") ---------------------------------------------------------


@transaction.atomic
def do_make_request_letter(user, request_id: int):
    """Make IMDi's request letter to a municipality as PDF from the request as it stands — one year,
    or the three years of a period — and archive it on the request (``letters``). IMDi only, within
    its scope (the system too: ``user`` None, e.g. when a plan is approved).

    Raises:
        SettlementRequest.DoesNotExist: no such request.
        PermissionDenied: the user may not write requests for the municipality.
    """
    req = SettlementRequest.objects.select_related("municipality__county").get(pk=request_id)
    if not can_register_request(user, req.municipality.number):
        raise PermissionDenied(_("Bare IMDi kan lage anmodningsbrev for denne kommunen."))
    title, context, office = request_letter(req)
    return do_make_letter(
        user,
        kind=LetterKind.REQUEST,
        obj=req,
        title=title,
        municipality=req.municipality,
        office=office,
        context=context,
    )
