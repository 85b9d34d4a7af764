"""Build the demo world: Norway at the end of 2014.

Real: the 2014 municipality structure with populations and employment, each municipality's actual
requests, council decisions and settled counts for 2012–2014 (loaded by ``load-reference``).
Synthetic (``synthetic=True`` on every row): the individual households and persons, reception centres,
housing units and leases, and the 2015–2016 requests/decisions (``plans.py``: Tables 2.3 and 2.4 of the
report reproduced, the six case municipalities as the report describes them).

The settled households reproduce each municipality's real settled count per year exactly; their
waiting times follow Table 2.2 (mean months permit → settlement 6.7, 8.0, 8.3 for 2012–2014). About
5,200 settlement-ready persons wait in reception at 31 December 2014, about 70% single adults, about
120 unaccompanied minors, with permit dates spread so that about half are long-waiters (Table 2.1).
The housing stock is calibrated to the report's central finding — too few large flats for big families
and small cheap ones for single adults — and to what the report says of the case municipalities
(``calibration.py``; docs/demo.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import transaction

from bosetting.apps.cases.choices import CaseStatus, HouseholdType
from bosetting.apps.finance.services import do_seed_demo_finance
from bosetting.apps.geo.choices import ReceptionCentreKind
from bosetting.apps.geo.selectors import demo_world, municipalities, populations
from bosetting.apps.geo.services import do_add_reception_centres, do_mark_demo_world
from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.services import (
    BookingRequest,
    do_book_many,
    do_bulk_create_units,
    do_seed_demo_careers,
)
from bosetting.apps.lifecycle.services import CaseHistory, do_import_histories
from bosetting.apps.planning.choices import Provenance
from bosetting.apps.planning.selectors import (
    decisions_in_year,
    reported_settlements,
    requests_in_year,
)
from bosetting.apps.planning.services import do_bulk_create_plan
from bosetting.demo import calibration as cal
from bosetting.demo.plans import Plans, draw_plans
from bosetting.demo.stock import plan_units
from bosetting.engine.lifecycle import Event
from bosetting.engine.rules.kpi.periods import DAYS_PER_MONTH as MONTH_DAYS
from bosetting.engine.rules.targets import lease_end
from bosetting.reference.structure import STRUCTURE_2014

AS_OF = date(2014, 12, 31)
# Table 2.2: mean months from permit to settlement, by year of settlement.
MEAN_WAIT_MONTHS = {2012: 6.7, 2013: 8.0, 2014: 8.3}
WAITING_PERSONS = 5214  # Table 2.1, settlement-ready in reception, end of November 2014
LONG_WAITER_SHARE = 2805 / 5214  # Table 2.1: long-waiters among them
UAM_WAITING = 120  # report L1355–1358
EARLY_STAGE_PERSONS = 300  # permits granted in December, not yet settlement-ready

Progress = Callable[[str, float], None]


@dataclass
class _HouseholdDraft:
    """A synthetic household before it is stored: its fields, members and the events of its life."""

    fields: dict[str, Any]
    birth_years: list[int]
    events: list[tuple[Event, date]] = field(default_factory=list)
    municipality: Any = None

    @property
    def status(self) -> str:
        return self.fields["status"]

    def history(self, rng: np.random.Generator) -> CaseHistory:
        return CaseHistory(
            fields={k: v for k, v in self.fields.items() if k != "status"},
            persons=[
                {"birth_year": y, "sex": "mf"[int(rng.integers(0, 2))]} for y in self.birth_years
            ],
            events=self.events,
        )


def _noop(_: str, __: float) -> None:
    return None


def _family_sizes(
    rng: np.random.Generator, persons: int, single_share: float = cal.SINGLE_SHARE_OF_PERSONS
) -> list[int]:
    """Split ``persons`` into household sizes: about ``single_share`` of the persons are single adults,
    the rest families of 2–8 (large families rarer). Order shuffled."""
    family_sizes = np.array(cal.FAMILY_SIZES)
    family_p = np.array(cal.FAMILY_SIZE_P)
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
    world exists already, nothing is written and its summary is returned.

    Everything is written through the owning apps' services: reception centres (geo), the 2015
    requests and decisions (planning), the households with their histories — each walked through the
    lifecycle's transition table — (lifecycle), units and leases under the booking rule (housing)."""
    existing = demo_world()
    if existing is not None:
        return {**existing.summary, "already_loaded": 1}
    munis = list(municipalities(STRUCTURE_2014))
    if not munis:
        raise RuntimeError("reference data missing: run `bosetting load-reference` first")
    rng = np.random.default_rng(seed)
    by_number = {m.number: m for m in munis}
    population = populations(STRUCTURE_2014, 2014)
    pop_weights = np.array([population.get(m.pk, 0) for m in munis], dtype=float)
    pop_weights /= pop_weights.sum()

    progress("mottak", 0.02)
    centres = _reception_centres(rng, munis, pop_weights)

    progress("anmodninger og vedtak 2015–2016 (syntetisk, etter Tabell 2.3 og 2.4)", 0.05)
    plans = _plans(rng, munis)

    progress("bosatte husholdninger 2012–2014", 0.1)
    counter = [0]
    households: list[_HouseholdDraft] = []
    for rs in reported_settlements((2012, 2013, 2014), STRUCTURE_2014):
        for size in _family_sizes(rng, rs.persons):
            households.append(
                _settled_household(
                    rng, rs.municipality, rs.year, size, counter, by_number, munis, pop_weights
                )
            )

    progress("bosettingsklare i mottak", 0.4)
    households.extend(_waiting_households(rng, centres, counter, munis, pop_weights))

    progress("boliger", 0.5)
    histories = [d.history(rng) for d in households]
    settled = [i for i, d in enumerate(households) if d.fields.get("settled_on")]
    stock = plan_units(
        rng,
        munis,
        [households[i] for i in settled],
        [d for d in households if d.status == CaseStatus.READY],
        plans.decided[2015],
    )
    units = do_bulk_create_units(None, stock.rows)
    for i, home in zip(settled, stock.homes, strict=True):
        histories[i].fields["unit"] = units[home]

    progress("lagrer husholdninger (gjennom saksforløpet)", 0.6)
    stored = do_import_histories(None, histories)

    progress("leiekontrakter", 0.8)
    first_leases = [
        BookingRequest(
            units[home].pk,
            stored[i],
            households[i].fields["settled_on"],
            lease_end(households[i].fields["settled_on"]),
            status=BookingStatus.CONTRACT,
            synthetic=True,
        )
        for i, home in zip(settled, stock.homes, strict=True)
    ]
    # Tenants who stay on after the first lease get a renewed one: the flat is not free for others.
    renewals = [
        BookingRequest(
            first.unit_id,
            first.household,
            first.end,
            lease_end(first.end),
            status=BookingStatus.CONTRACT,
            synthetic=True,
        )
        for first, stays in zip(first_leases, stock.stays, strict=True)
        if stays and first.end is not None
    ]
    leases = do_book_many(None, [*first_leases, *renewals])

    progress("boligkarriere og økonomi", 0.9)
    do_seed_demo_careers()
    do_seed_demo_finance(seed)

    summary = {
        "seed": seed,
        "households": len(households),
        "persons": sum(len(d.birth_years) for d in households),
        "units": len(units),
        "leases": len(leases),
        "renewed_leases": len(renewals),
        "reception_centres": len(centres),
        "waiting_ready_persons": sum(
            len(d.birth_years) for d in households if d.status == CaseStatus.READY
        ),
    }
    do_mark_demo_world(seed, AS_OF, summary)
    progress("ferdig", 1.0)
    return summary


