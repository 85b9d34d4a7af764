"""Uploaded import files and what became of them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One uploaded file ("importfil"): kept between preview and confirmation, with its row report.

    Nothing from the file is written to the domain tables until the uploader confirms a preview
    without errors; then every row is written in one transaction, or none is. The file is checked
    and written by background jobs (``task_id``, with their progress in ``stage``, ``done`` and
    ``total``). Its content is emptied after ``BOSETTING_IMPORT_RETENTION_DAYS`` (``purged_at``);
    the report and the other fields are kept."""

    class Kind(models.TextChoices):
        DECISIONS = "decisions", _("Vedtak om bosetting")
        UNITS = "units", _("Boliger")
        PERMITS = "permits", _("Vedtak om opphold (nye saker)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Venter på kontroll")
        CHECKING = "checking", _("Kontrolleres")
        PREVIEWED = "previewed", _("Forhåndsvist")
        CONFIRMED = "confirmed", _("Venter på lagring")
        WRITING = "writing", _("Lagres")
        IMPORTED = "imported", _("Importert")
        FAILED = "failed", _("Avvist")

    class Stage(models.TextChoices):
        NONE = "", _("—")
        READ = "read", _("Leser filen")
        CHECK = "check", _("Kontrollerer rader")
        WRITE = "write", _("Lagrer rader")

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
    # The uploaded file's size in bytes (kept when the content is purged).
    size = models.PositiveBigIntegerField(default=0)
    # The background job that checks or writes the file, and how far it has come.
    task_id = models.CharField(max_length=64, blank=True)
    stage = models.CharField(max_length=8, choices=Stage.choices, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Why a job failed or was given up (a refused file says why in its report).
    error = models.TextField(blank=True)
    # When the content was emptied after the retention period.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def active(self) -> bool:
        """Whether a background job is still to check or write the file."""
        return self.status in ACTIVE_STATUSES


#: Statuses in which a background job is still to check or write the file.
ACTIVE_STATUSES = (
    ImportBatch.Status.QUEUED,
    ImportBatch.Status.CHECKING,
    ImportBatch.Status.CONFIRMED,
    ImportBatch.Status.WRITING,
)
