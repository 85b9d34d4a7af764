"""API test helpers: a client that speaks with a persona's bearer token."""

from __future__ import annotations

import pytest
from django.test import Client

PERSONAS = [
    "imdi_officer",
    "imdi_regional_officer",
    "municipal_officer",
    "other_municipal_officer",
    "husbanken_advisor",
    "county_governor",
    "county_governor_outside_pilot",
    "analyst",
]


class ApiClient:
    """``get``/``post`` JSON with ``Authorization: Bearer`` (or none, for the anonymous)."""

    def __init__(self, token: str | None):
        self._client = Client()
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict | None = None):
        return self._client.get(path, params or {}, headers=self._headers)

    def post(self, path: str, body: dict | str | None = None):
        """POST ``body`` as JSON (a ``str`` is sent as it is)."""
        return self._client.post(
            path, body or {}, content_type="application/json", headers=self._headers
        )

    def put(self, path: str, body: dict | None = None):
        return self._client.put(
            path, body or {}, content_type="application/json", headers=self._headers
        )


@pytest.fixture
def api_as(request, reference_db, db):
    """``api_as("municipal_officer")`` -> a client with that persona's token; ``api_as("anonymous")``
    -> a client without one."""
    from bosetting.apps.accounts.services import do_create_token

    def make(persona: str) -> ApiClient:
        if persona == "anonymous":
            return ApiClient(None)
        user = request.getfixturevalue(persona)
        return ApiClient(do_create_token(user))

    return make
