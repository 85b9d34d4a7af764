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

from django.conf import settings
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
from bosetting.apps.matching.notices import round_finished
from bosetting.apps.notifications.services import do_notify
from bosetting.apps.planning.selectors import decisions_in_year
from bosetting.engine.matching import parse_instance, solve
from bosetting.engine.matching.dynamic import solve_round_lookahead
from bosetting.engine.outcomes import PersonInfo, municipality_facts, predict_outcomes
from bosetting.engine.outcomes.default import default_model
from bosetting.reference.structure import structure_year_for

FORMAT = "bosetting.matching/1"
FORMAT_V2 = "bosetting.matching/2"
# matching-v2.md: a wish counts like a tie (3 points for the first of one wish); IMDi chooses the
# outcome weight per round. Households without a country group are grouped by household type for
# the rule "no group worse off" (the contract's other example of a group).
PREFERENCE_WEIGHT = 3.0
GROUP_BY_TYPE = {
    HouseholdType.SINGLE: "Enslig voksen",
    HouseholdType.FAMILY_NO_CHILDREN: "Par uten barn",
    HouseholdType.FAMILY_CHILDREN: "Familie med barn",
    HouseholdType.UAM: "Enslig mindreårig",
}
HORIZON_DAYS = 90
# Dispersal: most households one round places in one zone (demo assumption, docs/pipeline.md).
ZONE_CAP = 10
WEIGHTS = {"settle": 10.0, "wait": 4.0, "ties": 3.0, "labour": 1.0, "fit": 2.0}
# Demo assumption: municipalities of this size offer the special services (docs/pipeline.md).
HEALTH_HIGH_MIN_POPULATION = 20_000
DISABILITY_MIN_POPULATION = 10_000


def do_fail_round(round_id: int, error: str) -> None:
    """Mark a queued or running round failed with ``error`` ("runden feilet").

    Called when its background job is given up; a round that has finished is left as it is. The
    officer who started it is notified.
    """
    failed = MatchingRound.objects.filter(
        pk=round_id, status__in=(MatchingRound.Status.QUEUED, MatchingRound.Status.RUNNING)
    ).update(status=MatchingRound.Status.FAILED, error=error[:2000])
    if failed:
        do_notify(round_finished(MatchingRound.objects.get(pk=round_id)))


def _set(rnd: MatchingRound, **fields) -> None:
    for key, value in fields.items():
        setattr(rnd, key, value)
    MatchingRound.objects.filter(pk=rnd.pk).update(**fields)


def build_instance(
    as_of: date, municipality_numbers: list[str] | None = None, outcome_weight: float = 0.0
) -> dict:
    """The exchange-format instance (``matching.md``) for a day, from the database, in bulk queries.

    - households: settlement-ready (status ``ready``), ages on ``as_of`` from birth years, and
      the family members each expects through reunification (``expected_additional_persons``);
    - municipalities: with a council decision for ``as_of.year`` and capacity left, where capacity =
      decided persons minus persons settled there that year and persons proposed/accepted/in
      preparation there (pending); UAM capacity likewise;
    - units: of those municipalities, reported available (``available_from`` set and within the
      horizon), with a bed that no reservation or lease occupies;
    - format /2 (``matching-v2.md``) when a household has wishes (those for municipalities in the
      round, in order; weight ``PREFERENCE_WEIGHT``) or ``outcome_weight`` > 0: then ``outcomes``
      from the outcome model (the default model, trained on synthetic data on first use and kept
      in ``var/``), each household's ``group`` (its country group, else its household type) and
      the rule "no group worse off". Without either the instance is format /1, as before.
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
    rows = ready_households_for_matching(as_of)
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
        for row in rows
    ]
    data = {
        "format": FORMAT,
        "as_of": as_of.isoformat(),
        "horizon_days": HORIZON_DAYS,
        "zone_cap": ZONE_CAP,
        "weights": dict(WEIGHTS),
        "municipalities": municipalities,
        "units": units,
        "households": households,
    }
    in_round = {m["id"] for m in municipalities}
    wishes = {
        row["id"]: [n for n in row.get("preferences", []) if n in in_round][:5] for row in rows
    }
    if not outcome_weight and not any(wishes.values()):
        return data
    data["format"] = FORMAT_V2
    data["weights"].update(outcome=float(outcome_weight), preference=PREFERENCE_WEIGHT)
    for h, row in zip(households, rows, strict=True):
        h["preferences"] = wishes[row["id"]]
        h["group"] = row.get("group") or GROUP_BY_TYPE.get(row["household_type"], "Annen")
    if outcome_weight:
        data["outcomes"] = _predicted_outcomes(data, rows)
        data["fairness"] = {"no_group_worse_off": True}
    return data


def _predicted_outcomes(data: dict, rows: list[dict]) -> list[dict]:
    """``outcomes`` of the instance from the default outcome model (docs/outcomes.md)."""
    model = default_model(settings.VAR_DIR / "models")
    people = {
        row["id"]: [
            PersonInfo(age, sex) for age, sex in zip(row["ages"], row["sexes"], strict=True)
        ]
        for row in rows
    }
    facts = {f.number: f for f in municipality_facts()}
    return [
        {"household_id": h, "municipality_id": m, "p_employment": p}
        for h, m, p in predict_outcomes(model, parse_instance(data), people, facts)
    ]


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
        data = build_instance(rnd.as_of, rnd.scope_municipalities or None, rnd.outcome_weight)
        build_seconds = time.perf_counter() - began
        _set(rnd, instance=data, progress=0.2)
        instance = parse_instance(data)
        extra: dict = {}
        if rnd.lookahead:
            result, info = solve_round_lookahead(instance, time_limit=rnd.time_limit_seconds)
            extra["lookahead"] = {
                "held_back": info["held_back"],
                "fallback": info.get("fallback", ""),
            }
        else:
            result = solve(instance, solver=rnd.solver, time_limit=rnd.time_limit_seconds)
        _set(rnd, progress=0.9)
        _store_proposals(rnd, data, result)
        summary = {
            **extra,
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
    do_notify(round_finished(rnd))
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
        words = a.explanation.outcome_text_nb()
        if words:
            explanation["outcome_text_nb"] = words
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
