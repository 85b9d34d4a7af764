"""Areas for aggregates: ``national``, ``county:12``, ``region:imdi-vest``, ``municipality:1201``."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from bosetting.apps.accounts.selectors import own_area_of
from bosetting.apps.geo.selectors import (
    county,
    municipalities,
    municipality_numbers_for_office,
    office_by_code,
)
from bosetting.reference.structure import DEFAULT_STRUCTURE_YEAR


class AreaError(ValueError):
    """An area spec that cannot be resolved; the message says why."""


@dataclass(frozen=True)
class Area:
    spec: str
    label: str
    numbers: frozenset[str]


def resolve_area(spec: str, structure_year: int = DEFAULT_STRUCTURE_YEAR) -> Area:
    """The municipality numbers of an area spec, in the municipal structure ``structure_year``."""
    spec = (spec or "national").strip()
    kind, _, key = spec.partition(":")
    munis = municipalities(structure_year)
    if kind == "national" and not key:
        return Area("national", "Hele landet", frozenset(munis.values_list("number", flat=True)))
    if kind == "county" and key:
        try:
            found = county(key.zfill(2), structure_year)
        except ObjectDoesNotExist:
            raise AreaError(f"area: no county {key!r} in the {structure_year} structure") from None
        numbers = frozenset(munis.filter(county=found).values_list("number", flat=True))
        return Area(f"county:{found.number}", found.name, numbers)
    if kind == "region" and key:
        try:
            office = office_by_code(key)
        except ObjectDoesNotExist:
            raise AreaError(f"area: no regional office {key!r}") from None
        return Area(
            f"region:{office.code}", office.name, frozenset(municipality_numbers_for_office(office))
        )
    if kind == "municipality" and key:
        muni = munis.filter(number=key.zfill(4)).first()
        if muni is None:
            raise AreaError(f"area: no municipality {key!r} in the {structure_year} structure")
        return Area(f"municipality:{muni.number}", muni.name, frozenset([muni.number]))
    raise AreaError(
        f"area: {spec!r} is not national, county:NN, region:OFFICE or municipality:NNNN"
    )


def default_area_for(user) -> str:
    """The area a user sees first: its own municipality, office region, county, or the nation."""
    own = own_area_of(user)
    return f"{own[0]}:{own[1]}" if own else "national"
