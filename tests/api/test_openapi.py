"""The OpenAPI description lists the endpoints documented in docs/api.md."""

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
