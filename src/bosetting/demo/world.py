"""Build the demo world: Norway at the end of 2014.

Real: the 2014 municipality structure with populations and employment, each municipality's actual
requests, council decisions and settled counts for 2012–2014 (loaded by ``load-reference``).
Synthetic (``synthetic=True`` on every row): the individual households and persons, reception centres,
housing units and leases, and the 2015 requests/decisions (real national totals of Table 2.3 shared out
by each municipality's 2014 figures).

The settled households reproduce each municipality's real settled count per year exactly; their
waiting times follow Table 2.2 (mean months permit → settlement 6.7, 8.0, 8.3 for 2012–2014). About
5,200 settlement-ready persons wait in reception at 31 December 2014, about 70% single adults, about
120 unaccompanied minors, with permit dates spread so that about half are long-waiters (Table 2.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.db import transaction

from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.cases.models import CaseEvent, Household, Person
from bosetting.apps.geo.models import DemoWorld, Municipality, MunicipalityYearStat, ReceptionCentre
from bosetting.apps.housing.choices import UnitKind
from bosetting.apps.housing.models import HousingUnit, Lease
from bosetting.apps.planning.choices import Provenance
from bosetting.apps.planning.models import CouncilDecision, ReportedSettlement, SettlementRequest

AS_OF = date(2014, 12, 31)
MONTH_DAYS = 30.4375
# Table 2.2: mean months from permit to settlement, by year of settlement.
MEAN_WAIT_MONTHS = {2012: 6.7, 2013: 8.0, 2014: 8.3}
# Table 2.3: national requests and decisions for 2015 (per December 2014).
NATIONAL_2015 = {"requested": 10639, "decided": 6479}
WAITING_PERSONS = 5214  # Table 2.1, settlement-ready in reception, end of November 2014
LONG_WAITER_SHARE = 2805 / 5214  # Table 2.1: long-waiters among them
UAM_WAITING = 120  # report L1355–1358
EARLY_STAGE_PERSONS = 300  # permits granted in December, not yet settlement-ready

Progress = Callable[[str, float], None]


@dataclass
class _HouseholdDraft:
    household: Household
    birth_years: list[int]
    municipality: Municipality | None


def _noop(_: str, __: float) -> None:
    return None


def _family_sizes(rng: np.random.Generator, persons: int, single_share: float = 0.7) -> list[int]:
    """Split ``persons`` into household sizes: about ``single_share`` of the persons are single adults,
    the rest families of 2–8 (large families rarer). Order shuffled."""
    family_sizes = np.array([2, 3, 4, 5, 6, 7, 8])
    family_p = np.array([0.22, 0.24, 0.22, 0.14, 0.10, 0.05, 0.03])
    singles = int(rng.binomial(persons, single_share)) if persons > 0 else 0
    remaining = persons - singles
    sizes = [1] * singles
    while remaining > 0:
        size = min(int(rng.choice(family_sizes, p=family_p)), remaining)
        sizes.append(size)
        remaining -= size
    order = rng.permutation(len(sizes))
    return [sizes[i] for i in order]


def _members(rng: np.random.Generator, size: int, on: date, uam: bool) -> tuple[list[int], str]:
    """Birth years of a household's members and its type."""
    if uam:
        return [on.year - int(rng.integers(14, 18))], HouseholdType.UAM
    if size == 1:
        return [on.year - int(rng.integers(18, 45))], HouseholdType.SINGLE
    parent_age = int(rng.integers(24, 50))
    with_children = rng.random() < 0.85 or size > 2
    if not with_children:
        return [
            on.year - parent_age,
            on.year - parent_age + int(rng.integers(-5, 6)),
        ], HouseholdType.FAMILY_NO_CHILDREN
    adults = 2 if size >= 3 and rng.random() < 0.8 else 1
    years = [on.year - parent_age] + (
        [on.year - parent_age + int(rng.integers(-6, 4))] if adults == 2 else []
    )
    for _ in range(size - adults):
        years.append(on.year - int(rng.integers(0, min(17, parent_age - 17))))
    return years, HouseholdType.FAMILY_CHILDREN


