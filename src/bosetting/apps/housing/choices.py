"""Enumerations of housing that other apps use ("boligtyper, utfall, boform")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    """The housing solution types of the report (section 5.2)."""

    MUNICIPAL = "municipal", _("Kommunal bolig")
    PRIVATE_SUBLET = "private_sublet", _("Privat bolig fremleid av kommunen")
    PRIVATE_SELF = "private_self", _("Selvfunnet privat bolig")
    SHARED = "shared", _("Bofellesskap")


class LeaseOutcome(models.TextChoices):
    """What happened when a (temporary) lease ended ("utfall ved kontraktsslutt")."""

    RENEWED = "renewed", _("Kontrakten fornyet")
    MOVED_PRIVATE_RENTAL = "moved_private_rental", _("Flyttet til privat leie")
    BOUGHT_START_LOAN = "bought_start_loan", _("Kjøpt bolig med startlån")
    BOUGHT_OTHER = "bought_other", _("Kjøpt bolig uten startlån")
    LEASE_TO_OWN = "lease_to_own", _("Leie til eie")
    MOVED_MUNICIPAL = "moved_municipal", _("Flyttet til annen kommunal bolig")
    MOVED_AWAY = "moved_away", _("Flyttet fra kommunen")
    OTHER = "other", _("Annet")


class Tenure(models.TextChoices):
    """Kinds of home along a housing career ("boform")."""

    MUNICIPAL_RENTAL = "municipal_rental", _("Kommunal utleiebolig")
    PRIVATE_SUBLET = "private_sublet", _("Privat bolig fremleid av kommunen")
    PRIVATE_RENTAL = "private_rental", _("Privat leie")
    SHARED = "shared", _("Bofellesskap")
    LEASE_TO_OWN = "lease_to_own", _("Leie til eie")
    OWNED = "owned", _("Eid bolig")


#: The tenure a unit kind gives its first household.
TENURE_FOR_KIND = {
    UnitKind.MUNICIPAL: Tenure.MUNICIPAL_RENTAL,
    UnitKind.PRIVATE_SUBLET: Tenure.PRIVATE_SUBLET,
    UnitKind.PRIVATE_SELF: Tenure.PRIVATE_RENTAL,
    UnitKind.SHARED: Tenure.SHARED,
}


class BookingStatus(models.TextChoices):
    """What a row of a unit's booking calendar is ("reservasjon eller leiekontrakt").

    A reservation holds a flat for a household from the day a proposal is sent (or a self-found home is
    reported) until it moves in; it then becomes the lease. A released reservation frees the flat.
    """

    RESERVED = "reserved", _("Reservert")
    CONTRACT = "contract", _("Leiekontrakt")
    RELEASED = "released", _("Frigitt")


#: Booking rows that occupy the unit (a released reservation does not).
OCCUPYING = (BookingStatus.RESERVED, BookingStatus.CONTRACT)


#: Household size bands of the housing gap ("husholdningsstørrelse"); a unit falls in the band of its
#: ``max_occupants``.
SIZE_BANDS: tuple[str, ...] = ("1", "2", "3-4", "5+")
SIZE_BAND_LABELS = {"1": "1 person", "2": "2 personer", "3-4": "3–4 personer", "5+": "5+ personer"}


def size_band(persons: int) -> str:
    """The size band of a household (or of a unit's ``max_occupants``)."""
    if persons <= 1:
        return "1"
    if persons == 2:
        return "2"
    if persons <= 4:
        return "3-4"
    return "5+"
