"""Notices about self-settlements ("varsel om frist for selvbosetting"): a deadline source registered
in ``apps.py`` — IMDi must decide before the landlord's offer lapses (L2080–2083), so the regional
office covering the municipality hears of it three days before."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from bosetting.apps.cases.choices import SelfSettlementStatus
from bosetting.apps.cases.models import SelfSettlement
from bosetting.apps.notifications.choices import LEAD_DAYS, NoticeKind
from bosetting.apps.notifications.registry import Audience, Notice


def self_settlements_due(today: date) -> list[Notice]:
    """Pending self-settlements whose lease offer lapses within three days."""
    last = today + timedelta(days=LEAD_DAYS[NoticeKind.SELF_SETTLEMENT_DUE])
    pending = SelfSettlement.objects.filter(
        status=SelfSettlementStatus.PENDING,
        lease_offer_deadline__gte=today,
        lease_offer_deadline__lte=last,
    ).select_related("household", "municipality")
    return [
        Notice(
            kind=NoticeKind.SELF_SETTLEMENT_DUE,
            key=f"self_settlement:{ss.pk}",
            audience=Audience(imdi_for=ss.municipality.number),
            params={
                "reference": ss.household.reference,
                "municipality": ss.municipality.name,
                "due": ss.lease_offer_deadline.isoformat(),
            },
            url=reverse("lifecycle:detail", args=[ss.household_id]),
            due_on=ss.lease_offer_deadline,
        )
        for ss in pending
    ]