def _phase_dates(rng: np.random.Generator, permit: date, end: date) -> dict[str, date]:
    """Phase dates between permit and ``end`` (settlement or today), in the report's order."""
    span = max((end - permit).days, 4)
    fractions = np.sort(rng.uniform(0.05, 0.35, size=3))
    notified = permit + timedelta(days=int(span * fractions[0] * 0.4) + 1)
    interview = permit + timedelta(days=int(span * fractions[1] * 0.7) + 2)
    ready = permit + timedelta(days=int(span * fractions[2]) + 3)
    return {"notified_on": notified, "interview_on": interview, "ready_on": min(ready, end)}


@transaction.atomic
def build_demo_world(seed: int = 2014, progress: Progress = _noop) -> dict[str, int]:
    """Create the demo world in an empty (reference-loaded) database. Idempotent per database: if a demo
    world exists already, nothing is written and its summary is returned."""
    existing = DemoWorld.objects.first()
    if existing is not None:
        return {**existing.summary, "already_loaded": 1}
    munis = list(Municipality.objects.filter(structure_year=2014).select_related("county"))
    if not munis:
        raise RuntimeError("reference data missing: run `bosetting load-reference` first")
    rng = np.random.default_rng(seed)
    by_number = {m.number: m for m in munis}
    population = {
        s.municipality_id: s.population or 0
        for s in MunicipalityYearStat.objects.filter(municipality__structure_year=2014, year=2014)
    }
    pop_weights = np.array([population.get(m.pk, 0) for m in munis], dtype=float)
    pop_weights /= pop_weights.sum()

    progress("mottak", 0.02)
    centres = _reception_centres(rng, munis, pop_weights)

    progress("vedtak og anmodninger 2015 (syntetisk fordeling av nasjonale tall)", 0.05)
    _requests_decisions_2015(munis)

    progress("bosatte husholdninger 2012–2014", 0.1)
    counter = [0]
    households: list[_HouseholdDraft] = []
    reported = ReportedSettlement.objects.filter(
        year__in=(2012, 2013, 2014), municipality__structure_year=2014
    )
    for rs in reported.select_related("municipality"):
        for size in _family_sizes(rng, rs.persons):
            households.append(
                _settled_household(
                    rng, rs.municipality, rs.year, size, counter, by_number, munis, pop_weights
                )
            )

    progress("bosettingsklare i mottak", 0.4)
    households.extend(_waiting_households(rng, centres, counter, munis, pop_weights))

    progress("lagrer husholdninger", 0.5)
    Household.objects.bulk_create([d.household for d in households], batch_size=2000)
    persons = []
    events = []
    for d in households:
        h = d.household
        for i, birth_year in enumerate(d.birth_years):
            persons.append(
                Person(
                    household=h,
                    birth_year=birth_year,
                    sex="mf"[int(rng.integers(0, 2))],
                    is_principal=i == 0,
                )
            )
        previous = ""
        for status, field in (
            (CaseStatus.PERMIT_GRANTED, "permit_date"),
            (CaseStatus.NOTIFIED, "notified_on"),
            (CaseStatus.INTERVIEWED, "interview_on"),
            (CaseStatus.READY, "ready_on"),
            (CaseStatus.PROPOSED, "proposed_on"),
            (CaseStatus.ACCEPTED, "accepted_on"),
            (CaseStatus.PREPARING, "agreement_on"),
            (CaseStatus.SETTLED, "settled_on"),
        ):
            on = getattr(h, field)
            if on is None:
                continue
            events.append(
                CaseEvent(household=h, from_status=previous, to_status=status, on=on, note="demo")
            )
            previous = status
    Person.objects.bulk_create(persons, batch_size=5000)
    progress("lagrer hendelser", 0.65)
    CaseEvent.objects.bulk_create(events, batch_size=5000)

    progress("boliger og leiekontrakter", 0.8)
    unit_count, lease_count = _units_and_leases(
        rng, munis, [d for d in households if d.household.settled_on]
    )

    progress("boligkarriere og økonomi", 0.9)
    from bosetting.apps.finance.services import do_seed_demo_finance
    from bosetting.apps.housing.services import do_seed_demo_careers

    do_seed_demo_careers()
    do_seed_demo_finance(seed)

    summary = {
        "seed": seed,
        "households": len(households),
        "persons": len(persons),
        "units": unit_count,
        "leases": lease_count,
        "reception_centres": len(centres),
        "waiting_ready_persons": sum(
            len(d.birth_years) for d in households if d.household.status == CaseStatus.READY
        ),
    }
    DemoWorld.objects.create(seed=seed, as_of=AS_OF, summary=summary)
    progress("ferdig", 1.0)
    return summary


