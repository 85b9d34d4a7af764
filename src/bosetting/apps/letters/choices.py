"""Enumerations of letters that other apps use ("brevtyper")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    """The letters the system writes ("brevtype"); each has its template ``letters/<value>.html``."""

    REQUEST = "request", _("Anmodning om bosetting")
    AGREEMENT = "agreement", _("Avtale om bosetting")
    PROPOSAL = "proposal", _("Forespørsel om bosetting")


#: The object type (``app_label.model``) each kind of letter is archived on.
KIND_OBJECT_TYPES: dict[str, str] = {
    LetterKind.REQUEST: "planning.settlementrequest",
    LetterKind.AGREEMENT: "cases.household",
    LetterKind.PROPOSAL: "matching.proposal",
}
