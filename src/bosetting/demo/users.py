"""Demo users (demo world only, password ``demo``)."""

from __future__ import annotations

from django.db import transaction

from bosetting.apps.accounts.choices import Role
from bosetting.apps.accounts.services import do_set_user

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

#: The demo users' e-mail addresses (notices): the reserved top-level domain ``.invalid`` can never be
#: delivered to, and the demo's mail goes to files under ``var/mail/`` anyway (docs/notifications.md).
DEMO_EMAIL_DOMAIN = "demo.bosetting.invalid"

#: Demo users who manage their municipality's users (the access pages under /konto/tilganger/).
LOCAL_ADMINS = frozenset({"kommune.1201"})


@transaction.atomic
def create_demo_users() -> list[str]:
    """Create (or reset) the demo users and their profiles. Idempotent."""
    for username, role, office, muni, county, full_name in DEMO_USERS:
        do_set_user(
            username,
            role=role,
            password=DEMO_PASSWORD,
            full_name=full_name,
            office_code=office,
            municipality_number=muni,
            county_number=county,
            is_local_admin=username in LOCAL_ADMINS,
            email=f"{username}@{DEMO_EMAIL_DOMAIN}",
        )
    return [row[0] for row in DEMO_USERS]
