"""Writes of planning data: real IMDi figures, requests and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bosetting import clock
from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.services import do_record, do_record_many, snapshot
from bosetting.apps.audit.versioning import bump, check_version
from bosetting.apps.geo.selectors import municipalities, municipality_or_none
from bosetting.apps.letters.choices import LetterKind
from bosetting.apps.letters.selectors import lettered_objects
from bosetting.apps.letters.services import do_make_letter
from bosetting.apps.notifications.services import do_notify
from bosetting.apps.planning import registry
from bosetting.apps.planning.choices import PlanStatus, Provenance
from bosetting.apps.planning.criteria import criteria_for
from bosetting.apps.planning.letters import request_letter
from bosetting.apps.planning.models import (
    FIRST_YEAR,
    LAST_YEAR,
    CouncilDecision,
    NationalNeed,
    PlanAllocation,
    ReportedSettlement,
    SettlementPlan,
    SettlementRequest,
)
from bosetting.apps.planning.notices import decision_registered
from bosetting.engine.planning import (
    MAX_NEED,
    DistributionError,
    MunicipalityCriteria,
    check_inputs,
    distribute,
    spread_difference,
)
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


# --- The planning year ------------------------------------------------------------------------------
#
# IMDi national enters the need from the prognosis and the criteria's weights; the proposal is
# computed by ``engine.planning.distribute`` (by county, then by municipality). Regional offices
# assess the quality of their municipalities' work (a criterion) and adjust their figures with a
# reason. IMDi national balances the difference, if it wishes, and approves: the requests are
# created, and whatever is registered with ``registry.register_approval_hook`` (the request
# letters) runs once the approval is committed.

PLAN_ROLES = frozenset({Role.IMDI_NATIONAL})
ADJUST_ROLES = REQUEST_ROLES


def can_plan(user) -> bool:
    """Whether the user may create, change, balance and approve planning years (IMDi national)."""
    return user is None or scope_for(user).role in PLAN_ROLES


def can_adjust(user, municipality_number: str) -> bool:
    """Whether the user may adjust a municipality's figure or assess its work (IMDi national, or
    the regional office whose area it lies in)."""
    return _may(user, ADJUST_ROLES, municipality_number)


def adjustable_numbers_for(user, numbers) -> set[str]:
    """Of these municipality numbers, those whose figures the user may adjust."""
    return _numbers_for(user, ADJUST_ROLES, numbers)


def _refusal(exc: DistributionError, need: int) -> ValidationError:
    """The distribution's refusal as a field error in bokmål."""
    messages = {
        "need_persons": _("Behovet må være mellom 0 og %(max)s personer.")
        % {"max": f"{MAX_NEED:,}".replace(",", " ")},
        "need_uam_persons": _(
            "Enslige mindreårige må være mellom 0 og behovet (%(need)s personer)."
        )
        % {"need": need},
        "weights": _("Vektene kan ikke alle være null: da finnes det ingenting å fordele etter."),
        "municipalities": _("Det finnes ingen kommuner å fordele på for dette året."),
    }
    if exc.field == "weights" and "no municipality" in exc.message:
        message = _("Ingen kommune har noe av det de vektede kriteriene måler; endre vektene.")
    else:
        message = messages.get(exc.field, _("Vekten kan ikke være negativ."))
    return ValidationError({exc.field: message})


def _check_plan_inputs(need: int, need_uam: int, weights: dict[str, int], source: str) -> None:
    errors: dict[str, Any] = {}
    if not (source or "").strip():
        errors["source"] = _("Oppgi kilden til behovet (prognosen).")
    try:
        check_inputs(need, need_uam, weights)
    except DistributionError as exc:
        errors.update(_refusal(exc, need).message_dict)
    if errors:
        raise ValidationError(errors)


def _criteria(plan: SettlementPlan) -> list[MunicipalityCriteria]:
    """What the criteria read of every municipality, with the regional offices' assessments."""
    quality = dict(plan.allocations.values_list("municipality__number", "quality"))
    return criteria_for(plan.year, quality)


def _contributions(allocation) -> list[dict[str, Any]]:
    return [
        {
            "criterion": c.criterion,
            "value": c.value,
            "share": round(c.share, 6),
            "weight": round(c.weight, 4),
            "persons": round(c.persons, 2),
        }
        for c in allocation.contributions
    ]


