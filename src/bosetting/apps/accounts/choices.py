"""Enumerations of accounts that other apps use ("roller")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the report's actors ("roller")."""

    IMDI_NATIONAL = "imdi_national", _("IMDi nasjonalt")
    IMDI_REGIONAL = "imdi_regional", _("IMDi regionkontor")
    MUNICIPAL = "municipal", _("Kommune")
    HUSBANKEN = "husbanken", _("Husbanken regionkontor")
    COUNTY_GOVERNOR = "county_governor", _("Statsforvalter/fylkesmann")
    ANALYST = "analyst", _("Analytiker (bare aggregater)")


IMDI_ROLES = frozenset({Role.IMDI_NATIONAL, Role.IMDI_REGIONAL})


class IdentifierKind(models.TextChoices):
    """What a pending grant names a person by ("identifikator"): how the person will log in."""

    PID = "pid", _("Fødselsnummer/d-nummer (ID-porten)")
    EMAIL = "email", _("E-postadresse (virksomhetens innlogging)")
    SUBJECT = "sub", _("Referanse fra innloggingen (sub)")
