"""Geography: counties, municipalities, the two agencies' regional offices, reception centres.

Municipal structures change (2020 and 2024 reforms), so every municipality and county belongs to a
*structure* (the year whose map it is) and has validity dates where the data gives them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.geo.choices import Agency, ReceptionCentreKind


class DataSource(models.Model):
    """A reference data set ("datakilde"): where it came from, under which licence, and caveats."""

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200)
    licence = models.CharField(max_length=200)
    origin = models.TextField(
        help_text=_("Where the file was taken from (repository, commit, page).")
    )
    caveats = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.title


class County(models.Model):
    """A county ("fylke") in a given municipal structure."""

    structure_year = models.PositiveSmallIntegerField(
        help_text=_("The year whose county map this is.")
    )
    number = models.CharField(max_length=2)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["structure_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure_year", "number"], name="county_unique_per_structure"
            )
        ]
        verbose_name_plural = "counties"

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Municipality(models.Model):
    """A municipality ("kommune") in a given municipal structure (2014: 428; 2024: 357)."""

    structure_year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=4, help_text=_("Kommunenummer, four digits."))
    name = models.CharField(max_length=100)
    name_unique = models.CharField(
        max_length=120, help_text=_("Name with county qualifier where shared.")
    )
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    valid_from = models.DateField(null=True, blank=True, help_text=_("Empty: not in the data."))
    valid_to = models.DateField(
        null=True, blank=True, help_text=_("Empty: still valid or not in the data.")
    )
    successor_number = models.CharField(
        max_length=4, blank=True, help_text=_("Number in the 2024 structure.")
    )
    area_km2 = models.FloatField(null=True, blank=True)
    admin_centre = models.CharField(max_length=100, blank=True)
    written_form = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["structure_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure_year", "number"], name="municipality_unique_per_structure"
            )
        ]
        verbose_name_plural = "municipalities"

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class MunicipalityYearStat(models.Model):
    """Yearly real statistics of a municipality: population on 1 January, employment rates (SSB)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="year_stats"
    )
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Population on 1 January.")
    )
    employment_rate_pct = models.FloatField(null=True, blank=True)
    employment_rate_immigrants_pct = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["municipality", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="municipality_stat_unique_year"
            )
        ]


class RegionalOffice(models.Model):
    """A regional office ("regionkontor") of IMDi or Husbanken."""

    Agency = Agency

    agency = models.CharField(max_length=12, choices=Agency.choices)
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    city = models.CharField(max_length=100)
    part_of_country = models.CharField(
        max_length=10, help_text=_("øst, sør, vest, midt, nord (Table 5.1).")
    )

    class Meta:
        ordering = ["agency", "code"]

    def __str__(self) -> str:
        return self.name


class RegionalCoverage(models.Model):
    """Which counties (or parts of a county) a regional office covers, as dated data (Table 5.1)."""

    office = models.ForeignKey(RegionalOffice, on_delete=models.CASCADE, related_name="coverages")
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="coverages")
    partial = models.BooleanField(default=False, help_text=_("Covers only part of the county."))
    area_note = models.CharField(
        max_length=200, blank=True, help_text=_("E.g. 'Sør-Troms, Midt-Troms'.")
    )
    municipality_numbers = models.JSONField(
        default=list, blank=True, help_text=_("For a partial coverage: the municipalities covered.")
    )
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200)

    class Meta:
        ordering = ["office", "county"]


class ReceptionCentre(models.Model):
    """A reception centre ("asylmottak") where settlement-ready refugees wait."""

    Kind = ReceptionCentreKind

    name = models.CharField(max_length=150)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="reception_centres"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    capacity_persons = models.PositiveIntegerField(null=True, blank=True)
    synthetic = models.BooleanField(default=False, help_text=_("Made up for the demo world."))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DemoWorld(models.Model):
    """Marker that the synthetic demo world is loaded, with its seed; every page then says so."""

    seed = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField()
    summary = models.JSONField(default=dict)
