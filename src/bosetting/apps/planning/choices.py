"""Enumerations of planning that other apps use ("opphav")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.TextChoices):
    """Where a figure comes from."""

    REAL = "real", _("Reelle tall (IMDi)")
    DEMO = "demo", _("Syntetisk (demo)")
    ENTERED = "entered", _("Registrert i systemet")
    IMPORTED = "imported", _("Importert fil")
