"""Writes of matching rounds ("utsøking"): database -> engine instance -> draft proposals -> review ->
send -> the municipality accepts or declines.

A round is started by ``do_start_round`` (stores its inputs and enqueues ``tasks.run_round_task`` as
a background job in the same transaction); ``run_round`` builds the exchange-format instance of ``matching.md`` from the database with a
handful of bulk queries, calls the engine and stores the result as draft proposals with their
explanations. See docs/pipeline.md for how the instance is built and the demo assumptions.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from bosetting.apps.accounts.models import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.audit.services import do_record, snapshot
from bosetting.apps.cases import services as case_services
from bosetting.apps.cases.models import CaseStatus, Household, HouseholdType, Person
from bosetting.apps.cases.selectors import case_today
from bosetting.apps.housing.models import UnitKind
from bosetting.apps.matching.models import DeclineReason, MatchingRound, Proposal

FORMAT = "bosetting.matching/1"
HORIZON_DAYS = 90
# Dispersal: most households one round places in one zone (demo assumption, docs/pipeline.md).
ZONE_CAP = 10
WEIGHTS = {"settle": 10.0, "wait": 4.0, "ties": 3.0, "labour": 1.0, "fit": 2.0}
# Demo assumption: municipalities of this size offer the special services (docs/pipeline.md).
HEALTH_HIGH_MIN_POPULATION = 20_000
DISABILITY_MIN_POPULATION = 10_000
PENDING_STATUSES = (
    CaseStatus.PROPOSED,
    CaseStatus.ACCEPTED,
    CaseStatus.PREPARING,
    CaseStatus.SELF_SETTLEMENT_PENDING,
)
DEMO_AS_OF = date(2015, 1, 5)
DEMO_LABEL = "Demo-runde 5. januar 2015"
DEMO_TIME_LIMIT = 20.0


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- starting and running a round ----------------------------------------------------------------


@transaction.atomic
def _create_round(
    user,
    as_of: date,
    solver: str,
    time_limit: float,
    municipality_numbers: list[str] | None,
    label: str = "",
) -> MatchingRound:
    scope = scope_for(user) if user is not None else None
    if user is not None and scope.role not in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL):
        raise PermissionDenied(_("Bare IMDi kan kjøre utsøkingsrunder."))
    if solver not in ("optimal", "greedy"):
        raise ValidationError(_("Ukjent løser: %(s)s") % {"s": solver})
    if not time_limit or time_limit <= 0 or time_limit > 600:
        raise ValidationError(_("Tidsgrensen må være mellom 0 og 600 sekunder."))
    numbers = sorted(set(municipality_numbers)) if municipality_numbers else []
    if scope is not None and scope.municipality_numbers is not None:
        outside = [n for n in numbers if not scope.covers(n)]
        if outside:
            raise PermissionDenied(
                _("Kommuner utenfor din region: %(n)s") % {"n": ", ".join(outside)}
            )
        numbers = numbers or sorted(scope.municipality_numbers)
    rnd = MatchingRound.objects.create(
        label=label,
        as_of=as_of,
        created_by=_user_or_none(user),
        solver=solver,
        time_limit_seconds=float(time_limit),
        scope_municipalities=numbers,
    )
    do_record(
        user,
        "create",
        rnd,
        after={
            "as_of": as_of,
            "solver": solver,
            "time_limit_seconds": time_limit,
            "scope_municipalities": numbers,
        },
    )
    return rnd


def do_start_round(
    user,
    *,
    as_of: date,
    solver: str = "optimal",
    time_limit: float = 30.0,
    municipality_numbers: list[str] | None = None,
) -> MatchingRound:
    """Start a matching round ("start utsøkingsrunde") as a background task.

    An IMDi regional officer's round covers only its region's municipalities (asking for others is
    refused); IMDi national may limit a round to some municipalities or run the whole country.
    The job is enqueued in the transaction that creates the round, so both are stored or neither;
    the job's id is kept on the round (``task_id``).
    """
    from bosetting.apps.matching.tasks import run_round_task

    with transaction.atomic():
        rnd = _create_round(user, as_of, solver, time_limit, municipality_numbers)
        job = run_round_task.enqueue(rnd.pk)
        MatchingRound.objects.filter(pk=rnd.pk).update(task_id=str(job.id))
    rnd.refresh_from_db()
    return rnd


def do_fail_round(round_id: int, error: str) -> None:
    """Mark a queued or running round failed with ``error`` ("runden feilet").

    Called when its background job is given up; a round that has finished is left as it is.
    """
    MatchingRound.objects.filter(
        pk=round_id, status__in=(MatchingRound.Status.QUEUED, MatchingRound.Status.RUNNING)
    ).update(status=MatchingRound.Status.FAILED, error=error[:2000])


def _set(rnd: MatchingRound, **fields) -> None:
    for key, value in fields.items():
        setattr(rnd, key, value)
    MatchingRound.objects.filter(pk=rnd.pk).update(**fields)


def used_capacity(year: int, municipality_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Persons (and UAM persons) counted against each municipality's decision for a year: settled
    there that year, or proposed/accepted/in preparation/self-settlement pending there."""
    used = Q(household__municipality_id__in=municipality_ids) & (
        Q(household__status__in=PENDING_STATUSES) | Q(household__settled_on__year=year)
    )
    persons = dict(
        Person.objects.filter(used)
        .values_list("household__municipality_id")
        .annotate(n=Count("id"))
        .values_list("household__municipality_id", "n")
    )
    uam = dict(
        Person.objects.filter(used, household__household_type=HouseholdType.UAM)
        .values_list("household__municipality_id")
        .annotate(n=Count("id"))
        .values_list("household__municipality_id", "n")
    )
    return persons, uam


