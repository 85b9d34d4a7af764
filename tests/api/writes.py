"""PATCH and PUT with a persona's bearer token (``conftest.ApiClient`` speaks GET and POST)."""

from __future__ import annotations


def patch(client, path: str, body: dict):
    return client._client.patch(
        path, body, content_type="application/json", headers=client._headers
    )


def put(client, path: str, body: dict):
    return client._client.put(path, body, content_type="application/json", headers=client._headers)
