"""Running a matching round ("kjøre utsøkingsrunde"): the body of the background job.

``run_round`` builds the exchange-format instance of ``matching.md`` from the database through the
other apps' selectors (``build_instance``), hands it to the engine and stores the result as draft
proposals with their explanations. It is safe to run again (a worker that died mid-round leaves the
round ``running``; the next attempt starts it over). ``services`` creates and enqueues rounds;
``tasks`` is the job that calls this module.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.db import transaction

from bosetting.apps.cases.choices import HouseholdType
from bosetting.apps.cases.selectors import (
    household_ids_by_reference,
    persons_counted_against_decisions,
    ready_households_for_matching,
)
from bosetting.apps.geo.selectors import latest_stats, municipality_ids_by_number
from bosetting.apps.housing.selectors import free_units, unit_ids_by_code
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.planning.selectors import decisions_in_year
from bosetting.engine.matching import parse_instance, solve
from bosetting.reference.structure import structure_year_for

FORMAT = "bosetting.matching/1"
HORIZON_DAYS = 90
# Dispersal: most households one round places in one zone (demo assumption, docs/pipeline.md).
ZONE_CAP = 10
WEIGHTS = {"settle": 10.0, "wait": 4.0, "ties": 3.0, "labour": 1.0, "fit": 2.0}
# Demo assumption: municipalities of this size offer the special services (docs/pipeline.md).
HEALTH_HIGH_MIN_POPULATION = 20_000
DISABILITY_MIN_POPULATION = 10_000


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


def build_instance(as_of: date, municipality_numbers: list[str] | None = None) -> dict:
    """The exchange-format instance (``matching.md``) for a day, from the database, in bulk queries.

    - households: settlement-ready (status ``ready``), ages on ``as_of`` from birth years, and
      the family members each expects through reunification (``expected_additional_persons``);
    - municipalities: with a council decision for ``as_of.year`` and capacity left, where capacity =
      decided persons minus persons settled there that year and persons proposed/accepted/in
      preparation there (pending); UAM capacity likewise;
    - units: of those municipalities, reported available (``available_from`` set and within the
      horizon), with a bed that no reservation or lease occupies.
    """
    year = as_of.year
    decisions = list(decisions_in_year(year, municipality_numbers))
    muni_ids = [d.municipality_id for d in decisions]
    used_persons, used_uam = persons_counted_against_decisions(year, muni_ids)
    stats = latest_stats(muni_ids, year)
    municipalities = []
    number_of: dict[int, str] = {}
    for d in decisions:
        m = d.municipality
        capacity = d.persons - used_persons.get(m.pk, 0)
        if capacity <= 0:
            continue
        capacity_uam = max(min(d.uam_persons - used_uam.get(m.pk, 0), capacity), 0)
        employment, population = stats.get(m.pk, (None, None))
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
            "taken_n",
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
            "beds": int(max(beds - taken_n, 1)),
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
            taken_n,
        ) in units_qs
    ]
    households = [
        {
            "id": row["id"],
            "persons": [{"age": a} for a in row["ages"]],
            "permit_date": row["permit_date"].isoformat(),
            # A minor who has turned 18 while waiting is settled as a single adult.
            "uam": row["household_type"] == HouseholdType.UAM and all(a < 18 for a in row["ages"]),
            "needs": row["needs"],
            "ties": row["ties"],
            # Expected reunification: the flat must house the family it expects (F2, fit);
            # written only when there is any, so other households read as in format /1.
            **(
                {"expected_additional_persons": row["expected_additional_persons"]}
                if row["expected_additional_persons"]
                else {}
            ),
        }
        for row in ready_households_for_matching(as_of)
    ]
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
    households = household_ids_by_reference(a.household_id for a in result.assignments)
    units = unit_ids_by_code(a.unit_id for a in result.assignments)
    munis = municipality_ids_by_number(
        {a.municipality_id for a in result.assignments}, structure_year_for(rnd.as_of.year)
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
