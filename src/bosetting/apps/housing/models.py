"""Housing stock: units, leases and housing careers ("boliger, leiekontrakter og boligkarriere").

The rules that keep the stock sane live here, so that the import, the API and the web forms — which all
call ``full_clean()`` — refuse the same things with the same message: no negative rents, no unit with
room for nobody, no lease ending before it starts (database constraints, checked by ``full_clean`` too),
no two leases on one unit at the same time, and no household larger than the unit takes (``clean``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bosetting.apps.housing.choices import LeaseOutcome, Tenure, UnitKind


class HousingUnit(models.Model):
    """A dwelling a municipality can settle refugees in ("bolig")."""

    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=UnitKind.choices)
    bedrooms = models.PositiveSmallIntegerField()
    max_occupants = models.PositiveSmallIntegerField()
    beds = models.PositiveSmallIntegerField(
        default=1, help_text=_("For shared housing: single adults it takes.")
    )
    zone = models.CharField(max_length=40, help_text=_("Neighbourhood id inside the municipality."))
    accessible = models.BooleanField(default=False)
    available_from = models.DateField(
        null=True, blank=True, help_text=_("Empty: not reported available.")
    )
    rent_nok = models.PositiveIntegerField(null=True, blank=True, help_text=_("Monthly rent."))
    flag_damp_mould = models.BooleanField(default=False)
    flag_unsuitable_children = models.BooleanField(default=False)
    flag_heavy_environment = models.BooleanField(default=False)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["municipality__number", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rent_nok__isnull=True) | Q(rent_nok__gte=0),
                name="unit_rent_not_negative",
                violation_error_message=_("Husleien kan ikke være negativ."),
            ),
            models.CheckConstraint(
                condition=Q(max_occupants__gte=1),
                name="unit_room_for_someone",
                violation_error_message=_("En bolig må ha plass til minst én person."),
            ),
            models.CheckConstraint(
                condition=Q(beds__gte=1),
                name="unit_at_least_one_bed",
                violation_error_message=_("En bolig må ha minst én sengeplass."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.rent_nok is not None and self.rent_nok < 0:
            errors["rent_nok"] = _("Husleien kan ikke være negativ.")
        if self.max_occupants is not None and self.max_occupants < 1:
            errors["max_occupants"] = _("En bolig må ha plass til minst én person.")
        if (
            self.kind == UnitKind.SHARED
            and self.beds is not None
            and self.max_occupants is not None
            and self.beds > self.max_occupants
        ):
            errors["beds"] = _("Et bofellesskap kan ikke ha flere sengeplasser enn maks beboere.")
        if errors:
            raise ValidationError(errors)

    @property
    def capacity_places(self) -> int:
        """Households the unit takes at once: one, or one per bed in shared housing."""
        return self.beds if self.kind == UnitKind.SHARED else 1


class Lease(models.Model):
    """A lease of a unit to a household ("leiekontrakt"), typically three years for a first home."""

    unit = models.ForeignKey(HousingUnit, on_delete=models.PROTECT, related_name="leases")
    household = models.ForeignKey(
        "cases.Household", null=True, blank=True, on_delete=models.SET_NULL, related_name="leases"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(default=3)
    rent_nok = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=LeaseOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["unit", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="lease_ends_after_start",
                violation_error_message=_("Kontrakten må slutte etter at den begynner."),
            ),
            models.CheckConstraint(
                condition=Q(rent_nok__isnull=True) | Q(rent_nok__gte=0),
                name="lease_rent_not_negative",
                violation_error_message=_("Husleien kan ikke være negativ."),
            ),
            models.CheckConstraint(
                condition=Q(notice_months__lte=24),
                name="lease_notice_at_most_24_months",
                violation_error_message=_("Oppsigelsestiden kan være høyst 24 måneder."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start}–{self.end or ''}"

    def overlapping(self) -> models.QuerySet[Lease]:
        """Other leases of the same unit whose period meets this one's (end is exclusive)."""
        qs = Lease.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
        qs = qs.filter(Q(end__isnull=True) | Q(end__gt=self.start))
        if self.end is not None:
            qs = qs.filter(start__lt=self.end)
        return qs

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.rent_nok is not None and self.rent_nok < 0:
            errors["rent_nok"] = _("Husleien kan ikke være negativ.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Kontrakten må slutte etter at den begynner.")
        if self.unit_id and self.start and "end" not in errors:
            unit = self.unit
            others = list(self.overlapping().select_related("household"))
            if unit.kind == UnitKind.SHARED:
                if len(others) + 1 > unit.beds:
                    errors["start"] = _(
                        "Bofellesskapet har ingen ledig sengeplass i denne perioden."
                    )
            elif others:
                errors["start"] = _(
                    "Boligen har allerede en leiekontrakt som overlapper denne perioden (%(other)s)."
                ) % {"other": f"{others[0].start}–{others[0].end or '…'}"}
            if self.household_id:
                persons = self.household.persons.count()
                if unit.kind == UnitKind.SHARED:
                    persons += sum(o.household.persons.count() for o in others if o.household_id)
                if persons > unit.max_occupants:
                    errors["household"] = _(
                        "Overbelegg: husholdningen har %(persons)s personer, men boligen tar høyst "
                        "%(max)s."
                    ) % {"persons": persons, "max": unit.max_occupants}
                muni = self.household.municipality_id
                if muni is not None and muni != unit.municipality_id:
                    errors["household"] = _("Husholdningen hører til en annen kommune enn boligen.")
        if self.outcome and self.outcome_on is None:
            errors["outcome_on"] = _("Oppgi datoen for utfallet.")
        if errors:
            raise ValidationError(errors)


class HousingCareerStep(models.Model):
    """One dated step of a settled household's housing career ("trinn i boligkarrieren").

    The path the report hopes for: municipal rental -> private rental -> owned (or lease-to-own).
    """

    household = models.ForeignKey(
        "cases.Household", on_delete=models.CASCADE, related_name="career_steps"
    )
    on = models.DateField()
    tenure = models.CharField(max_length=20, choices=Tenure.choices)
    municipality = models.ForeignKey(
        "geo.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        HousingUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="career_steps"
    )
    lease = models.ForeignKey(
        Lease, null=True, blank=True, on_delete=models.SET_NULL, related_name="career_steps"
    )
    start_loan = models.BooleanField(default=False, help_text=_("Financed with a start loan."))
    note = models.CharField(max_length=200, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["household", "on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "on", "tenure"], name="career_step_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.on} {self.tenure}"
