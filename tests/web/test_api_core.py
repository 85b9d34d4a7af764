"""The API door: tokens and OpenAPI."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/token" in response.json()["paths"]


def test_token_for_valid_credentials_and_401_otherwise(client, municipal_officer):
    ok = client.post(
        "/api/token",
        {"username": "municipal_officer", "password": "pw-municipal_officer"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and len(ok.json()["token"]) > 20
    bad = client.post(
        "/api/token",
        {"username": "municipal_officer", "password": "wrong"},
        content_type="application/json",
    )
    assert bad.status_code == 401


def test_token_request_missing_a_field_is_422_naming_it(client):
    response = client.post("/api/token", {"username": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert any("password" in e["field"] for e in response.json()["detail"])