def _reception_centres(rng, munis, weights) -> list[ReceptionCentre]:
    chosen = rng.choice(len(munis), size=48, replace=False, p=weights)
    centres = []
    for i, idx in enumerate(sorted(chosen)):
        m = munis[idx]
        kind = (
            ReceptionCentre.Kind.UAM
            if i % 8 == 0
            else (
                ReceptionCentre.Kind.DECENTRALISED if i % 3 == 0 else ReceptionCentre.Kind.ORDINARY
            )
        )
        centres.append(
            ReceptionCentre(
                name=f"{m.name} mottak (syntetisk)",
                municipality=m,
                kind=kind,
                capacity_persons=int(rng.integers(60, 260)),
                synthetic=True,
            )
        )
    return ReceptionCentre.objects.bulk_create(centres)


def _requests_decisions_2015(munis) -> None:
    """2015: Table 2.3's real national totals shared out by each municipality's real 2014 figures."""
    req14 = {
        r.municipality_id: r.persons
        for r in SettlementRequest.objects.filter(year=2014, municipality__structure_year=2014)
    }
    dec14 = {
        d.municipality_id: d.persons
        for d in CouncilDecision.objects.filter(year=2014, municipality__structure_year=2014)
    }
    total_req, total_dec = sum(req14.values()), sum(dec14.values())
    reqs, decs = [], []
    for m in munis:
        if req14.get(m.pk):
            reqs.append(
                SettlementRequest(
                    municipality=m,
                    year=2015,
                    persons=round(req14[m.pk] * NATIONAL_2015["requested"] / total_req),
                    period_start=2014,
                    period_years=3,
                    provenance=Provenance.DEMO,
                )
            )
        if dec14.get(m.pk):
            decs.append(
                CouncilDecision(
                    municipality=m,
                    year=2015,
                    persons=max(1, round(dec14[m.pk] * NATIONAL_2015["decided"] / total_dec)),
                    uam_persons=max(0, round(dec14[m.pk] * 0.04)),
                    period_start=2014,
                    period_years=3,
                    decided_on=date(2014, 6, 19),
                    provenance=Provenance.DEMO,
                )
            )
    SettlementRequest.objects.bulk_create(reqs)
    CouncilDecision.objects.bulk_create(decs)


def _needs(rng) -> list[str]:
    needs = []
    if rng.random() < 0.03:
        needs.append("accessible")
    if rng.random() < 0.03:
        needs.append("health_high")
    if rng.random() < 0.01:
        needs.append("disability")
    return needs


def _ties(rng, munis, weights) -> list[str]:
    if rng.random() < 0.2:
        return [munis[int(rng.choice(len(munis), p=weights))].number]
    return []


def _reference(counter: list[int], year: int) -> str:
    counter[0] += 1
    return f"H{year}-{counter[0]:06d}"


