"""Enumerations of geo that other apps use ("etater, mottakstyper")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.TextChoices):
    """The two state agencies with regional offices ("etat")."""

    IMDI = "imdi", "IMDi"
    HUSBANKEN = "husbanken", "Husbanken"


class ReceptionCentreKind(models.TextChoices):
    """Kinds of reception centre ("mottakstype")."""

    ORDINARY = "ordinary", _("Ordinært mottak")
    DECENTRALISED = "decentralised", _("Desentralisert mottak")
    UAM = "uam", _("Mottak for enslige mindreårige")
    TRANSIT = "transit", _("Transittmottak")
