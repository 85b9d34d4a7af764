"""``/api/reports/tables`` and ``/api/reports/kpis``: scoped like the dashboard."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_tables_for_the_national_officer(client, histories, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/api/reports/tables?from=2013&to=2014")
    assert response.status_code == 200
    data = response.json()
    assert data["table_2_1"]["2014"]["settled"] == 5
    assert list(data["table_2_2"]) == ["2013", "2014"]


def test_tables_for_a_municipality_count_only_its_cases(client, histories, municipal_officer):
    client.force_login(municipal_officer)
    data = client.get("/api/reports/tables?from=2014&to=2014").json()
    assert data["table_2_1"]["2014"]["settled"] == 4  # Bergen: A (3) + B (1)
    assert data["table_2_4"]["2014"]["total"] == 1


def test_kpis_with_a_period_and_an_area(client, histories, analyst):
    client.force_login(analyst)
    response = client.get(
        "/api/reports/kpis?start=2014-01-01&end=2014-12-31&area=county:03&at=2014-12-31"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["settled_persons"] == 1
    assert data["waiting_ready_persons"] == 2
    assert data["area"] == "county:03"


def test_anonymous_is_401_and_a_user_without_role_403(client, reference_db, django_user_model):
    assert client.get("/api/reports/kpis").status_code == 401
    client.force_login(django_user_model.objects.create_user("norole", password="x"))
    assert client.get("/api/reports/kpis").status_code == 403


def test_bad_parameters_are_422_naming_the_field(client, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/api/reports/tables?from=2014&to=2010")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.to"
    response = client.get("/api/reports/kpis?area=county:99")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "query.area"