def _settled_household(
    rng, muni, year, size, counter, by_number, munis, weights
) -> _HouseholdDraft:
    settled = date(year, 1, 1) + timedelta(days=int(rng.integers(0, 365)))
    uam = size == 1 and rng.random() < 0.03
    birth_years, htype = _members(rng, size, settled, uam)
    mean = MEAN_WAIT_MONTHS[year] * (
        0.7 if htype in (HouseholdType.FAMILY_CHILDREN, HouseholdType.UAM) else 1.1
    )
    wait_days = int((0.8 + rng.exponential(max(mean - 0.8, 0.5))) * MONTH_DAYS)
    permit = settled - timedelta(days=wait_days)
    case_opened = permit - timedelta(days=int(rng.gamma(4.0, 11.0 * MONTH_DAYS / 4.0)))
    phases = _phase_dates(rng, permit, settled)
    proposed = phases["ready_on"] + timedelta(
        days=int(max(0, (settled - phases["ready_on"]).days - 40) * rng.uniform(0.6, 1.0))
    )
    accepted = min(proposed + timedelta(days=int(rng.integers(3, 15))), settled)
    self_settled = rng.random() < 0.08
    h = Household(
        reference=_reference(counter, year),
        household_type=htype,
        status=CaseStatus.SETTLED,
        municipality=muni,
        case_opened=case_opened,
        permit_date=permit,
        settled_on=settled,
        proposed_on=None if self_settled else proposed,
        accepted_on=None if self_settled else accepted,
        agreement_on=accepted,
        self_settled=self_settled,
        needs=_needs(rng),
        ties=_ties(rng, munis, weights),
        synthetic=True,
        **phases,
    )
    return _HouseholdDraft(h, birth_years, muni)


def _waiting_households(rng, centres, counter, munis, weights) -> list[_HouseholdDraft]:
    drafts: list[_HouseholdDraft] = []
    uam_centres = [c for c in centres if c.kind == ReceptionCentre.Kind.UAM] or centres
    for _ in range(UAM_WAITING):
        drafts.append(
            _waiting(rng, 1, True, rng.choice(uam_centres), counter, munis, weights, ready=True)
        )
    ready_adults = WAITING_PERSONS - UAM_WAITING
    for size in _family_sizes(rng, ready_adults, single_share=0.7):
        drafts.append(
            _waiting(rng, size, False, rng.choice(centres), counter, munis, weights, ready=True)
        )
    for size in _family_sizes(rng, EARLY_STAGE_PERSONS, single_share=0.7):
        drafts.append(
            _waiting(rng, size, False, rng.choice(centres), counter, munis, weights, ready=False)
        )
    return drafts


def _waiting(rng, size, uam, centre, counter, munis, weights, ready: bool) -> _HouseholdDraft:
    if not ready:
        permit = AS_OF - timedelta(days=int(rng.integers(1, 30)))
    elif rng.random() < LONG_WAITER_SHARE:
        # long-waiters: more than 6 months since permit, thinning out towards two years
        permit = AS_OF - timedelta(days=int((6.05 + rng.exponential(4.0)) * MONTH_DAYS))
    else:
        permit = AS_OF - timedelta(days=int(rng.uniform(0.5, 6.0) * MONTH_DAYS))
    birth_years, htype = _members(rng, size, AS_OF, uam)
    case_opened = permit - timedelta(days=int(rng.gamma(4.0, 11.0 * MONTH_DAYS / 4.0)))
    needs = _needs(rng)
    h = Household(
        reference=_reference(counter, AS_OF.year),
        household_type=htype,
        status=CaseStatus.READY if ready else CaseStatus.NOTIFIED,
        reception_centre=centre,
        case_opened=case_opened,
        permit_date=permit,
        needs=needs,
        ties=_ties(rng, munis, weights),
        health_note="Syntetisk: behov for tett oppfølging av spesialisthelsetjenesten."
        if "health_high" in needs
        else "",
        expected_reunification_persons=int(rng.integers(1, 5))
        if size == 1 and not uam and rng.random() < 0.15
        else 0,
        synthetic=True,
    )
    if ready:
        for key, value in _phase_dates(
            rng, permit, min(AS_OF, permit + timedelta(days=60))
        ).items():
            setattr(h, key, value)
    else:
        h.notified_on = min(AS_OF, permit + timedelta(days=int(rng.integers(1, 10))))
    if h.expected_reunification_persons:
        h.expected_reunification_on = AS_OF + timedelta(days=int(rng.integers(60, 400)))
    return _HouseholdDraft(h, birth_years, None)


