"""Matching rounds ("utsøking") and the proposals they produce."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.matching.choices import DeclineReason, ProposalStatus, RoundStatus


class MatchingRound(models.Model):
    """One batch run of the matching engine ("utsøkingsrunde"), with its inputs and result summary."""

    Status = RoundStatus

    label = models.CharField(max_length=100, blank=True)
    as_of = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    solver = models.CharField(max_length=20, default="optimal")
    time_limit_seconds = models.FloatField(default=30.0)
    # matching-v2.md: weight of the predicted employment term (0 = outcome-blind) and whether the
    # look-ahead policy's capacity potentials are charged ("framsyn").
    outcome_weight = models.FloatField(default=0.0)
    lookahead = models.BooleanField(default=False)
    scope_municipalities = models.JSONField(
        default=list, blank=True, help_text=_("Empty: the whole country.")
    )
    instance = models.JSONField(
        null=True, blank=True, help_text=_("The engine instance (exchange format).")
    )
    summary = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    progress = models.FloatField(default=0.0)
    # The background job that runs the round ("bakgrunnsjobb", jobs.selectors.job_status); empty for
    # rounds run in the foreground (the command line, the demo's main job).
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label or f"Runde {self.pk} ({self.as_of})"


class Proposal(models.Model):
    """A proposal to settle a household in a municipality and unit ("forslag / forespørsel om bosetting")."""

    Status = ProposalStatus

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="proposals")
    household = models.ForeignKey(
        "cases.Household", on_delete=models.CASCADE, related_name="proposals"
    )
    municipality = models.ForeignKey(
        "geo.Municipality", on_delete=models.PROTECT, related_name="proposals"
    )
    unit = models.ForeignKey(
        "housing.HousingUnit", null=True, blank=True, on_delete=models.SET_NULL
    )
    score = models.FloatField()
    explanation = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    sent_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decline_reason = models.CharField(max_length=30, choices=DeclineReason.choices, blank=True)
    decline_text = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "-score"]
