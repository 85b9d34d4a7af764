"""The good-practice library ("eksempelbibliotek", «gode grep»): structured examples with the context
of the municipality they come from, so that a municipality can find examples from places like
itself (report L3088–3103, L3447–3450)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeExample(models.Model):
    """A good-practice example ("godt eksempel") from one municipality, with problem, solution,
    organisation, instruments, results and the municipality's context, each cited."""

    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="practice_examples"
    )
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    problem = models.TextField()
    solution = models.TextField()
    organisation = models.TextField(blank=True)
    instruments = models.JSONField(default=list, blank=True, help_text=_("Virkemidler brukt."))
    results = models.TextField(blank=True)
    # Context as the source gives it
    population = models.PositiveIntegerField(null=True, blank=True)
    population_note = models.CharField(max_length=120, blank=True)
    settled_per_year = models.PositiveIntegerField(null=True, blank=True)
    settled_note = models.CharField(max_length=200, blank=True)
    immigrant_share_pct = models.FloatField(null=True, blank=True)
    municipal_dwellings = models.PositiveIntegerField(null=True, blank=True)
    housing_note = models.CharField(max_length=300, blank=True)
    labour_market = models.TextField(blank=True)
    economy = models.TextField(blank=True)
    intro_to_work_pct = models.FloatField(null=True, blank=True)
    # Where it comes from
    source = models.CharField(max_length=200)
    source_lines = models.CharField(max_length=40, blank=True)
    citations = models.JSONField(
        default=dict, blank=True, help_text=_("Line ranges per field, e.g. {'results': 'L1995'}.")
    )
    verification = models.JSONField(
        default=list, blank=True, help_text=_("The report's figures checked against the data.")
    )
    search_text = models.TextField(blank=True, editable=False)
    synthetic = models.BooleanField(default=False)
    seeded = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["municipality__number", "title"]

    def __str__(self) -> str:
        return f"{self.municipality.name}: {self.title}"

    def build_search_text(self) -> str:
        parts = [
            self.title,
            self.municipality.name,
            self.problem,
            self.solution,
            self.organisation,
            " ".join(self.instruments or []),
            self.results,
            self.labour_market,
            self.economy,
            self.housing_note,
        ]
        return "\n".join(p for p in parts if p)

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)
