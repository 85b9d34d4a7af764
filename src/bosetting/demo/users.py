"""Demo users (demo world only, password ``demo``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.models import Profile
from bosetting.apps.geo.models import County, Municipality, RegionalOffice

DEMO_PASSWORD = "demo"

# username, role, office code, municipality number, county number, full name
DEMO_USERS = (
    ("imdi.nasjonal", Role.IMDI_NATIONAL, None, None, None, "IMDi nasjonalt (demo)"),
    ("imdi.vest", Role.IMDI_REGIONAL, "imdi-vest", None, None, "IMDi Vest (demo)"),
    ("kommune.1201", Role.MUNICIPAL, None, "1201", None, "Bergen kommune (demo)"),
    ("kommune.0301", Role.MUNICIPAL, None, "0301", None, "Oslo kommune (demo)"),
    ("husbanken.vest", Role.HUSBANKEN, "hb-vest", None, None, "Husbanken Region vest (demo)"),
    ("fylkesmann.12", Role.COUNTY_GOVERNOR, None, None, "12", "Fylkesmannen i Hordaland (demo)"),
    ("analytiker", Role.ANALYST, None, None, None, "Analytiker (demo)"),
)


@transaction.atomic
def create_demo_users() -> list[str]:
    """Create (or reset) the demo users and their profiles. Idempotent."""
    user_model = get_user_model()
    names = []
    for username, role, office, muni, county, full_name in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=username)
        user.first_name = full_name
        user.set_password(DEMO_PASSWORD)
        user.save()
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": role,
                "office": RegionalOffice.objects.get(code=office) if office else None,
                "municipality": Municipality.objects.get(structure_year=2014, number=muni)
                if muni
                else None,
                "county": County.objects.get(structure_year=2014, number=county)
                if county
                else None,
            },
        )
        names.append(username)
    return names
