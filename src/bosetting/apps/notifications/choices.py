"""Enumerations of notifications that other apps use ("varseltyper")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.choices import IMDI_ROLES, Role


class NoticeKind(models.TextChoices):
    """What a notice is about ("varseltype"). Each user chooses which kinds also come by e-mail."""

    PROPOSAL_RECEIVED = "proposal_received", _("Nytt forslag om bosetting")
    ANSWER_DUE = "answer_due", _("Svarfrist for forslag nærmer seg")
    SELF_SETTLEMENT_DUE = "self_settlement_due", _("Frist for selvbosetting nærmer seg")
    ROUND_FINISHED = "round_finished", _("Utsøkingsrunde ferdig")
    DECISION_REGISTERED = "decision_registered", _("Vedtak registrert")
    LEASE_ENDING = "lease_ending", _("Leiekontrakt går ut")


#: Days before a deadline its notice comes (the issue: answer due in 2 days, the self-settlement's
#: offer in 3, a lease's end in 60).
LEAD_DAYS: dict[str, int] = {
    NoticeKind.ANSWER_DUE: 2,
    NoticeKind.SELF_SETTLEMENT_DUE: 3,
    NoticeKind.LEASE_ENDING: 60,
}

#: The roles each kind goes to (the settings page offers a user only the kinds of its role).
KIND_ROLES: dict[str, frozenset[str]] = {
    NoticeKind.PROPOSAL_RECEIVED: frozenset({Role.MUNICIPAL}),
    NoticeKind.ANSWER_DUE: frozenset({Role.MUNICIPAL}),
    NoticeKind.LEASE_ENDING: frozenset({Role.MUNICIPAL}),
    NoticeKind.SELF_SETTLEMENT_DUE: IMDI_ROLES,
    NoticeKind.ROUND_FINISHED: IMDI_ROLES,
    NoticeKind.DECISION_REGISTERED: IMDI_ROLES,
}