def _propose(plan: SettlementPlan) -> None:
    """Compute the proposal and store it on the plan's rows; adjusted figures keep their values."""
    try:
        result = distribute(plan.need_persons, plan.need_uam_persons, _criteria(plan), plan.weights)
    except DistributionError as exc:
        raise _refusal(exc, plan.need_persons) from None
    structure_year = structure_year_for(plan.year)
    munis = {m.number: m for m in municipalities(structure_year)}
    existing = {a.municipality.number: a for a in plan.allocations.select_related("municipality")}
    new, changed = [], []
    for proposal in result.allocations:
        row = existing.get(proposal.number)
        if row is None:
            row = PlanAllocation(plan=plan, municipality=munis[proposal.number])
            new.append(row)
        else:
            changed.append(row)
        row.score = proposal.score
        row.criteria = _contributions(proposal)
        row.proposed_persons = proposal.persons
        row.proposed_uam_persons = proposal.uam_persons
        if not row.adjusted:
            row.persons = proposal.persons
            row.uam_persons = proposal.uam_persons
    PlanAllocation.objects.bulk_create(new, batch_size=1000)
    PlanAllocation.objects.bulk_update(
        changed,
        ["score", "criteria", "proposed_persons", "proposed_uam_persons", "persons", "uam_persons"],
        batch_size=1000,
    )
    plan.notes = result.notes
    plan.save(update_fields=["notes"])


def _plan_for_update(plan_id: int) -> SettlementPlan:
    plan = SettlementPlan.objects.select_for_update().get(pk=plan_id)
    if plan.approved:
        raise Conflict(
            _("Planen for %(year)s er godkjent og anmodningene er sendt; den kan ikke endres.")
            % {"year": plan.year}
        )
    return plan


PLAN_FIELDS = (
    "need_persons",
    "need_uam_persons",
    "source",
    "source_date",
    "period_years",
    "weight_population",
    "weight_labour",
    "weight_record",
    "weight_housing",
    "weight_quality",
)


def _weights_of(values: dict[str, Any]) -> dict[str, int]:
    return {key[len("weight_") :]: int(values[key]) for key in values if key.startswith("weight_")}


@transaction.atomic
def do_create_plan(
    user,
    *,
    year: int,
    need_persons: int,
    need_uam_persons: int = 0,
    source: str,
    source_date: date | None = None,
    period_years: int = 1,
    weight_population: int = 40,
    weight_labour: int = 20,
    weight_record: int = 20,
    weight_housing: int = 10,
    weight_quality: int = 10,
) -> SettlementPlan:
    """Create the planning year ("planår") with the need from the prognosis and compute the
    proposed distribution. IMDi national only; audited.

    Raises ``ValidationError`` naming the field (a need below 0 or above the sanity bound, minors
    above the need, weights all zero, no source), ``AlreadyExists`` when the year has a plan."""
    if not can_plan(user):
        raise PermissionDenied(_("Bare IMDi nasjonalt kan legge inn behovet og fordelingen."))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({"year": _("Året må være mellom 1990 og 2100.")})
    _period_years(period_years)
    values = {
        "need_persons": need_persons,
        "need_uam_persons": need_uam_persons,
        "source": (source or "").strip(),
        "source_date": source_date,
        "period_years": period_years,
        "weight_population": weight_population,
        "weight_labour": weight_labour,
        "weight_record": weight_record,
        "weight_housing": weight_housing,
        "weight_quality": weight_quality,
    }
    _check_plan_inputs(need_persons, need_uam_persons, _weights_of(values), values["source"])
    existing = SettlementPlan.objects.filter(year=year).first()
    if existing is not None:
        raise AlreadyExists(
            _("Det finnes allerede en plan for %(year)s (behov %(need)s personer). Endre den.")
            % {"year": year, "need": existing.need_persons}
        )
    plan = SettlementPlan(year=year, **values)
    bump(plan, user)
    plan.save()
    _propose(plan)
    do_record(user, "create", plan)
    return plan


@transaction.atomic
def do_update_plan(
    user, plan_id: int, *, expected_version: int | None = None, **values: Any
) -> SettlementPlan:
    """Change the need, its source, the period or the weights of a draft plan and compute the
    proposal again (adjusted figures keep their values). IMDi national only; audited."""
    if not can_plan(user):
        raise PermissionDenied(_("Bare IMDi nasjonalt kan endre behovet og fordelingen."))
    plan = _plan_for_update(plan_id)
    check_version(plan, expected_version)
    unknown = set(values) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("Feltet kan ikke endres her.")})
    before = snapshot(plan)
    for key, value in values.items():
        setattr(plan, key, value.strip() if isinstance(value, str) else value)
    _period_years(plan.period_years)
    _check_plan_inputs(plan.need_persons, plan.need_uam_persons, plan.weights, plan.source)
    bump(plan, user)
    plan.save()
    _propose(plan)
    do_record(user, "update", plan, before)
    return plan


