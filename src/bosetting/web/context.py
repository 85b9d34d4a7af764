"""Template context shared by every page.

Navigation: an app contributes menu items by defining ``nav_items(user) -> list[(url_name, label)]``
on its AppConfig; items whose URL does not resolve are left out.
"""

from __future__ import annotations

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from bosetting.apps.accounts.selectors import role_of
from bosetting.apps.geo.selectors import demo_world_loaded
from bosetting.apps.notifications.selectors import unread_count


def _nav_items(user) -> list[dict]:
    items = []
    for config in apps.get_app_configs():
        contribute = getattr(config, "nav_items", None)
        if contribute is None:
            continue
        for url_name, label in contribute(user):
            try:
                items.append({"url": reverse(url_name), "label": label})
            except NoReverseMatch:
                continue
    return items


def site(request: HttpRequest) -> dict:
    """Whether the demo world is loaded (every page then says the people are synthetic), the user's role,
    the menu for that role and how many of the user's notices are unread (the header's badge)."""
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    return {
        "demo_world": demo_world_loaded(),
        "user_role": role_of(user) if authenticated else None,
        "nav_items": _nav_items(user) if authenticated else [],
        "unread_notices": unread_count(user) if authenticated else 0,
    }
