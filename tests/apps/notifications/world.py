"""Hand-made objects the notification tests raise notices about: a round ready to send to Bergen, a
pending self-settlement, a lease near its end (real 2014 municipalities: Bergen 1201 and Askøy 1247
in IMDi Vest, Oslo 0301 in IMDi Øst)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import (
    HouseholdFactory,
    HousingUnitFactory,
    LeaseFactory,
    MatchingRoundFactory,
    ProposalFactory,
)
from tests.factories import municipality as muni

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import SelfSettlement
from bosetting.apps.housing.models import Lease
from bosetting.apps.matching.models import MatchingRound, Proposal


def round_to_send(*numbers: str, created_by=None) -> MatchingRound:
    """A finished round with one draft proposal (a settlement-ready household and a free flat) for
    each municipality in ``numbers``."""
    rnd = MatchingRoundFactory(
        status=MatchingRound.Status.DONE, scope_municipalities=list(numbers), created_by=created_by
    )
    for number in numbers:
        ProposalFactory(
            round=rnd,
            number=number,
            status=Proposal.Status.DRAFT,
            sent_on=None,
            household=HouseholdFactory(status=CaseStatus.READY, ages=(34, 6)),
            unit=HousingUnitFactory(number=number),
        )
    return rnd


def sent_proposal(number: str, sent_on: date) -> Proposal:
    """A proposal sent to ``number`` on ``sent_on``, not yet answered."""
    return ProposalFactory(number=number, sent_on=sent_on)


def pending_self_settlement(number: str, deadline: date) -> SelfSettlement:
    """A self-found home in ``number`` waiting for IMDi's decision, the offer lapsing on ``deadline``."""
    household = HouseholdFactory(status=CaseStatus.SELF_SETTLEMENT_PENDING, number=number)
    return SelfSettlement.objects.create(
        household=household,
        municipality=muni(number),
        lease_offer_deadline=deadline,
        rent_nok=9000,
        previous_status=CaseStatus.READY,
    )


def lease_ending(number: str, end: date) -> Lease:
    """A three-year lease in ``number`` that ends on ``end``."""
    return LeaseFactory(
        unit=HousingUnitFactory(number=number), start=end - timedelta(days=3 * 365), end=end
    )
