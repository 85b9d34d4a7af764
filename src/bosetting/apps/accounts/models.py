"""Users' roles and scope. Every role sees only what its duty needs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.choices import Role


class Profile(models.Model):
    """A user's role and the area it covers ("brukerprofil")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        "geo.RegionalOffice",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For IMDi regional and Husbanken roles."),
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For municipal officers."),
    )
    county = models.ForeignKey(
        "geo.County",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("For county governors."),
    )

    def __str__(self) -> str:
        return f"{self.user.username} ({self.get_role_display()})"

    def clean(self) -> None:
        needs = {
            Role.IMDI_REGIONAL: "office",
            Role.HUSBANKEN: "office",
            Role.MUNICIPAL: "municipality",
            Role.COUNTY_GOVERNOR: "county",
        }
        field = needs.get(self.role)
        if field and getattr(self, f"{field}_id") is None:
            raise ValidationError({field: _("This role needs its area.")})


class ApiToken(models.Model):
    """A bearer token for the REST API ("API-nøkkel"). Only a hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, help_text=_("After this the token is refused."))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"token {self.pk} for {self.user}"

    def is_active(self, now) -> bool:
        """Not revoked and not expired at ``now``."""
        return self.revoked_at is None and self.expires_at is not None and self.expires_at > now
