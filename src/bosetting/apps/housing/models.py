"""Housing stock: units, leases and housing careers ("boliger, leiekontrakter og boligkarriere").

The rules that keep the stock sane live here, so that the import, the API and the web forms — which all
call ``full_clean()`` — refuse the same things with the same message: no negative rents, no unit with
room for nobody, no lease ending before it starts (database constraints, checked by ``full_clean`` too),
and the booking rule — no two reservations or leases of one bed at the same time, no household larger
than the unit takes — which ``services.do_book`` applies under a lock on the unit (and PostgreSQL
enforces with an exclusion constraint).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bosetting.apps.audit.versioning import Versioned
from bosetting.apps.housing.choices import (
    OCCUPYING,
    BookingStatus,
    LeaseOutcome,
    Tenure,
    UnitKind,
)


class HousingUnit(Versioned):
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


class LeaseQuerySet(models.QuerySet):
    """Rows of the units' booking calendars: reservations and leases."""

    def contracts(self) -> LeaseQuerySet:
        """Signed leases only ("leiekontrakter")."""
        return self.filter(status=BookingStatus.CONTRACT)

    def reservations(self) -> LeaseQuerySet:
        """Reservations that still hold their unit."""
        return self.filter(status=BookingStatus.RESERVED)

    def occupying(self) -> LeaseQuerySet:
        """Rows that occupy their unit (reservations and leases, not released ones)."""
        return self.filter(status__in=OCCUPYING)

    def overlapping(self, start, end) -> LeaseQuerySet:
        """Rows whose period ``[start, end)`` meets ``[start, end)`` (``end`` None = open-ended)."""
        qs = self.filter(Q(end__isnull=True) | Q(end__gt=start))
        return qs if end is None else qs.filter(start__lt=end)


class Lease(Versioned):
    """A row of a unit's booking calendar: a lease ("leiekontrakt"), typically three years for a first
    home, or a reservation that holds the flat for a household until it moves in ("reservasjon").

    One booking rule covers both: two rows that occupy the same bed of a unit may not overlap in time.
    The housing service checks it under a lock on the unit; on PostgreSQL an exclusion constraint
    (migration 0004) makes an overlap impossible even if code forgets. Ordinary units have one bed;
    a shared unit ("bofellesskap") one per resident. ``end`` is exclusive; an open-ended row (a
    reservation, or a lease without an end) runs until further notice.
    """

    unit = models.ForeignKey(HousingUnit, on_delete=models.PROTECT, related_name="leases")
    household = models.ForeignKey(
        "cases.Household", null=True, blank=True, on_delete=models.SET_NULL, related_name="leases"
    )
    status = models.CharField(
        max_length=10,
        choices=BookingStatus.choices,
        default=BookingStatus.CONTRACT,
        db_index=True,
    )
    bed = models.PositiveSmallIntegerField(
        default=1, help_text=_("Which bed of a shared unit; 1 for other units.")
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    notice_months = models.PositiveSmallIntegerField(default=3)
    rent_nok = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=LeaseOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)

    objects = LeaseQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "start"]
        indexes = [models.Index(fields=["unit", "status", "start"])]
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
            models.CheckConstraint(
                condition=Q(bed__gte=1),
                name="lease_bed_from_one",
                violation_error_message=_("Sengeplassen må være 1 eller mer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start}–{self.end or ''}"

    def clean(self) -> None:
        """The rules of one row; the booking rule (no overlap, no over-occupancy) needs the unit's
        other rows under a lock and is checked by ``services.do_book``."""
        errors: dict[str, str] = {}
        if self.rent_nok is not None and self.rent_nok < 0:
            errors["rent_nok"] = _("Husleien kan ikke være negativ.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("Kontrakten må slutte etter at den begynner.")
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