def _reception_centres(rng, munis, weights) -> list:
    chosen = rng.choice(len(munis), size=48, replace=False, p=weights)
    centres = []
    for i, idx in enumerate(sorted(chosen)):
        m = munis[idx]
        kind = (
            ReceptionCentreKind.UAM
            if i % 8 == 0
            else (ReceptionCentreKind.DECENTRALISED if i % 3 == 0 else ReceptionCentreKind.ORDINARY)
        )
        centres.append(
            {
                "name": f"{m.name} mottak (syntetisk)",
                "municipality": m,
                "kind": kind,
                "capacity_persons": int(rng.integers(60, 260)),
                "synthetic": True,
            }
        )
    return do_add_reception_centres(centres)


def _plans(rng, munis) -> Plans:
    """2015 and 2016: requests and decisions drawn to reproduce Tables 2.3 and 2.4 (``plans.py``),
    stored through the planning app as provenance ``demo``."""
    by_id = {m.pk: m for m in munis}
    req14 = {by_id[r.municipality_id].number: r.persons for r in requests_in_year(2014)}
    dec14 = {by_id[d.municipality_id].number: d.persons for d in decisions_in_year(2014)}
    plans = draw_plans(rng, req14, dec14)
    by_number = {m.number: m for m in munis}
    three_years = set(plans.decided[2016])
    requests, decisions = [], []
    for year in (2015, 2016):
        for number, persons in sorted(plans.requested[year].items()):
            requests.append(
                {
                    "municipality": by_number[number],
                    "year": year,
                    "persons": persons,
                    "period_start": 2014,
                    "period_years": 3,
                }
            )
        for number, persons in sorted(plans.decided[year].items()):
            multi = number in three_years
            decisions.append(
                {
                    "municipality": by_number[number],
                    "year": year,
                    "persons": persons,
                    "uam_persons": round(persons * cal.UAM_SHARE_OF_DECISION),
                    "period_start": 2014 if multi else year,
                    "period_years": 3 if multi else 1,
                    "decided_on": date(2014, 6, 19),
                }
            )
    do_bulk_create_plan(None, requests=requests, decisions=decisions, provenance=Provenance.DEMO)
    return plans


