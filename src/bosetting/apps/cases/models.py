"""Households, persons and the settlement pipeline ("bosettingsprosessen").

Personal data is minimal by design: no names, no identity numbers. A household is known by its case
reference; a person by birth year and role in the household. Health notes are sensitive and shown only
to those whose duty needs them (see ``selectors``).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.audit.versioning import Versioned
from bosetting.apps.cases.choices import (
    CaseStatus,
    ChecklistItem,
    HouseholdType,
    ReunificationSource,
    SelfSettlementStatus,
    Sex,
)


class Household(Versioned):
    """A household to be settled — the case ("sak") that moves through the pipeline."""

    reference = models.CharField(max_length=20, unique=True)
    household_type = models.CharField(max_length=20, choices=HouseholdType.choices)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, db_index=True)
    reception_centre = models.ForeignKey(
        "geo.ReceptionCentre",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        help_text=_("The municipality it is proposed to, agreed with or settled in."),
    )
    unit = models.ForeignKey(
        "housing.HousingUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    # Phase dates (the report's four-phase model; each transition is also a CaseEvent).
    case_opened = models.DateField(
        null=True, blank=True, help_text=_("Saksopprettelse (asylum case).")
    )
    permit_date = models.DateField(
        null=True, blank=True, db_index=True, help_text=_("Vedtak om opphold.")
    )
    notified_on = models.DateField(null=True, blank=True)
    interview_on = models.DateField(null=True, blank=True)
    ready_on = models.DateField(null=True, blank=True, db_index=True)
    proposed_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    agreement_on = models.DateField(null=True, blank=True)
    settled_on = models.DateField(null=True, blank=True, db_index=True)
    self_settled = models.BooleanField(default=False)
    needs = models.JSONField(
        default=list, blank=True, help_text=_("accessible, health_high, disability")
    )
    ties = models.JSONField(
        default=list, blank=True, help_text=_("Municipality numbers with family/network.")
    )
    health_note = models.TextField(
        blank=True, help_text=_("Sensitive. Shown only to those who need it.")
    )
    # The refugee's own wishes from the settlement interview ("ønsker fra bosettingssamtalen"):
    # up to five municipality numbers, most wanted first (matching-v2.md §2).
    preferences = models.JSONField(
        default=list, blank=True, help_text=_("Wished municipality numbers, most wanted first.")
    )
    # Country-of-origin group ("landgruppe") for the rule "no group worse off" (matching-v2.md §3).
    country_group = models.CharField(max_length=40, blank=True)
    expected_reunification_persons = models.PositiveSmallIntegerField(
        default=0,
        help_text=_("Family members expected through reunification (not yet arrived)."),
    )
    expected_reunification_on = models.DateField(null=True, blank=True)
    expected_reunification_source = models.CharField(
        max_length=20,
        choices=ReunificationSource.choices,
        blank=True,
        help_text=_("The refugee's own statement or a reunification application."),
    )
    synthetic = models.BooleanField(default=False, help_text=_("Made up for the demo world."))
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_on = models.DateField(
        null=True, blank=True, help_text=_("Personal data removed (retention); figures kept.")
    )

    class Meta:
        ordering = ["permit_date", "reference"]
        indexes = [models.Index(fields=["status", "municipality"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def size(self) -> int:
        return self.persons.count()

    def wait_days(self, on: date) -> int | None:
        """Days since the residence permit."""
        if self.permit_date is None:
            return None
        end = self.settled_on or on
        return (end - self.permit_date).days


class Person(models.Model):
    """A member of a household ("person"). Birth year and role only; no names or identity numbers."""

    Sex = Sex

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="persons")
    birth_year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    is_principal = models.BooleanField(default=False)
    arrived_by_reunification = models.BooleanField(default=False)

    class Meta:
        ordering = ["household", "-is_principal", "birth_year"]

    def age_on(self, day: date) -> int:
        return day.year - self.birth_year


class CaseEvent(models.Model):
    """A timestamped transition of a case ("hendelse"), so that every phase can be timed."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    event = models.CharField(
        max_length=40, blank=True, help_text=_("The lifecycle event (bosetting.engine.lifecycle).")
    )
    on = models.DateField(help_text=_("The business date of the transition."))
    at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["household", "on", "id"]


class CaseChecklist(Versioned):
    """The municipality's preparation checklist for a household ("sjekkliste for forberedelse").

    One per household. ``done`` keeps who ticked each item and when: ``{item: {"by": username, "at": iso}}``.
    Which items are required depends on the household (see ``required_items``).
    """

    ITEMS = tuple(ChecklistItem.values)

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="checklist")
    housing_unit = models.ForeignKey(
        "housing.HousingUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    intro_programme = models.BooleanField(default=False)
    school = models.BooleanField(default=False)
    kindergarten = models.BooleanField(default=False)
    gp = models.BooleanField(default=False)
    health_follow_up = models.BooleanField(default=False)
    done = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Sjekkliste {self.household}"

    def item_done(self, item: str) -> bool:
        if item == "housing_unit":
            return self.housing_unit_id is not None
        return bool(getattr(self, item))


class SelfSettlement(models.Model):
    """A self-found private rental submitted by a municipality for IMDi's approval ("selvbosetting").

    IMDi must decide before the landlord's offer lapses (``lease_offer_deadline``). Without an approved
    agreement the household loses its right to the introduction programme.
    """

    Status = SelfSettlementStatus

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="self_settlements"
    )
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="self_settlements"
    )
    lease_offer_deadline = models.DateField()
    rent_nok = models.PositiveIntegerField(help_text=_("Monthly rent."))
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    previous_status = models.CharField(max_length=20, blank=True)
    submitted_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["lease_offer_deadline", "id"]

    def __str__(self) -> str:
        return f"Selvbosetting {self.household} i {self.municipality}"
