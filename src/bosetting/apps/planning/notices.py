"""Notices about council decisions ("varsel om vedtak"): IMDi's regional office covering a
municipality hears of a decision registered or changed there (the municipality's own, or another
IMDi officer's registration; never its own)."""

from __future__ import annotations

from django.urls import reverse

from bosetting.apps.notifications.choices import NoticeKind
from bosetting.apps.notifications.registry import Audience, Notice
from bosetting.apps.planning.models import CouncilDecision


def decision_registered(user, rows: list[CouncilDecision]) -> list[Notice]:
    """One notice for the rows of one registration (one year, or a three-year period)."""
    if not rows:
        return []
    first = rows[0]
    last_year = first.year + len(rows) - 1
    period = str(first.year) if len(rows) == 1 else f"{first.year}–{last_year}"
    is_user = user is not None and getattr(user, "is_authenticated", False)
    return [
        Notice(
            kind=NoticeKind.DECISION_REGISTERED,
            key=f"decision:{first.pk}:{first.version}",
            audience=Audience(
                imdi_for=first.municipality.number, exclude_user_id=user.pk if is_user else None
            ),
            params={
                "municipality": first.municipality.name,
                "year": str(first.year),
                "persons": first.persons,
                "uam_persons": first.uam_persons,
                "period": period,
            },
            url=reverse("planning:index") + f"?year={first.year}",
        )
    ]
