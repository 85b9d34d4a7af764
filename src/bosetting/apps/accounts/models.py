"""Users' roles and scope. Every role sees only what its duty needs."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.choices import IdentifierKind, Role


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
    is_local_admin = models.BooleanField(
        default=False,
        help_text=_(
            "En kommunal bruker som gir og trekker tilbake tilgang for kommunens egne brukere."
        ),
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
        if self.is_local_admin and self.role != Role.MUNICIPAL:
            raise ValidationError(
                {"is_local_admin": _("Bare kommunale brukere kan være lokale administratorer.")}
            )


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


class Identity(models.Model):
    """A person as an OpenID Connect provider vouches for them ("verifisert identitet").

    ``issuer`` and ``subject`` (the ``iss`` and ``sub`` of the ID token) identify the person at that
    provider; ID-porten adds ``pid``, the national identity number. An identity gives no access by
    itself: it is linked to a user only when an administrator has granted the person a role and an
    area (a pending :class:`AccessGrant` that the first login claims)."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    pid = models.CharField(max_length=11, blank=True, db_index=True)
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="identities",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_issuer_subject")
        ]
        verbose_name_plural = "identities"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The person's name, else e-mail, else a masked identity number, else the reference."""
        if self.name:
            return self.name
        if self.email:
            return self.email
        if self.pid:
            return mask_pid(self.pid)
        return self.subject[:40]


def mask_pid(pid: str) -> str:
    """An identity number shown as its date of birth and five stars (``010170*****``)."""
    return pid[:6] + "*" * (len(pid) - 6) if len(pid) > 6 else pid


class AccessGrant(models.Model):
    """Access an administrator has granted a person before their first login ("forhåndstildelt
    tilgang"): the role and area they get and the identifier they will log in with. The first login
    of a verified identity with that identifier — and no access yet — claims it: a user is created
    with the grant's role and area. A grant is claimed or withdrawn at most once."""

    kind = models.CharField(max_length=10, choices=IdentifierKind.choices)
    identifier = models.CharField(max_length=255)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    office = models.ForeignKey(
        "geo.RegionalOffice", null=True, blank=True, on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        "geo.Municipality", null=True, blank=True, on_delete=models.PROTECT
    )
    county = models.ForeignKey("geo.County", null=True, blank=True, on_delete=models.PROTECT)
    is_local_admin = models.BooleanField(default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open grant per identifier: a second would make the first login ambiguous.
            models.UniqueConstraint(
                fields=["kind", "identifier"],
                condition=models.Q(claimed_at__isnull=True, withdrawn_at__isnull=True),
                name="accessgrant_one_open_per_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.masked_identifier} ({self.get_role_display()})"

    @property
    def masked_identifier(self) -> str:
        return mask_pid(self.identifier) if self.kind == IdentifierKind.PID else self.identifier

    @property
    def is_open(self) -> bool:
        return self.claimed_at is None and self.withdrawn_at is None


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app ("reservekode"). Only a hash is
    stored; a code is shown once when made and works once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