def free_units(municipality_ids: list[int], until: date):
    """Units reported available by ``until``, with no lease that has begun by then and runs past the
    unit's free date, and not held by pending cases (a shared unit keeps its remaining beds).

    Annotates ``held_n``: households holding the unit (proposed, accepted, in preparation)."""
    from bosetting.apps.housing.models import HousingUnit, Lease, UnitKind

    overlapping = Lease.objects.filter(unit=OuterRef("pk"), start__lte=until).filter(
        Q(end__isnull=True) | Q(end__gt=OuterRef("available_from"))
    )
    held = (
        Household.objects.filter(unit=OuterRef("pk"), status__in=PENDING_STATUSES)
        .order_by()
        .values("unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        HousingUnit.objects.filter(
            municipality_id__in=municipality_ids,
            available_from__isnull=False,
            available_from__lte=until,
        )
        .annotate(busy=Exists(overlapping), held_n=Coalesce(Subquery(held), 0))
        .filter(busy=False)
        .filter(
            (Q(kind=UnitKind.SHARED) & Q(held_n__lt=F("beds")))
            | (~Q(kind=UnitKind.SHARED) & Q(held_n=0))
        )
    )


def capacity_for(municipality, year: int) -> dict | None:
    """A municipality's decision for a year and what is left of it (None: no decision registered)."""
    from bosetting.apps.planning.models import CouncilDecision

    decision = CouncilDecision.objects.filter(municipality=municipality, year=year).first()
    if decision is None:
        return None
    persons, _uam = used_capacity(year, [municipality.pk])
    used = persons.get(municipality.pk, 0)
    return {"decided": decision.persons, "used": used, "left": max(decision.persons - used, 0)}


