"""Template context shared by every page.

Navigation: an app contributes menu items by defining ``nav_items(user) -> list[(url_name, label)]``
on its AppConfig; items whose URL does not resolve are left out.
"""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bosetting.apps.accounts.selectors import role_of
from bosetting.apps.geo.selectors import demo_world_loaded
from bosetting.apps.notifications.selectors import unread_count

# The menu's four groups, in the order a settlement officer thinks of them; an item goes to the group
# of its URL's namespace (or full name), and an item nobody placed goes to "Arbeid".
NAV_GROUPS: tuple[tuple[str, object], ...] = (
    ("work", _("Arbeid")),
    ("planning", _("Planlegging")),
    ("housing", _("Bolig og økonomi")),
    ("knowledge", _("Kunnskap og rapporter")),
)
NAV_GROUP_OF = {
    "lifecycle": "work",
    "matching": "work",
    "imports": "work",
    "notifications": "work",
    "planning": "planning",
    "coordination": "planning",
    "simulation": "planning",
    "housing": "housing",
    "finance": "housing",
    "reports": "knowledge",
    "knowledge": "knowledge",
    "audit": "knowledge",
}
# Items that belong to the user's own menu (beside the name), not to the main menu.
ACCOUNT_ITEMS = {"accounts:access"}


def _nav_items(user) -> list[dict]:
    items = []
    for config in apps.get_app_configs():
        contribute = getattr(config, "nav_items", None)
        if contribute is None:
            continue
        for url_name, label in contribute(user):
            try:
                items.append({"url": reverse(url_name), "label": label, "name": url_name})
            except NoReverseMatch:
                continue
    return items


def _nav_groups(items: list[dict], path: str) -> list[dict]:
    """The main menu: the non-empty groups with their items, the current page and group marked."""
    groups = {
        key: {"key": key, "label": label, "items": [], "current": False}
        for key, label in NAV_GROUPS
    }
    for item in items:
        if item["name"] in ACCOUNT_ITEMS:
            continue
        key = NAV_GROUP_OF.get(item["name"], NAV_GROUP_OF.get(item["name"].split(":")[0], "work"))
        current = item["url"] != "/" and path.startswith(item["url"])
        groups[key]["items"].append({**item, "current": current})
        groups[key]["current"] = groups[key]["current"] or current
    return [group for group in groups.values() if group["items"]]


def site(request: HttpRequest) -> dict:
    """Whether the demo world is loaded (every page then says the people are synthetic), the user's role,
    the menu for that role (flat, and in its four groups) and how many of the user's notices are unread (the header's badge)."""
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    items = _nav_items(user) if authenticated else []
    return {
        "demo_world": demo_world_loaded(),
        "user_role": role_of(user) if authenticated else None,
        "nav_items": items,
        "nav_groups": _nav_groups(items, request.path),
        "account_items": [item for item in items if item["name"] in ACCOUNT_ITEMS],
        "unread_notices": unread_count(user) if authenticated else 0,
    }
