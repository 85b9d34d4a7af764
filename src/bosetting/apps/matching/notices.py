"""Notices about proposals and rounds ("varsler om forslag og runder"), for
``notifications.services.do_notify``: a proposal received (when a round is sent), an answer due in
two days (a deadline source registered in ``apps.py``) and a round finished (for the officer who
started it)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from bosetting.apps.cases.selectors import household_sizes
from bosetting.apps.matching.choices import ProposalStatus
from bosetting.apps.matching.models import MatchingRound, Proposal
from bosetting.apps.notifications.choices import LEAD_DAYS, NoticeKind
from bosetting.apps.notifications.registry import Audience, Notice
from bosetting.engine.rules.targets import PROPOSAL_ANSWER_DAYS, answer_due


def _proposal_notice(kind: str, proposal: Proposal, persons: int) -> Notice:
    due = answer_due(proposal.sent_on)
    return Notice(
        kind=kind,
        key=f"proposal:{proposal.pk}",
        audience=Audience(municipal=proposal.municipality.number),
        params={
            "reference": proposal.household.reference,
            "persons": persons,
            "municipality": proposal.municipality.name,
            "due": due.isoformat(),
        },
        url=reverse("lifecycle:detail", args=[proposal.household_id]),
        due_on=due,
    )


def proposals_received(proposals: list[Proposal]) -> list[Notice]:
    """One notice per sent proposal to the officers of its municipality."""
    sizes = household_sizes([p.household_id for p in proposals])
    return [
        _proposal_notice(NoticeKind.PROPOSAL_RECEIVED, p, sizes.get(p.household_id, 0))
        for p in proposals
        if p.sent_on is not None
    ]


def answers_due(today: date) -> list[Notice]:
    """Sent proposals not yet answered whose answer is due within two days (deadline source)."""
    latest = today - timedelta(days=PROPOSAL_ANSWER_DAYS)
    earliest = latest + timedelta(days=LEAD_DAYS[NoticeKind.ANSWER_DUE])
    proposals = list(
        Proposal.objects.filter(
            status=ProposalStatus.SENT, sent_on__gte=latest, sent_on__lte=earliest
        ).select_related("household", "municipality")
    )
    sizes = household_sizes([p.household_id for p in proposals])
    return [
        _proposal_notice(NoticeKind.ANSWER_DUE, p, sizes.get(p.household_id, 0)) for p in proposals
    ]


def round_finished(rnd: MatchingRound) -> list[Notice]:
    """The officer who started a round learns that it is done (or failed)."""
    if rnd.created_by_id is None:
        return []
    summary = rnd.summary or {}
    failed = rnd.status == MatchingRound.Status.FAILED
    return [
        Notice(
            kind=NoticeKind.ROUND_FINISHED,
            key=f"round:{rnd.pk}:{rnd.status}",
            audience=Audience(user_ids=(rnd.created_by_id,)),
            params={
                "round": str(rnd),
                "households": int(summary.get("households_placed") or 0),
                "persons": int(summary.get("persons_placed") or 0),
                "failed": failed,
                "error": (rnd.error or "")[:300],
            },
            url=reverse("matching:round", args=[rnd.pk]),
        )
    ]