def build_instance(as_of: date, municipality_numbers: list[str] | None = None) -> dict:
    """The exchange-format instance (``matching.md``) for a day, from the database, in bulk queries.

    - households: settlement-ready (status ``ready``), ages on ``as_of`` from birth years;
    - municipalities: with a council decision for ``as_of.year`` and capacity left, where capacity =
      decided persons minus persons settled there that year and persons proposed/accepted/in
      preparation there (pending); UAM capacity likewise;
    - units: of those municipalities, reported available (``available_from`` set and within the
      horizon), with no lease overlapping that date and not reserved by a pending case.
    """
    from bosetting.apps.geo.models import MunicipalityYearStat
    from bosetting.apps.planning.models import CouncilDecision

    year = as_of.year
    decisions = CouncilDecision.objects.filter(year=year, municipality__structure_year=2014)
    if municipality_numbers:
        decisions = decisions.filter(municipality__number__in=municipality_numbers)
    decisions = list(decisions.select_related("municipality"))
    muni_ids = [d.municipality_id for d in decisions]

    used_persons, used_uam = used_capacity(year, muni_ids)
    stats: dict[int, tuple[int, float | None, int | None]] = {}
    for s in MunicipalityYearStat.objects.filter(
        municipality_id__in=muni_ids, year__lte=year
    ).order_by("year"):
        prev = stats.get(s.municipality_id, (0, None, None))
        stats[s.municipality_id] = (
            s.year,
            s.employment_rate_pct if s.employment_rate_pct is not None else prev[1],
            s.population if s.population is not None else prev[2],
        )
    municipalities = []
    number_of: dict[int, str] = {}
    for d in decisions:
        m = d.municipality
        capacity = d.persons - used_persons.get(m.pk, 0)
        if capacity <= 0:
            continue
        capacity_uam = max(min(d.uam_persons - used_uam.get(m.pk, 0), capacity), 0)
        _year, employment, population = stats.get(m.pk, (0, None, None))
        services = []
        if population and population >= HEALTH_HIGH_MIN_POPULATION:
            services.append("health_high")
        if population and population >= DISABILITY_MIN_POPULATION:
            services.append("disability")
        municipalities.append(
            {
                "id": m.number,
                "name": m.name,
                "capacity_persons": int(capacity),
                "capacity_uam": int(capacity_uam),
                "labour_index": round(min(max((employment or 0.0) / 100.0, 0.0), 1.0), 4),
                "services": services,
            }
        )
        number_of[m.pk] = m.number

    horizon_end = as_of + timedelta(days=HORIZON_DAYS)
    units_qs = (
        free_units(list(number_of), horizon_end)
        .values_list(
            "code",
            "municipality_id",
            "kind",
            "bedrooms",
            "max_occupants",
            "beds",
            "zone",
            "accessible",
            "available_from",
            "held_n",
        )
        .order_by("municipality_id", "code")
    )
    units = [
        {
            "id": code,
            "municipality": number_of[muni_id],
            "kind": kind,
            "bedrooms": int(bedrooms),
            "max_occupants": int(max(max_occupants, 1)),
            "beds": int(max(beds - held_n, 1)),
            "zone": zone or number_of[muni_id],
            "accessible": bool(accessible),
            "available_from": available.isoformat(),
        }
        for (
            code,
            muni_id,
            kind,
            bedrooms,
            max_occupants,
            beds,
            zone,
            accessible,
            available,
            held_n,
        ) in units_qs
    ]

    ages: dict[int, list[int]] = defaultdict(list)
    for hid, birth_year in Person.objects.filter(household__status=CaseStatus.READY).values_list(
        "household_id", "birth_year"
    ):
        ages[hid].append(max(year - birth_year, 0))
    households = []
    for hid, reference, htype, permit, needs, ties in (
        Household.objects.filter(status=CaseStatus.READY, permit_date__isnull=False)
        .values_list("pk", "reference", "household_type", "permit_date", "needs", "ties")
        .order_by("permit_date", "reference")
    ):
        if not ages.get(hid):
            continue
        households.append(
            {
                "id": reference,
                "persons": [{"age": a} for a in ages[hid]],
                "permit_date": permit.isoformat(),
                # A minor who has turned 18 while waiting is settled as a single adult.
                "uam": htype == HouseholdType.UAM and all(a < 18 for a in ages[hid]),
                "needs": [
                    n for n in (needs or []) if n in ("accessible", "health_high", "disability")
                ],
                "ties": [str(t) for t in (ties or [])],
            }
        )
    return {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "horizon_days": HORIZON_DAYS,
        "zone_cap": ZONE_CAP,
        "weights": dict(WEIGHTS),
        "municipalities": municipalities,
        "units": units,
        "households": households,
    }