def _allocation_for_update(user, allocation_id: int) -> PlanAllocation:
    allocation = (
        PlanAllocation.objects.select_for_update()
        .select_related("municipality", "plan")
        .get(pk=allocation_id)
    )
    if not can_adjust(user, allocation.municipality.number):
        raise PermissionDenied(
            _("Bare IMDi nasjonalt og regionkontoret for kommunen kan endre kommunens tall.")
        )
    if allocation.plan.approved:
        raise Conflict(
            _("Planen for %(year)s er godkjent og anmodningene er sendt; den kan ikke endres.")
            % {"year": allocation.plan.year}
        )
    return allocation


@transaction.atomic
def do_adjust_allocation(
    user,
    allocation_id: int,
    *,
    persons: int,
    uam_persons: int = 0,
    reason: str,
    expected_version: int | None = None,
) -> PlanAllocation:
    """A regional office's adjustment of one municipality's figure, with its reason (required).
    The plan's sum may then differ from the need: the plan shows the difference. Audited with the
    reason."""
    allocation = _allocation_for_update(user, allocation_id)
    check_version(allocation, expected_version)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Oppgi en begrunnelse for endringen.")
    if persons is None or persons < 0 or persons > MAX_NEED:
        errors["persons"] = _("Tallet må være mellom 0 og %(max)s.") % {"max": MAX_NEED}
    elif uam_persons is None or uam_persons < 0 or uam_persons > persons:
        errors["uam_persons"] = _("Enslige mindreårige kan ikke være flere enn antallet totalt.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(allocation)
    allocation.persons = persons
    allocation.uam_persons = uam_persons
    allocation.adjusted = True
    allocation.reason = reason.strip()
    bump(allocation, user)
    allocation.save()
    do_record(user, "update", allocation, before, note=allocation.reason)
    return allocation


@transaction.atomic
def do_assess_quality(
    user,
    allocation_id: int,
    *,
    quality: int,
    note: str = "",
    expected_version: int | None = None,
) -> PlanAllocation:
    """The regional office's assessment of the quality of a municipality's settlement work (1–5,
    3 neutral), one of the criteria: the plan's proposal is computed again. Audited."""
    allocation = _allocation_for_update(user, allocation_id)
    check_version(allocation, expected_version)
    if quality not in range(1, 6):
        raise ValidationError({"quality": _("Vurderingen må være fra 1 til 5.")})
    before = snapshot(allocation)
    allocation.quality = quality
    allocation.quality_note = (note or "").strip()
    bump(allocation, user)
    allocation.save()
    do_record(user, "update", allocation, before, note=allocation.quality_note)
    _propose(allocation.plan)
    return allocation


@transaction.atomic
def do_balance_plan(user, plan_id: int, *, expected_version: int | None = None) -> int:
    """Bring the plan's sum back to the need: the difference is spread over the municipalities
    whose figures were not adjusted, in proportion to their figures. IMDi national only; audited
    on the plan. Returns the persons moved (positive: added)."""
    if not can_plan(user):
        raise PermissionDenied(_("Bare IMDi nasjonalt kan fordele differansen."))
    plan = _plan_for_update(plan_id)
    check_version(plan, expected_version)
    rows = {a.municipality_id: a for a in plan.allocations.all()}
    difference = plan.need_persons - sum(a.persons for a in rows.values())
    if difference == 0:
        return 0
    fixed = {str(k) for k, a in rows.items() if a.adjusted}
    figures = spread_difference(difference, {str(k): a.persons for k, a in rows.items()}, fixed)
    moved = []
    for key, value in figures.items():
        row = rows[int(key)]
        if row.persons != value:
            row.persons = value
            row.uam_persons = min(row.uam_persons, value)
            moved.append(row)
    PlanAllocation.objects.bulk_update(moved, ["persons", "uam_persons"], batch_size=1000)
    before = snapshot(plan)
    bump(plan, user)
    plan.save()
    do_record(
        user,
        "update",
        plan,
        before,
        note=_("Differansen %(diff)s fordelt på %(n)s kommuner.")
        % {"diff": difference, "n": len(moved)},
    )
    return difference


@transaction.atomic
def do_approve_plan(
    user, plan_id: int, *, accept_difference: bool = False, expected_version: int | None = None
) -> list[SettlementRequest]:
    """Approve the planning year: every municipality with a figure above 0 gets IMDi's request
    ("anmodning") for the year — for three years with a three-year plan — sent today. IMDi
    national only; audited.

    Refused (nothing written) while the sum differs from the need unless ``accept_difference``,
    and when a municipality has a request for one of the years already (naming it). Once the
    approval is committed, the hooks registered with ``registry.register_approval_hook`` run with
    the plan and its new requests (``planning.tasks`` enqueues the request letters)."""
    if not can_plan(user):
        raise PermissionDenied(_("Bare IMDi nasjonalt kan godkjenne planen."))
    plan = _plan_for_update(plan_id)
    check_version(plan, expected_version)
    allocations = list(plan.allocations.select_related("municipality").filter(persons__gt=0))
    total = sum(a.persons for a in plan.allocations.all())
    difference = total - plan.need_persons
    if difference and not accept_difference:
        raise Conflict(
            _(
                "Summen av kommunenes tall (%(total)s) avviker fra behovet (%(need)s) med "
                "%(diff)s. Fordel differansen, eller bekreft at planen godkjennes med avviket."
            )
            % {"total": total, "need": plan.need_persons, "diff": f"{difference:+d}"}
        )
    years = list(range(plan.year, plan.year + plan.period_years))
    taken = (
        SettlementRequest.objects.filter(
            year__in=years,
            supplementary=False,
            municipality__in=[a.municipality_id for a in allocations],
        )
        .select_related("municipality")
        .order_by("municipality__number", "year")
    )
    clash = list(taken[:4])
    if clash:
        names = ", ".join(f"{r.municipality.name} ({r.year})" for r in clash[:3])
        raise AlreadyExists(
            _(
                "%(count)s kommuner har allerede anmodning for perioden, blant dem %(names)s. "
                "Ingenting er sendt."
            )
            % {"count": taken.values("municipality").distinct().count(), "names": names}
        )
    today = clock.today()
    made = []
    for allocation in allocations:
        for year in years:
            request = SettlementRequest(
                municipality=allocation.municipality,
                year=year,
                persons=allocation.persons,
                uam_persons=allocation.uam_persons,
                period_start=plan.year,
                period_years=plan.period_years,
                sent_on=today,
                provenance=Provenance.ENTERED,
            )
            request.full_clean(validate_unique=False)
            bump(request, user)
            made.append(request)
    SettlementRequest.objects.bulk_create(made, batch_size=1000)
    made = list(
        SettlementRequest.objects.filter(
            year__in=years, supplementary=False, sent_on=today, period_start=plan.year
        ).filter(municipality__in=[a.municipality_id for a in allocations])
    )
    do_record_many(user, "create", [(r, None, None) for r in made])
    before = snapshot(plan)
    plan.status = PlanStatus.APPROVED
    plan.approved_on = today
    plan.approved_by = user if user is not None and user.is_authenticated else None
    bump(plan, user)
    plan.save()
    do_record(
        user, "update", plan, before, note=_("Godkjent: %(n)s anmodninger.") % {"n": len(made)}
    )
    request_ids = [r.pk for r in made]
    transaction.on_commit(lambda: registry.run_approval_hooks(plan.pk, request_ids))
    return made


# --- the request letter ("anmodningsbrev") ---------------------------------------------------------


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


def do_make_plan_request_letters(user, request_ids: list[int]) -> list:
    """The request letters of an approved plan: one per municipality and period — made from the
    request for the period's first year, which covers every year of the period — skipping a
    request that has its letter already (the job may run again). ``user`` None is the system.

    Returns the letters made."""
    letter_ids = lettered_objects(
        LetterKind.REQUEST, SettlementRequest._meta.label_lower, request_ids
    )
    firsts = SettlementRequest.objects.filter(pk__in=request_ids).order_by(
        "municipality_id", "year"
    )
    made = []
    for req in firsts:
        if req.period_start not in (None, req.year) or req.pk in letter_ids:
            continue
        made.append(do_make_request_letter(user, req.pk))
    return made
