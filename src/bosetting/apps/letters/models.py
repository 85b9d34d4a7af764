"""Letters made as PDF and archived on the object they are about ("arkiverte brev")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.letters.choices import LetterKind


class Letter(models.Model):
    """One letter as it was made ("brev"): the PDF itself, what it is about, the business day it is
    dated, who made it and when. Never changed: a new letter about the same object is a new row, so
    the archive shows every version that went out. The PDF is stored in the database (a few tens of
    kilobytes), so it is written in the transaction that records it and is in every backup; lists
    never read it (``defer``)."""

    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    object_type = models.CharField(max_length=60, help_text=_("app_label.model of the object."))
    object_id = models.PositiveBigIntegerField()
    municipality = models.ForeignKey(
        "geo.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    dated = models.DateField(help_text=_("The letter's date (the business date it was made)."))
    made_at = models.DateTimeField(auto_now_add=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_by_name = models.CharField(max_length=150)
    pdf = models.BinaryField()
    size_bytes = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-made_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return f"{self.kind}-{self.object_id}-{self.pk}.pdf"