def run_round(round_id: int) -> str:
    """The task body of a round: build the instance, solve, store draft proposals and the summary.

    Safe to run again: a round found ``running`` was left so by an attempt that died (the job is
    queued again only then), so it starts over cleanly — its draft proposals and figures are
    dropped and rebuilt. A finished round (done or sent) is left alone. A failure is recorded on the
    round (status ``failed`` with the error) rather than raised.

    Returns:
        The status the round ended in (``""`` when the round no longer exists).
    """
    from bosetting.engine.matching import parse_instance, solve

    rnd = MatchingRound.objects.filter(pk=round_id).first()
    if rnd is None:
        return ""
    if rnd.status not in (
        MatchingRound.Status.QUEUED,
        MatchingRound.Status.RUNNING,
        MatchingRound.Status.FAILED,
    ):
        return rnd.status
    began = time.perf_counter()
    with transaction.atomic():
        Proposal.objects.filter(round=rnd, status=Proposal.Status.DRAFT).delete()
        _set(
            rnd,
            status=MatchingRound.Status.RUNNING,
            progress=0.05,
            error="",
            summary=None,
            instance=None,
        )
    try:
        data = build_instance(rnd.as_of, rnd.scope_municipalities or None)
        build_seconds = time.perf_counter() - began
        _set(rnd, instance=data, progress=0.2)
        instance = parse_instance(data)
        result = solve(instance, solver=rnd.solver, time_limit=rnd.time_limit_seconds)
        _set(rnd, progress=0.9)
        _store_proposals(rnd, data, result)
        summary = {
            **result.summary(),
            "status": result.status,
            "households_in": len(data["households"]),
            "units_in": len(data["units"]),
            "municipalities_in": len(data["municipalities"]),
            "municipalities_proposed": len({a.municipality_id for a in result.assignments}),
            "build_seconds": round(build_seconds, 3),
            "total_seconds": round(time.perf_counter() - began, 3),
        }
        _set(rnd, summary=summary, status=MatchingRound.Status.DONE, progress=1.0)
    except Exception as exc:  # noqa: BLE001 - the round records its own failure for the officer
        _set(rnd, status=MatchingRound.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
    return rnd.status


@transaction.atomic
def _store_proposals(rnd: MatchingRound, data: dict, result) -> None:
    from bosetting.apps.geo.models import Municipality
    from bosetting.apps.housing.models import HousingUnit

    refs = [a.household_id for a in result.assignments]
    households = dict(Household.objects.filter(reference__in=refs).values_list("reference", "pk"))
    units = dict(
        HousingUnit.objects.filter(code__in=[a.unit_id for a in result.assignments]).values_list(
            "code", "pk"
        )
    )
    munis = dict(
        Municipality.objects.filter(
            structure_year=2014, number__in=[a.municipality_id for a in result.assignments]
        ).values_list("number", "pk")
    )
    proposals = []
    for a in result.assignments:
        explanation = a.explanation.as_dict()
        explanation["text_nb"] = a.explanation.text_nb()
        proposals.append(
            Proposal(
                round=rnd,
                household_id=households[a.household_id],
                municipality_id=munis[a.municipality_id],
                unit_id=units[a.unit_id],
                score=float(a.score),
                explanation=explanation,
            )
        )
    Proposal.objects.filter(round=rnd, status=Proposal.Status.DRAFT).delete()
    Proposal.objects.bulk_create(proposals, batch_size=1000)


# --- review and send ------------------------------------------------------------------------------


def _may_send(user, rnd: MatchingRound) -> bool:
    scope = scope_for(user)
    if scope.role == Role.IMDI_NATIONAL:
        return True
    if scope.role == Role.IMDI_REGIONAL:
        numbers = set(rnd.scope_municipalities or ())
        return bool(numbers) and numbers <= set(scope.municipality_numbers or ())
    return False


@transaction.atomic
def do_send_round(user, round_id: int) -> int:
    """Send a finished round's draft proposals to the municipalities ("send forslag").

    Households still settlement-ready become ``proposed`` (with the municipality and unit); drafts whose
    household has moved on meanwhile are withdrawn. Returns the number of proposals sent.
    """
    rnd = MatchingRound.objects.select_for_update().get(pk=round_id)
    if not _may_send(user, rnd):
        raise PermissionDenied(_("Du kan ikke sende forslag fra denne runden."))
    if rnd.status != MatchingRound.Status.DONE:
        raise ValidationError(
            _("Runden kan bare sendes når den er ferdig (nå: «%(s)s»).")
            % {"s": rnd.get_status_display()}
        )
    on = case_today()
    drafts = list(
        Proposal.objects.filter(round=rnd, status=Proposal.Status.DRAFT)
        .select_related("unit")
        .order_by("-score", "pk")
    )
    households = Household.objects.select_for_update().in_bulk([p.household_id for p in drafts])
    unit_ids = sorted({p.unit_id for p in drafts if p.unit_id is not None})
    load = Counter(
        dict(
            Household.objects.filter(unit_id__in=unit_ids, status__in=PENDING_STATUSES)
            .order_by()
            .values("unit_id")
            .annotate(n=Count("pk"))
            .values_list("unit_id", "n")
        )
    )
    to_send, withdrawn, proposal_audits, withdraw_audits = [], [], [], []
    for proposal in drafts:
        before = snapshot(proposal)
        household = households[proposal.household_id]
        unit = proposal.unit
        room = 1 if unit is None or unit.kind != UnitKind.SHARED else max(unit.beds, 1)
        if household.status != CaseStatus.READY or (unit and load[unit.pk] >= room):
            proposal.status = Proposal.Status.WITHDRAWN
            withdrawn.append(proposal)
            withdraw_audits.append((proposal, before, snapshot(proposal)))
            continue
        if unit is not None:
            load[unit.pk] += 1
        to_send.append((household, proposal.municipality_id, proposal.unit_id))
        proposal.status = Proposal.Status.SENT
        proposal.sent_on = on
        proposal_audits.append((proposal, before, snapshot(proposal)))
    case_services.apply_proposed_many(user, to_send, on)
    Proposal.objects.bulk_update(
        [p for p, _b, _a in proposal_audits] + withdrawn, ["status", "sent_on"], batch_size=500
    )
    case_services.record_many(user, "send", proposal_audits)
    case_services.record_many(
        user,
        "withdraw",
        withdraw_audits,
        note=_("Husholdningen eller boligen er ikke lenger ledig."),
    )
    sent = len(to_send)
    before = snapshot(rnd)
    rnd.status = MatchingRound.Status.SENT
    rnd.save()
    do_record(user, "send", rnd, before, snapshot(rnd), note=str(sent))
    return sent


def _may_answer(user, proposal: Proposal) -> bool:
    """The receiving municipality answers; IMDi may register an answer given by other means."""
    scope = scope_for(user)
    if scope.role == Role.IMDI_NATIONAL:
        return True
    if scope.role in (Role.MUNICIPAL, Role.IMDI_REGIONAL):
        return scope.covers(proposal.municipality.number)
    return False


def _sent_proposal(user, proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("municipality", "unit", "household")
        .get(pk=proposal_id)
    )
    if not _may_answer(user, proposal):
        raise PermissionDenied(_("Forslaget er ikke sendt til din kommune."))
    if proposal.status != Proposal.Status.SENT:
        raise ValidationError(
            _("Forslaget er allerede besvart (status «%(s)s»).")
            % {"s": proposal.get_status_display()}
        )
    return proposal


@transaction.atomic
def do_accept_proposal(user, proposal_id: int) -> Proposal:
    """The municipality accepts a proposal ("aksepterer"): the household is accepted, the unit reserved."""
    proposal = _sent_proposal(user, proposal_id)
    on = case_today()
    before = snapshot(proposal)
    household = Household.objects.select_for_update().get(pk=proposal.household_id)
    case_services.apply_accepted(user, household, proposal.unit, on)
    proposal.status = Proposal.Status.ACCEPTED
    proposal.decided_on = on
    proposal.save()
    do_record(user, "accept", proposal, before, snapshot(proposal))
    return proposal


@transaction.atomic
def do_decline_proposal(user, proposal_id: int, reason: str, text: str) -> Proposal:
    """The municipality declines a proposal ("avslår") with a reason code and free text.

    Municipalities may not choose individuals, so every decline is recorded and reported per
    municipality. The household goes back to the queue with its permit date — its waiting time — intact.
    """
    if reason not in DeclineReason.values:
        raise ValidationError(_("Ukjent avslagsgrunn: %(r)s") % {"r": reason})
    text = (text or "").strip()
    if reason == DeclineReason.OTHER and not text:
        raise ValidationError(_("Skriv en begrunnelse når grunnen er «Annet»."))
    proposal = _sent_proposal(user, proposal_id)
    on = case_today()
    before = snapshot(proposal)
    proposal.status = Proposal.Status.DECLINED
    proposal.decided_on = on
    proposal.decline_reason = reason
    proposal.decline_text = text
    proposal.save()
    do_record(user, "decline", proposal, before, snapshot(proposal), note=text)
    household = Household.objects.select_for_update().get(pk=proposal.household_id)
    label = str(DeclineReason(reason).label)
    case_services.apply_returned(
        user,
        household,
        on,
        _("Avslått av %(m)s: %(r)s") % {"m": proposal.municipality.name, "r": label}
        + (f" – {text}" if text else ""),
    )
    return proposal


def decline_counts(user, year: int | None = None) -> list[dict]:
    """Declines per municipality and reason (reported, since municipalities may not pick individuals)."""
    from bosetting.apps.matching.selectors import proposals_for

    qs = proposals_for(user).filter(status=Proposal.Status.DECLINED)
    if year:
        qs = qs.filter(decided_on__year=year)
    return list(
        qs.values("municipality__number", "municipality__name", "decline_reason")
        .annotate(n=Count("id"))
        .order_by("municipality__number", "decline_reason")
    )


# --- the demo's main job ----------------------------------------------------------------------------


def do_demo_round(console=None) -> dict:
    """Run the demo's matching round once (IMDi national, as of 5 January 2015), synchronously.

    Idempotent: when the demo round exists already, its figures are returned and nothing is run.
    Returns households/persons proposed, municipalities, objective, upper bound, gap and seconds.
    """
    from django.contrib.auth import get_user_model

    rnd = MatchingRound.objects.filter(label=DEMO_LABEL).first()
    if rnd is None or rnd.status == MatchingRound.Status.FAILED:
        user = get_user_model().objects.filter(username="imdi.nasjonal").first()
        if rnd is None:
            rnd = _create_round(user, DEMO_AS_OF, "optimal", DEMO_TIME_LIMIT, None, DEMO_LABEL)
        if console is not None:
            with console.status("Utsøkingsrunde (hovedjobb) …"):
                run_round(rnd.pk)
        else:
            run_round(rnd.pk)
        rnd.refresh_from_db()
    if rnd.status == MatchingRound.Status.FAILED:
        raise RuntimeError(f"demo round failed: {rnd.error}")
    s = rnd.summary or {}
    figures = {
        "runde": rnd.pk,
        "husholdninger foreslått": s.get("households_placed", 0),
        "personer foreslått": s.get("persons_placed", 0),
        "kommuner": s.get("municipalities_proposed", 0),
        "husholdninger i kø": s.get("households_in", 0),
        "ledige boliger": s.get("units_in", 0),
        "målverdi": round(s.get("objective") or 0.0, 2),
        "øvre grense": None if s.get("upper_bound") is None else round(s["upper_bound"], 2),
        "gap": None if s.get("gap") is None else round(s["gap"], 6),
        "sekunder": round(s.get("total_seconds") or s.get("seconds") or 0.0, 2),
    }
    return figures
