"""Enumerations of matching that other apps use ("avslagsgrunner, status for forslag og runder")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclineReason(models.TextChoices):
    """Why a municipality declined a proposal ("avslagsgrunn")."""

    HOUSING_SIZE = "housing_size", _("Boligen passer ikke husholdningens størrelse")
    HOUSING_UNAVAILABLE = "housing_unavailable", _("Boligen er ikke lenger ledig")
    HEALTH_CAPACITY = "health_capacity", _("Mangler kapasitet i helsetjenesten")
    SCHOOL_KINDERGARTEN = "school", _("Mangler skole- eller barnehageplass")
    INTRO_PROGRAMME = "intro", _("Mangler plass i introduksjonsprogrammet")
    DECISION_FULL = "decision_full", _("Vedtaket er fylt opp")
    OTHER = "other", _("Annet")


class RoundStatus(models.TextChoices):
    """Where a matching round is ("status for utsøkingsrunde")."""

    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Kjører")
    DONE = "done", _("Ferdig")
    SENT = "sent", _("Sendt til kommunene")
    FAILED = "failed", _("Feilet")


class ProposalStatus(models.TextChoices):
    """Where a proposal is ("status for forslag")."""

    DRAFT = "draft", _("Utkast")
    SENT = "sent", _("Sendt")
    ACCEPTED = "accepted", _("Akseptert")
    DECLINED = "declined", _("Avslått")
    WITHDRAWN = "withdrawn", _("Trukket")
