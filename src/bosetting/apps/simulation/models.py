"""Stored runs of the policy simulator ("simuleringskjøring"): inputs, seed, progress, result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.simulation.choices import scenario_text


class SimulationRun(models.Model):
    """One Monte Carlo sweep of a scenario, started from the web or the API ("simulering").

    Holds everything needed to run it again: scenario name, parameter overrides, seed, number of
    runs, horizon and matching mode. The result is the engine's ``SweepResult.to_dict()``:
    aggregates only, no personal data."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Kjører")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    scenario = models.CharField(max_length=100)
    label = models.CharField(max_length=120, blank=True)
    overrides = models.JSONField(default=dict, blank=True)
    seed = models.BigIntegerField()
    runs = models.PositiveSmallIntegerField()
    years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Reported years; empty: the scenario's.")
    )
    mode = models.CharField(max_length=10, default="fast")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0, help_text=_("0–1."))
    runs_done = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background job that runs the sweep ("bakgrunnsjobb", jobs.selectors.job_status).
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"{self.scenario_title} #{self.pk}"

    @property
    def scenario_title(self) -> str:
        """The scenario's bokmål name."""
        return str(scenario_text(self.scenario).title)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def progress_pct(self) -> int:
        return round(100 * self.progress)
