"""Every persona has an e-mail address here, so that the notices' e-mails can be checked."""

from __future__ import annotations

import pytest

PERSONAS = (
    "imdi_officer",
    "imdi_regional_officer",
    "municipal_officer",
    "other_municipal_officer",
)


@pytest.fixture
def with_email(request):
    """``with_email("municipal_officer")`` -> the persona, with ``<username>@example.invalid``."""

    def give(persona: str):
        user = request.getfixturevalue(persona)
        user.email = f"{user.username}@example.invalid"
        user.save(update_fields=["email"])
        return user

    return give
