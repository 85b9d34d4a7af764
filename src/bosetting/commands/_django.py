"""Start Django for commands that need the database."""

from __future__ import annotations

import os


def setup() -> None:
    """Configure and start Django once (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bosetting.web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
