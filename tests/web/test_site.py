"""Site-wide pages and the health check."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_about_page_lists_sources_and_licences(client, reference_db):
    response = client.get("/om/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "SSB" in body and "CC BY 4.0" in body and "Tabell 5.1" in body


def test_home_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


def test_login_page_is_bokmal_by_default(client):
    body = client.get("/logg-inn/").content.decode()
    assert 'lang="nb"' in body and "Logg inn" in body


def test_logged_in_user_sees_role(client, municipal_officer):
    client.force_login(municipal_officer)
    body = client.get("/").content.decode()
    assert "Kommune" in body


def test_pages_are_bokmal_even_when_the_browser_prefers_english(client):
    body = client.get("/logg-inn/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="nb"' in body


def test_the_language_switcher_chooses_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/logg-inn/"})
    body = client.get("/logg-inn/").content.decode()
    assert 'lang="en"' in body
