"""A small hand-made world for case and matching tests: a few households, units and decisions on the
real 2014 municipalities (Bergen 1201, Askøy 1247 in IMDi Vest; Oslo 0301 in IMDi Øst)."""

from __future__ import annotations

from datetime import date

from tests.factories import (
    CouncilDecisionFactory,
    HouseholdFactory,
    HousingUnitFactory,
)
from tests.factories import municipality as muni

from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.cases.models import Household
from bosetting.apps.geo.models import ReceptionCentre
from bosetting.apps.housing.models import HousingUnit

__all__ = ["make_decision", "make_household", "make_unit", "muni"]


def make_household(
    status: str = CaseStatus.READY,
    *,
    ages=(34, 6),
    permit_date: date = date(2014, 6, 1),
    household_type: str | None = None,
    municipality: str | None = None,
    needs=(),
    ties=(),
    health_note: str = "",
    centre: ReceptionCentre | None = None,
    on: date = date(2015, 1, 5),
) -> Household:
    """Members of the given ``ages`` on ``on``; the type follows from the ages unless given."""
    if household_type is not None:
        kwargs = {"household_type": household_type}
    else:
        kwargs = {}
    return HouseholdFactory(
        status=status,
        ages=ages,
        ages_on=on,
        permit_date=permit_date,
        number=municipality,
        needs=list(needs),
        ties=list(ties),
        health_note=health_note,
        reception_centre=centre,
        **kwargs,
    )


def make_unit(
    number: str,
    *,
    max_occupants: int = 4,
    kind: str = "municipal",
    available: date | None = date(2015, 1, 1),
    accessible: bool = False,
    zone: str | None = None,
    beds: int = 1,
) -> HousingUnit:
    """A unit in ``number``; without a ``zone``, units spread over three zones of the municipality."""
    kwargs = {"zone": zone} if zone else {"spread_zones": True}
    return HousingUnitFactory(
        number=number,
        max_occupants=max_occupants,
        kind=kind,
        available_from=available,
        accessible=accessible,
        beds=beds,
        rent_nok=9000,
        **kwargs,
    )


def make_decision(number: str, persons: int = 10, uam: int = 0, year: int = 2015):
    return CouncilDecisionFactory(number=number, year=year, persons=persons, uam_persons=uam)
