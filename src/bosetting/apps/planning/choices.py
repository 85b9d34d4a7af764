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


class PlanStatus(models.TextChoices):
    """Where a planning year stands ("planens status")."""

    DRAFT = "draft", _("Utkast")
    APPROVED = "approved", _("Godkjent – anmodningene er sendt")


class Criterion(models.TextChoices):
    """The criteria the national need is distributed by (Fafo 2015, L568–579)."""

    POPULATION = "population", _("Befolkning")
    LABOUR = "labour", _("Arbeidsmarked (sysselsetting)")
    RECORD = "record", _("Bosettingshistorikk (bosatt mot vedtatt)")
    HOUSING = "housing", _("Ledige boliger")
    QUALITY = "quality", _("Kvalitet i arbeidet (regionkontorets vurdering)")
