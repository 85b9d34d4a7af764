"""The OpenAPI description lists the endpoints documented in docs/api.md, names each schema once and
documents every refusal; the anonymous get 401 everywhere."""

import json
import re

import pytest

pytestmark = pytest.mark.django_db

DOCUMENTED = {
    "/api/cases": {"get"},
    "/api/cases/{case_id}": {"get"},
    "/api/proposals": {"get"},
    "/api/proposals/{proposal_id}": {"get"},
    "/api/proposals/{proposal_id}/accept": {"post"},
    "/api/proposals/{proposal_id}/decline": {"post"},
    "/api/decisions": {"get", "post"},
    "/api/decisions/{decision_id}": {"get"},
    "/api/matching-rounds": {"get", "post"},
    "/api/matching-rounds/{round_id}": {"get"},
}


def test_every_documented_endpoint_is_in_the_openapi_schema(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, methods in DOCUMENTED.items():
        assert path in paths, path
        assert methods <= set(paths[path]), path


def test_the_interactive_docs_are_served(client):
    assert client.get("/api/docs").status_code == 200


# --- the description is correct: one schema per name, every refusal documented -------------------

WRITES = {"post", "put", "patch", "delete"}


def _operations():
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_no_two_schemas_share_a_name(monkeypatch):
    """ninja merges every model's schema into ``components`` by name: two models with one name
    would make one of them describe the other's answers."""
    from ninja.openapi.schema import OpenAPISchema

    from bosetting.api.core import api

    seen: dict[str, set[str]] = {}
    merge = OpenAPISchema.add_schema_definitions

    def spy(self, definitions):
        for name, definition in definitions.items():
            seen.setdefault(name, set()).add(json.dumps(definition, sort_keys=True))
        merge(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", spy)
    api.get_openapi_schema()
    assert seen
    assert {name for name, schemas in seen.items() if len(schemas) > 1} == set()


def test_every_operation_documents_its_refusals():
    missing = []
    for path, method, operation in _operations():
        codes = set(operation["responses"])
        wanted = set()
        if (path, method) != ("/api/token", "post"):
            wanted.add("401")  # not logged in
        if method in WRITES and path != "/api/token":
            wanted.add("403")  # a session without its CSRF token, or a role that may not
        if operation.get("parameters") or operation.get("requestBody"):
            wanted.add("422")
        if operation.get("requestBody"):
            wanted.add("400")  # a body that is not JSON
        if not wanted <= codes:
            missing.append((method.upper(), path, sorted(wanted - codes)))
    assert missing == []


def test_every_refusal_is_described_as_json_with_a_detail():
    for path, method, operation in _operations():
        for code, response in operation["responses"].items():
            if code.startswith("4"):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith(("/ErrorOut", "/ValidationErrorOut")), (method, path, code)


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_the_anonymous_get_401_with_json_on_every_endpoint():
    """GET or write, with or without a body: 401 and ``{"detail": …}``, never a 403 about CSRF
    (the client checks CSRF as a browser's request would be checked)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    for path, method, _operation in _operations():
        if (path, method) == ("/api/token", "post"):
            continue
        response = getattr(client, method)(_concrete(path), content_type="application/json")
        assert response.status_code == 401, (method, path, response.content)
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


def test_a_session_write_without_its_csrf_token_is_403(imdi_officer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(imdi_officer)
    body = {"municipality_number": "1201", "year": 2016, "persons": 10}
    response = browser.post("/api/decisions", body, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert browser.get("/api/decisions?year=2016").status_code == 200


def test_an_anonymous_write_with_csrf_checks_on_is_401():
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    body = {"municipality_number": "1201", "year": 2016, "persons": 10}
    response = browser.post("/api/decisions", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
