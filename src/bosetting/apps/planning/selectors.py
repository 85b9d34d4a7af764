"""Reads of requests and decisions, scoped by the user."""

from __future__ import annotations

from django.db.models import QuerySet

from bosetting.apps.accounts.selectors import scope_for
from bosetting.apps.planning.models import CouncilDecision, SettlementRequest


def _scoped(qs: QuerySet, user) -> QuerySet:
    scope = scope_for(user)
    if not scope.decisions:
        return qs.none()
    if scope.municipality_numbers is not None:
        qs = qs.filter(municipality__number__in=scope.municipality_numbers)
    return qs


def decisions_for(user) -> QuerySet[CouncilDecision]:
    return _scoped(CouncilDecision.objects.select_related("municipality"), user)


def requests_for(user) -> QuerySet[SettlementRequest]:
    return _scoped(SettlementRequest.objects.select_related("municipality"), user)
