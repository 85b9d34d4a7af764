"""Reads of matching rounds and proposals, scoped by the user.

- IMDi national: every round and proposal.
- IMDi regional: rounds it may see (those covering only its municipalities, or the whole country) and
  proposals to its municipalities — also inside a running county-governor pilot, where it only sees.
- County governor of a running pilot (``engine.rules.pilots``): like a regional office for its county.
- Municipal officer: only proposals sent to its municipality (sent, accepted, declined, withdrawn) —
  never drafts, never rounds.
- Others: nothing.

Who may *act* (run and send rounds, answer on a municipality's behalf) follows
``accounts.selectors.settlement_powers``.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count, F, QuerySet
from django.http import Http404

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import (
    scope_for,
    sees_as_settlement_authority,
    settlement_powers,
)
from bosetting.apps.cases.selectors import persons_counted_against_decisions
from bosetting.apps.matching.choices import DeclineReason, ProposalStatus, RoundStatus
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.planning.selectors import decision_of
from bosetting.engine.rules.kpi import DeclineRecord

VISIBLE_TO_MUNICIPALITY = (
    Proposal.Status.SENT,
    Proposal.Status.ACCEPTED,
    Proposal.Status.DECLINED,
    Proposal.Status.WITHDRAWN,
)


def proposals_for(user) -> QuerySet[Proposal]:
    """Proposals the user may see (with their round, but never the round's engine instance: about
    1 MB of JSON that would be read once per proposal)."""
    scope = scope_for(user)
    qs = Proposal.objects.select_related("household", "municipality", "unit", "round").defer(
        "round__instance"
    )
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    if sees_as_settlement_authority(user):
        return qs.filter(municipality__number__in=list(scope.municipality_numbers or ()))
    if scope.role == Role.MUNICIPAL:
        return qs.filter(
            municipality__number__in=list(scope.municipality_numbers or ()),
            status__in=VISIBLE_TO_MUNICIPALITY,
        )
    return qs.none()


def proposal_for(user, pk) -> Proposal:
    try:
        return proposals_for(user).get(pk=pk)
    except (Proposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Forslaget finnes ikke, eller du har ikke tilgang til det.") from exc


def may_see_rounds(user) -> bool:
    """Who opens the matching pages: IMDi (national or regional) and a running pilot's county
    governor. A regional office whose region holds a pilot county still sees that county's rounds."""
    return sees_as_settlement_authority(user)


def may_run_rounds(user) -> bool:
    """Who starts matching rounds: the settlement authority somewhere (IMDi, or the county governor
    of a running pilot, for its county)."""
    return settlement_powers(user).any


def may_send_round(user, rnd: MatchingRound) -> bool:
    """IMDi national sends any round; a regional office or a pilot's county governor the rounds whose
    municipalities all lie where it acts."""
    powers = settlement_powers(user)
    if powers.numbers is None:
        return True
    numbers = set(rnd.scope_municipalities or ())
    return bool(numbers) and all(powers.acts_in(n) for n in numbers)


def may_answer(user, proposal: Proposal) -> bool:
    """The receiving municipality answers; the settlement authority may register an answer given by
    other means (IMDi, or the county governor in a running pilot county)."""
    number = proposal.municipality.number
    scope = scope_for(user)
    if scope.role == Role.MUNICIPAL:
        return scope.covers(number)
    return settlement_powers(user).acts_in(number)


def incoming_for(user) -> QuerySet[Proposal]:
    """Proposals waiting for the user's municipality to answer, oldest first."""
    return (
        proposals_for(user)
        .filter(status=ProposalStatus.SENT)
        .prefetch_related("household__persons")
        .order_by("sent_on", "-score")
    )


def open_proposals_of(user, household) -> QuerySet[Proposal]:
    """A household's proposals the user may see, newest round first."""
    return proposals_for(user).filter(household=household).order_by("-round__created_at")


def decline_counts(user, year: int | None = None) -> list[dict]:
    """Declines per municipality and reason (reported, since municipalities may not pick individuals),
    each with the reason's label in the active language."""
    qs = proposals_for(user).filter(status=ProposalStatus.DECLINED)
    if year:
        qs = qs.filter(decided_on__year=year)
    labels = dict(DeclineReason.choices)
    rows = list(
        qs.values("municipality__number", "municipality__name", "decline_reason")
        .annotate(n=Count("id"))
        .order_by("municipality__number", "decline_reason")
    )
    for row in rows:
        row["decline_reason_label"] = labels.get(row["decline_reason"], row["decline_reason"])
    return rows