def _profile(number: str) -> tuple[float, float]:
    """(sublet share, self-settled share) of a municipality: the case municipalities' own."""
    case = cal.CASE_MUNICIPALITIES.get(number)
    if case is None:
        return cal.DEFAULT_SUBLET_SHARE, cal.DEFAULT_SELF_SETTLED_SHARE
    return case.sublet_share, case.self_settled_share


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
    self_settled = rng.random() < _profile(muni.number)[1]
    fields = {
        "reference": _reference(counter, year),
        "household_type": htype,
        "status": CaseStatus.SETTLED,
        "municipality": muni,
        "case_opened": case_opened,
        "settled_on": settled,
        "self_settled": self_settled,
        "needs": _needs(rng),
        "ties": _ties(rng, munis, weights),
        "synthetic": True,
    }
    events = [
        (Event.REGISTER_PERMIT, permit),
        (Event.NOTIFY, phases["notified_on"]),
        (Event.INTERVIEW, phases["interview_on"]),
        (Event.MARK_READY, phases["ready_on"]),
    ]
    if self_settled:
        events += [
            (Event.SUBMIT_SELF_SETTLEMENT, accepted),
            (Event.APPROVE_SELF_SETTLEMENT, accepted),
        ]
    else:
        events += [
            (Event.PROPOSE, proposed),
            (Event.ACCEPT, accepted),
            (Event.MAKE_AGREEMENT, accepted),
        ]
    events.append((Event.SETTLE, settled))
    return _HouseholdDraft(fields, birth_years, events, muni)


def _waiting_households(rng, centres, counter, munis, weights) -> list[_HouseholdDraft]:
    drafts: list[_HouseholdDraft] = []
    uam_centres = [c for c in centres if c.kind == ReceptionCentreKind.UAM] or centres
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
    fields = {
        "reference": _reference(counter, AS_OF.year),
        "household_type": htype,
        "status": CaseStatus.READY if ready else CaseStatus.NOTIFIED,
        "reception_centre": centre,
        "case_opened": case_opened,
        "needs": needs,
        "ties": _ties(rng, munis, weights),
        "health_note": "Syntetisk: behov for tett oppfølging av spesialisthelsetjenesten."
        if "health_high" in needs
        else "",
        "expected_reunification_persons": int(rng.integers(1, 5))
        if size == 1 and not uam and rng.random() < cal.EXPECTS_REUNIFICATION_SHARE
        else 0,
        "synthetic": True,
    }
    events = [(Event.REGISTER_PERMIT, permit)]
    if ready:
        phases = _phase_dates(rng, permit, min(AS_OF, permit + timedelta(days=60)))
        events += [
            (Event.NOTIFY, phases["notified_on"]),
            (Event.INTERVIEW, phases["interview_on"]),
            (Event.MARK_READY, phases["ready_on"]),
        ]
    else:
        events.append((Event.NOTIFY, min(AS_OF, permit + timedelta(days=int(rng.integers(1, 10))))))
    if fields["expected_reunification_persons"]:
        fields["expected_reunification_on"] = AS_OF + timedelta(days=int(rng.integers(60, 400)))
        fields["expected_reunification_source"] = (
            "application" if rng.random() < cal.REUNIFICATION_APPLIED_SHARE else "own_statement"
        )
    return _HouseholdDraft(fields, birth_years, events)