_BEDROOMS = np.array([1, 2, 3, 4, 5, 6])
_BEDROOM_P = np.array([0.45, 0.35, 0.13, 0.05, 0.015, 0.005])
_OCCUPANTS = {1: 2, 2: 4, 3: 5, 4: 7, 5: 8, 6: 10}


def _unit(rng, muni, serial: int, kind: str, bedrooms: int, available: date | None) -> HousingUnit:
    zones = max(1, min(12, len(muni.name) // 2))
    beds = int(rng.integers(3, 6)) if kind == UnitKind.SHARED else 1
    return HousingUnit(
        municipality=muni,
        code=f"u-{muni.number}-{serial:05d}",
        kind=kind,
        bedrooms=bedrooms,
        max_occupants=beds if kind == UnitKind.SHARED else _OCCUPANTS[bedrooms],
        beds=beds,
        zone=f"{muni.number}-{int(rng.integers(1, zones + 1)):02d}",
        accessible=bool(rng.random() < 0.08),
        available_from=available,
        rent_nok=int(4000 + 2500 * bedrooms + rng.integers(-800, 800)),
        flag_damp_mould=bool(rng.random() < 0.03),
        flag_unsuitable_children=bool(rng.random() < 0.02),
        synthetic=True,
    )


def _units_and_leases(rng, munis, settled: list[_HouseholdDraft]) -> tuple[int, int]:
    """Occupied units with three-year leases for settled households, and free units for 2015."""
    serial: dict[str, int] = {}
    units: list[HousingUnit] = []
    pairs: list[tuple[int, Household]] = []

    def next_serial(m) -> int:
        serial[m.number] = serial.get(m.number, 0) + 1
        return serial[m.number]

    for d in settled:
        h = d.household
        size = len(d.birth_years)
        if h.self_settled:
            kind = UnitKind.PRIVATE_SELF
        elif size == 1 and h.household_type == HouseholdType.SINGLE and rng.random() < 0.25:
            kind = UnitKind.SHARED
        else:
            kind = UnitKind.MUNICIPAL if rng.random() < 0.65 else UnitKind.PRIVATE_SUBLET
        bedrooms = next(b for b, cap in sorted(_OCCUPANTS.items()) if cap >= size)
        lease_end = h.settled_on + timedelta(days=3 * 365)
        unit = _unit(rng, d.municipality, next_serial(d.municipality), kind, bedrooms, lease_end)
        if kind == UnitKind.SHARED:
            unit.max_occupants = unit.beds
        units.append(unit)
        pairs.append((len(units) - 1, h))
    decisions_2015 = {
        d.municipality_id: d.persons
        for d in CouncilDecision.objects.filter(year=2015, provenance=Provenance.DEMO)
    }
    for m in munis:
        capacity = decisions_2015.get(m.pk, 0)
        n_free = int(round(capacity / 1.7 * 0.55))
        for _ in range(n_free):
            r = rng.random()
            kind = (
                UnitKind.MUNICIPAL
                if r < 0.55
                else UnitKind.PRIVATE_SUBLET
                if r < 0.8
                else UnitKind.SHARED
            )
            bedrooms = int(rng.choice(_BEDROOMS, p=_BEDROOM_P))
            available = AS_OF + timedelta(days=int(rng.integers(-30, 180)))
            units.append(_unit(rng, m, next_serial(m), kind, bedrooms, available))
    HousingUnit.objects.bulk_create(units, batch_size=2000)
    leases = []
    for idx, h in pairs:
        unit = units[idx]
        h.unit = unit
        leases.append(
            Lease(
                unit=unit,
                household=h,
                start=h.settled_on,
                end=unit.available_from,
                rent_nok=unit.rent_nok,
                synthetic=True,
            )
        )
    Household.objects.bulk_update([h for _, h in pairs], ["unit"], batch_size=2000)
    Lease.objects.bulk_create(leases, batch_size=2000)
    return len(units), len(leases)