def capacity_for(municipality, year: int) -> dict | None:
    """A municipality's decision for a year and what is left of it (None: no decision registered)."""
    decision = decision_of(municipality.pk, year)
    if decision is None:
        return None
    persons, _uam = persons_counted_against_decisions(year, [municipality.pk])
    used = persons.get(municipality.pk, 0)
    return {"decided": decision.persons, "used": used, "left": max(decision.persons - used, 0)}


def draft_counts(rnd: MatchingRound) -> list[dict]:
    """A round's proposals not yet sent, per municipality (``number``, ``name``, ``n``), most first:
    what sending the round would send (the confirmation step)."""
    return list(
        rnd.proposals.filter(status=ProposalStatus.DRAFT)
        .values(number=F("municipality__number"), name=F("municipality__name"))
        .annotate(n=Count("id"))
        .order_by("-n", "number")
    )


def is_running(rnd: MatchingRound) -> bool:
    """Whether a round is still queued or running."""
    return rnd.status in (RoundStatus.QUEUED, RoundStatus.RUNNING)


def rounds_for(user) -> QuerySet[MatchingRound]:
    """Rounds the user may see: all for IMDi national; for a regional officer (and a running pilot's
    county governor) its own rounds and rounds whose municipalities all lie in its region (county);
    none for other roles. The engine instance (about 1 MB of JSON) is left unread; only the runner
    needs it."""
    scope = scope_for(user)
    qs = MatchingRound.objects.select_related("created_by").defer("instance")
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    if sees_as_settlement_authority(user):
        numbers = scope.municipality_numbers or frozenset()
        ids = [
            r.pk
            for r in qs.only("pk", "scope_municipalities", "created_by")
            if r.created_by_id == user.pk
            or (r.scope_municipalities and set(r.scope_municipalities) <= numbers)
        ]
        return qs.filter(pk__in=ids)
    return qs.none()


def round_for(user, pk) -> MatchingRound:
    try:
        return rounds_for(user).get(pk=pk)
    except (MatchingRound.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Runden finnes ikke, eller du har ikke tilgang til den.") from exc


def audit_visible(user) -> dict[str, QuerySet]:
    """Proposals and rounds whose audit trail the user may read (registered with the audit log)."""
    if not scope_for(user).personal_data:
        return {}
    return {"matching.proposal": proposals_for(user), "matching.matchinground": rounds_for(user)}


def latest_rounds(limit: int = 50) -> list[MatchingRound]:
    """The newest rounds, newest first (the operator's list on the command line: no user scope)."""
    return list(MatchingRound.objects.order_by("-created_at", "-pk")[:limit])


def round_of(round_id: int) -> MatchingRound:
    """A round by id (no user scope: for the system and its operator)."""
    return MatchingRound.objects.get(pk=round_id)


# --- reads for reports ---------------------------------------------------------------------------


def decline_records(numbers: Collection[str] | None = None) -> list[DeclineRecord]:
    """Declined proposals ("avslag") to the municipalities ``numbers`` (None = all) as the KPI
    engine's records: the municipality, the day of the decline (else when the proposal was sent,
    else the round's day) and the reason ("other" when none was given). Unscoped: records name no
    household; the reports pass the municipalities the user may see."""
    qs = Proposal.objects.filter(status=ProposalStatus.DECLINED)
    if numbers is not None:
        qs = qs.filter(municipality__number__in=list(numbers))
    return [
        DeclineRecord(number, decided_on or sent_on or as_of, reason or "other")
        for number, decided_on, sent_on, as_of, reason in qs.order_by().values_list(
            "municipality__number", "decided_on", "sent_on", "round__as_of", "decline_reason"
        )
    ]


# --- reads for coordination ----------------------------------------------------------------------


def proposal_counts(municipality) -> dict:
    """Proposals to one municipality as counts (unscoped aggregates, no household): ``sent`` (every
    proposal past its draft), ``declined``, and ``decline_reasons`` as ``{"reason": label, "n"}``
    rows, most frequent first."""
    proposals = Proposal.objects.filter(municipality=municipality)
    declined = proposals.filter(status=ProposalStatus.DECLINED)
    labels = dict(DeclineReason.choices)
    return {
        "sent": proposals.exclude(status=ProposalStatus.DRAFT).count(),
        "declined": declined.count(),
        "decline_reasons": [
            {"reason": str(labels.get(r, r)), "n": n}
            for r, n in declined.values_list("decline_reason")
            .annotate(n=Count("pk"))
            .order_by("-n")
        ],
    }
