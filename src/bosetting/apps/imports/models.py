"""Uploaded import files and what became of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file ("importfil"): kept between preview and confirmation, with its row report.

    Nothing from the file is written to the domain tables until the uploader confirms a preview
    without errors; then every row is written in one transaction, or none is."""

    class Kind(models.TextChoices):
        DECISIONS = "decisions", _("Vedtak om bosetting")
        UNITS = "units", _("Boliger")
        PERMITS = "permits", _("Vedtak om opphold (nye saker)")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Forhåndsvist")
        IMPORTED = "imported", _("Importert")
        FAILED = "failed", _("Avvist")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    report = models.JSONField(default=dict)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"
