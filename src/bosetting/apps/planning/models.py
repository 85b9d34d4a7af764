"""Planning: the national need, IMDi's requests (anmodning) and the councils' decisions (vedtak)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.audit.versioning import Versioned
from bosetting.apps.planning.choices import Provenance

# Years a request or decision may be registered for (the model starts in the 1990s; plans reach ahead).
FIRST_YEAR = 1990
LAST_YEAR = 2100


def _check_counts(obj) -> None:
    """The rules a request and a decision share: a sane year, unaccompanied minors within the total."""
    errors = {}
    if obj.year is not None and not FIRST_YEAR <= obj.year <= LAST_YEAR:
        errors["year"] = _("Året må være mellom 1990 og 2100.")
    if obj.persons is not None and obj.uam_persons is not None and obj.uam_persons > obj.persons:
        errors["uam_persons"] = _("Enslige mindreårige kan ikke være flere enn antallet totalt.")
    if obj.period_start is not None and obj.year is not None:
        if not obj.period_start <= obj.year < obj.period_start + (obj.period_years or 1):
            errors["period_start"] = _("Året ligger utenfor perioden.")
    if errors:
        raise ValidationError(errors)


class NationalNeed(models.Model):
    """The settlement need set by the national committee ("Nasjonalt utvalg for bosetting av flyktninger")."""

    year = models.PositiveSmallIntegerField(unique=True)
    persons = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.persons}"


class SettlementRequest(Versioned):
    """IMDi's request to a municipality to settle a number of refugees in a year ("anmodning").

    A three-year request is stored as one row per year with the same ``period_start``/``period_years``.
    """

    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="requests"
    )
    year = models.PositiveSmallIntegerField()
    persons = models.PositiveIntegerField()
    uam_persons = models.PositiveIntegerField(
        default=0, help_text=_("Of which unaccompanied minors.")
    )
    period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(default=1, choices=[(1, "1"), (3, "3")])
    sent_on = models.DateField(null=True, blank=True)
    supplementary = models.BooleanField(default=False, help_text=_("Tilleggsanmodning."))
    provenance = models.CharField(
        max_length=10, choices=Provenance.choices, default=Provenance.ENTERED
    )

    class Meta:
        ordering = ["year", "municipality__number"]
        verbose_name = _("anmodning")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "supplementary"], name="request_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Anmodning {self.municipality} {self.year}: {self.persons}"

    def clean(self) -> None:
        _check_counts(self)


class CouncilDecision(Versioned):
    """The municipal council's decision on how many refugees to settle in a year ("vedtak om bosetting").

    ``persons`` 0 means the council decided to settle none. A municipality with no row for a year has
    registered no decision ("uten vedtak").
    """

    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField()
    persons = models.PositiveIntegerField()
    uam_persons = models.PositiveIntegerField(default=0)
    decided_on = models.DateField(null=True, blank=True)
    period_start = models.PositiveSmallIntegerField(null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(default=1, choices=[(1, "1"), (3, "3")])
    note = models.TextField(blank=True)
    provenance = models.CharField(
        max_length=10, choices=Provenance.choices, default=Provenance.ENTERED
    )

    class Meta:
        ordering = ["year", "municipality__number"]
        verbose_name = _("vedtak")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="decision_unique_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"Vedtak {self.municipality} {self.year}: {self.persons}"

    def clean(self) -> None:
        _check_counts(self)


class ReportedSettlement(models.Model):
    """IMDi's published count of persons settled in a municipality in a year ("bosatte", real figures).

    Kept apart from the case records: the demo world's synthetic households reproduce these counts."""

    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="reported"
    )
    year = models.PositiveSmallIntegerField()
    persons = models.PositiveIntegerField()
    status = models.CharField(max_length=20, default="final")
    as_of = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["year", "municipality__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="reported_unique_per_year"
            )
        ]
