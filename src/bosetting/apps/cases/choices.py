"""Enumerations of cases that other apps use. The statuses are the states of the lifecycle table
(``bosetting.engine.lifecycle.CaseState``) with their bokmål labels."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.engine.lifecycle import CaseState


class CaseStatus(models.TextChoices):
    """Where a household is in the pipeline (the report's four phases, in finer steps)."""

    PERMIT_GRANTED = CaseState.PERMIT_GRANTED.value, _("Innvilget opphold")
    NOTIFIED = CaseState.NOTIFIED.value, _("Vedtak forkynt")
    INTERVIEWED = CaseState.INTERVIEWED.value, _("Bosettingssamtale holdt")
    READY = CaseState.READY.value, _("Bosettingsklar")
    PROPOSED = CaseState.PROPOSED.value, _("Foreslått for kommune")
    ACCEPTED = CaseState.ACCEPTED.value, _("Akseptert av kommunen")
    PREPARING = CaseState.PREPARING.value, _("Avtale inngått – forberedes")
    SELF_SETTLEMENT_PENDING = CaseState.SELF_PENDING.value, _("Selvbosetting til godkjenning")
    SETTLED = CaseState.SETTLED.value, _("Bosatt")
    FOLLOW_UP = CaseState.FOLLOW_UP.value, _("Oppfølging")


class HouseholdType(models.TextChoices):
    """Kinds of household ("husholdningstype")."""

    SINGLE = "single", _("Enslig voksen")
    FAMILY_CHILDREN = "family_children", _("Familie med barn")
    FAMILY_NO_CHILDREN = "family_no_children", _("Familie uten barn")
    UAM = "uam", _("Enslig mindreårig")


class ReunificationSource(models.TextChoices):
    """Where the expectation of family reunification comes from ("kilde")."""

    OWN_STATEMENT = "own_statement", _("Flyktningens egne opplysninger")
    APPLICATION = "application", _("Søknad om familiegjenforening")


class Sex(models.TextChoices):
    """A person's sex ("kjønn")."""

    FEMALE = "f", _("Kvinne")
    MALE = "m", _("Mann")
    UNKNOWN = "u", _("Ukjent")


class Need(models.TextChoices):
    """Special needs the matching respects ("særskilte behov")."""

    ACCESSIBLE = "accessible", _("Tilgjengelig bolig")
    HEALTH_HIGH = "health_high", _("Store helsebehov")
    DISABILITY = "disability", _("Nedsatt funksjonsevne")


class SelfSettlementStatus(models.TextChoices):
    """IMDi's decision on a self-settlement ("selvbosetting")."""

    PENDING = "pending", _("Til behandling")
    APPROVED = "approved", _("Godkjent")
    REJECTED = "rejected", _("Avslått")


class ChecklistItem(models.TextChoices):
    """The items of the municipality's preparation checklist ("sjekkliste for forberedelse")."""

    HOUSING_UNIT = "housing_unit", _("Bolig tildelt")
    INTRO_PROGRAMME = "intro_programme", _("Plass i introduksjonsprogram")
    SCHOOL = "school", _("Skoleplass")
    KINDERGARTEN = "kindergarten", _("Barnehageplass")
    GP = "gp", _("Fastlege")
    HEALTH_FOLLOW_UP = "health_follow_up", _("Helseoppfølging")


class Step(models.TextChoices):
    """The lifecycle's events as the buttons and messages name them ("steg i saken"); the values are
    ``bosetting.engine.lifecycle.Event``."""

    REGISTER_PERMIT = "register_permit", _("Registrer vedtak om opphold")
    NOTIFY = "notify", _("Vedtaket er forkynt")
    INTERVIEW = "interview", _("Bosettingssamtalen er holdt")
    MARK_READY = "mark_ready", _("Bosettingsklar")
    PROPOSE = "propose", _("Send forslag til kommunen")
    ACCEPT = "accept", _("Aksepter forslaget")
    DECLINE = "decline", _("Avslå forslaget")
    WITHDRAW = "withdraw", _("Tilbake til køen")
    MAKE_AGREEMENT = "make_agreement", _("Avtale om bosetting inngått")
    SETTLE = "settle", _("Registrer bosatt")
    FOLLOW_UP = "follow_up", _("Til oppfølging")
    SUBMIT_SELF_SETTLEMENT = "submit_self_settlement", _("Meld selvbosetting")
    APPROVE_SELF_SETTLEMENT = "approve_self_settlement", _("Godkjenn selvbosetting")
    REJECT_SELF_SETTLEMENT = "reject_self_settlement", _("Avslå selvbosetting")
    EXPECT_REUNIFICATION = "expect_reunification", _("Registrer forventet familiegjenforening")
    REUNIFICATION_ARRIVED = "reunification_arrived", _("Familiemedlemmer har kommet")


MAX_HOUSEHOLD_PERSONS = 30
"""The most persons one household may have: far above any real family, low enough that a typing
slip (5 000) is refused instead of planned for."""

FIRST_PERMIT_DATE = date(1990, 1, 1)
"""The earliest residence permit the system takes: older ones are typing slips."""
