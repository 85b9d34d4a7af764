"""Reads of matching rounds and proposals, scoped by the user.

- IMDi national: every round and proposal.
- IMDi regional: rounds it may see (those covering only its municipalities, or the whole country) and
  proposals to its municipalities.
- Municipal officer: only proposals sent to its municipality (sent, accepted, declined, withdrawn) —
  never drafts, never rounds.
- Others: nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.matching.models import MatchingRound, Proposal

VISIBLE_TO_MUNICIPALITY = (
    Proposal.Status.SENT,
    Proposal.Status.ACCEPTED,
    Proposal.Status.DECLINED,
    Proposal.Status.WITHDRAWN,
)


def proposals_for(user) -> QuerySet[Proposal]:
    """Proposals the user may see."""
    scope = scope_for(user)
    qs = Proposal.objects.select_related("household", "municipality", "unit", "round")
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    if scope.role == Role.IMDI_REGIONAL:
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


def may_run_rounds(user) -> bool:
    """Only IMDi (national or regional) runs matching rounds."""
    return scope_for(user).role in (Role.IMDI_NATIONAL, Role.IMDI_REGIONAL)


def rounds_for(user) -> QuerySet[MatchingRound]:
    """Rounds the user may see: all for IMDi national; for a regional officer its own rounds and rounds
    whose municipalities all lie in its region; none for other roles."""
    scope = scope_for(user)
    qs = MatchingRound.objects.select_related("created_by")
    if scope.role == Role.IMDI_NATIONAL:
        return qs
    if scope.role == Role.IMDI_REGIONAL:
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
