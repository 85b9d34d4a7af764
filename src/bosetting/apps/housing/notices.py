"""Notices about leases ending ("varsel om leiekontrakt som går ut"): a deadline source registered in
``apps.py`` — the municipality's housing officers hear of a lease 60 days before it ends, in time to
agree a new lease or a move (the first lease runs three years, L1821–1822)."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from bosetting.apps.housing.choices import BookingStatus
from bosetting.apps.housing.models import Lease
from bosetting.apps.notifications.choices import LEAD_DAYS, NoticeKind
from bosetting.apps.notifications.registry import Audience, Notice


def leases_ending(today: date) -> list[Notice]:
    """Leases without a registered outcome that end within 60 days."""
    last = today + timedelta(days=LEAD_DAYS[NoticeKind.LEASE_ENDING])
    leases = Lease.objects.filter(
        status=BookingStatus.CONTRACT, outcome="", end__gte=today, end__lte=last
    ).select_related("unit__municipality", "household")
    return [
        Notice(
            kind=NoticeKind.LEASE_ENDING,
            key=f"lease:{lease.pk}:{lease.end.isoformat()}",
            audience=Audience(municipal=lease.unit.municipality.number),
            params={
                "unit": lease.unit.code,
                "municipality": lease.unit.municipality.name,
                "reference": lease.household.reference if lease.household else "–",
                "due": lease.end.isoformat(),
            },
            url=reverse("housing:unit_detail", args=[lease.unit_id]),
            due_on=lease.end,
        )
        for lease in leases
    ]
