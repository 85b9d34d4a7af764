"""Areas for aggregates: ``national``, ``county:12``, ``region:imdi-vest``, ``municipality:1201``."""

from __future__ import annotations

from dataclasses import dataclass

from bosetting.apps.accounts.choices import Role


class AreaError(ValueError):
    """An area spec that cannot be resolved; the message says why."""


@dataclass(frozen=True)
class Area:
    spec: str
    label: str
    numbers: frozenset[str]


def resolve_area(spec: str, structure_year: int = 2014) -> Area:
    """The municipality numbers of an area spec (2014 structure)."""
    from bosetting.apps.geo.models import County, Municipality, RegionalOffice
    from bosetting.apps.geo.selectors import municipality_numbers_for_office

    spec = (spec or "national").strip()
    kind, _, key = spec.partition(":")
    munis = Municipality.objects.filter(structure_year=structure_year)
    if kind == "national" and not key:
        return Area("national", "Hele landet", frozenset(munis.values_list("number", flat=True)))
    if kind == "county" and key:
        county = County.objects.filter(structure_year=structure_year, number=key.zfill(2)).first()
        if county is None:
            raise AreaError(f"area: no county {key!r} in the {structure_year} structure")
        numbers = frozenset(munis.filter(county=county).values_list("number", flat=True))
        return Area(f"county:{county.number}", county.name, numbers)
    if kind == "region" and key:
        office = RegionalOffice.objects.filter(code=key).first()
        if office is None:
            raise AreaError(f"area: no regional office {key!r}")
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
    from bosetting.apps.accounts.selectors import _has_profile

    if user is None or not getattr(user, "is_authenticated", False) or not _has_profile(user):
        return "national"
    profile = user.profile
    if profile.role == Role.MUNICIPAL and profile.municipality_id:
        return f"municipality:{profile.municipality.number}"
    if profile.role in (Role.IMDI_REGIONAL, Role.HUSBANKEN) and profile.office_id:
        return f"region:{profile.office.code}"
    if profile.role == Role.COUNTY_GOVERNOR and profile.county_id:
        return f"county:{profile.county.number}"
    return "national"
