"""Finance: the minimal economic facts needed for Husbanken's instruments ("økonomiske opplysninger").

Grant rates, loan shares and allowance parameters are *not* stored here: they are dated rules in
``bosetting.engine.rules``. This app holds only what is known about a household, and is sensitive.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HouseholdEconomy(models.Model):
    """Minimal, sensitive economic facts of a settled household ("økonomiske opplysninger").

    Shown only to those who may see the household's personal data (its municipality, IMDi in scope);
    never to Husbanken advisors, county governors or analysts. Every fact may be unknown (empty).
    """

    household = models.OneToOneField(
        "cases.Household", on_delete=models.CASCADE, related_name="economy"
    )
    has_work_income = models.BooleanField(
        null=True, blank=True, help_text=_("Someone in the household has income from work.")
    )
    yearly_income_nok = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Gross household income per year.")
    )
    arrived_in_norway_on = models.DateField(
        null=True, blank=True, help_text=_("Start of time in Norway (settlement if not known).")
    )
    can_get_ordinary_bank_loan = models.BooleanField(null=True, blank=True)
    can_service_loan = models.BooleanField(null=True, blank=True)
    long_term_low_income = models.BooleanField(null=True, blank=True)
    sensitive = models.BooleanField(default=True, editable=False)
    updated_on = models.DateField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "household economies"

    def __str__(self) -> str:
        return f"Økonomi {self.household}"

    def months_in_norway(self, on) -> int | None:
        """Whole months from arrival (or settlement when arrival is unknown) to ``on``."""
        start = self.arrived_in_norway_on or getattr(self.household, "settled_on", None)
        if start is None:
            return None
        months = (on.year - start.year) * 12 + (on.month - start.month)
        if on.day < start.day:
            months -= 1
        return max(0, months)
