"""Planning: the national need, IMDi's requests (anmodning) and the councils' decisions (vedtak)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.audit.versioning import Versioned
from bosetting.apps.planning.choices import Criterion, PlanStatus, Provenance

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


class SettlementPlan(Versioned):
    """The planning year ("planår"): the national committee's need for a year from UDI's prognosis,
    its proposed distribution by county and municipality, and the requests its approval sends.

    The weights say how much each criterion counts (any non-negative numbers; they are used as
    fractions of their sum). ``period_years`` 3 sends three-year requests (from 2014, L579–584)."""

    year = models.PositiveSmallIntegerField(unique=True)
    need_persons = models.PositiveIntegerField()
    need_uam_persons = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=200)
    source_date = models.DateField(null=True, blank=True)
    period_years = models.PositiveSmallIntegerField(default=1, choices=[(1, "1"), (3, "3")])
    weight_population = models.PositiveSmallIntegerField(default=40)
    weight_labour = models.PositiveSmallIntegerField(default=20)
    weight_record = models.PositiveSmallIntegerField(default=20)
    weight_housing = models.PositiveSmallIntegerField(default=10)
    weight_quality = models.PositiveSmallIntegerField(default=10)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    notes = models.JSONField(default=list, blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("planår")

    def __str__(self) -> str:
        return f"Plan {self.year}: {self.need_persons}"

    @property
    def weights(self) -> dict[str, int]:
        """The criteria's weights by criterion."""
        return {c: getattr(self, f"weight_{c}") for c in Criterion.values}

    @property
    def approved(self) -> bool:
        return self.status == PlanStatus.APPROVED


class PlanAllocation(Versioned):
    """One municipality's figure in a planning year ("kommunens andel av behovet").

    ``proposed_*`` is what the criteria give (``criteria`` holds each criterion's contribution);
    ``persons``/``uam_persons`` is the figure that will be requested — the proposal, or the regional
    office's adjustment with its ``reason``. ``quality`` is the regional office's assessment of the
    quality of the municipality's work (1–5, 3 neutral), one of the criteria."""

    plan = models.ForeignKey(SettlementPlan, on_delete=models.CASCADE, related_name="allocations")
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="plan_allocations"
    )
    score = models.FloatField(default=0.0)
    criteria = models.JSONField(default=list, blank=True)
    proposed_persons = models.PositiveIntegerField(default=0)
    proposed_uam_persons = models.PositiveIntegerField(default=0)
    persons = models.PositiveIntegerField(default=0)
    uam_persons = models.PositiveIntegerField(default=0)
    adjusted = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    quality = models.PositiveSmallIntegerField(default=3)
    quality_note = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "municipality__number"]
        verbose_name = _("kommunens andel")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "municipality"], name="allocation_unique_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.plan.year}: {self.persons}"
