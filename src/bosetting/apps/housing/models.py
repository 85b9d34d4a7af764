"""Housing stock: units and leases ("boliger og leiekontrakter")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """The housing solution types of the report (section 5.2)."""

    MUNICIPAL = "municipal", _("Kommunal bolig")
    PRIVATE_SUBLET = "private_sublet", _("Privat bolig fremleid av kommunen")
    PRIVATE_SELF = "private_self", _("Selvfunnet privat bolig")
    SHARED = "shared", _("Bofellesskap")


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

    def __str__(self) -> str:
        return self.code


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
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["unit", "start"]
