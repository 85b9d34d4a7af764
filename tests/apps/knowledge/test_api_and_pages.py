"""Knowledge API and pages."""

import pytest

from bosetting.apps.knowledge.models import PracticeExample

pytestmark = pytest.mark.django_db


def test_examples_need_login(client, reference_db):
    assert client.get("/api/knowledge/examples").status_code == 401


def test_search_api_ranks_matches(client, analyst):
    client.force_login(analyst)
    hits = client.get("/api/knowledge/examples", {"q": "NAV flyktningkonsulenter"}).json()
    assert hits[0]["example"]["municipality_number"] == "1037"
    assert hits[0]["rank"] >= hits[-1]["rank"]


def test_comparable_api_explains_similarity(client, county_governor):
    client.force_login(county_governor)
    rows = client.get("/api/knowledge/comparable/1037").json()
    numbers = [r["example"]["municipality_number"] for r in rows]
    assert numbers.index("2004") < numbers.index("1201")
    assert rows[0]["features"] and rows[0]["similarity"] > rows[-1]["similarity"]
    assert client.get("/api/knowledge/comparable/9998").status_code == 404


def test_municipality_adds_its_own_example_but_not_anothers(client, municipal_officer):
    client.force_login(municipal_officer)
    payload = {
        "municipality": "1201",
        "title": "Leie før eie",
        "problem": "Lang kø",
        "solution": "Leie-til-eie-kontrakter",
        "instruments": ["startlån"],
    }
    ok = client.post("/api/knowledge/examples", payload, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["municipality_name"] == "Bergen"
    other = client.post(
        "/api/knowledge/examples", {**payload, "municipality": "0301"},
        content_type="application/json",
    )  # fmt: skip
    assert other.status_code == 403
    assert PracticeExample.objects.filter(title="Leie før eie").count() == 1


def test_analyst_may_not_add_examples(client, analyst):
    client.force_login(analyst)
    payload = {"municipality": "1201", "title": "x", "problem": "y", "solution": "z"}
    response = client.post("/api/knowledge/examples", payload, content_type="application/json")
    assert response.status_code == 403


def test_missing_title_is_422_naming_it(client, imdi_officer):
    client.force_login(imdi_officer)
    payload = {"municipality": "1201", "title": " ", "problem": "y", "solution": "z"}
    response = client.post("/api/knowledge/examples", payload, content_type="application/json")
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "body.title"


def test_library_pages_need_login(client, reference_db):
    for url in ("/kunnskap/", "/kunnskap/sammenlignbare/", "/kunnskap/nytt/"):
        assert client.get(url).status_code == 302


def test_search_page_full_and_htmx_fragment(client, analyst):
    client.force_login(analyst)
    full = client.get("/kunnskap/", {"q": "boskole"}).content.decode()
    assert "<html" in full and "Hammerfest" in full and "Kvinesdal" not in full
    fragment = client.get("/kunnskap/", {"q": "boskole"}, HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "<html" not in body and "Hammerfest" in body


def test_example_page_shows_citations_and_the_data_check(client, county_governor):
    client.force_login(county_governor)
    body = client.get("/kunnskap/eksempel/bergen-selvbosetting-privat-leie/").content.decode()
    assert "L2053–2114" in body and "318" in body and "Avvik" in body
    assert client.get("/kunnskap/eksempel/finnes-ikke/").status_code == 404


def test_comparable_page_for_the_municipal_officer_defaults_to_own_municipality(
    client, municipal_officer
):
    client.force_login(municipal_officer)
    body = client.get("/kunnskap/sammenlignbare/").content.decode()
    assert "Bærum" in body and "likhet" in body
    assert body.index("Bærum") < body.index("Kvinesdal: Bosetting")


def test_county_governor_may_not_open_the_create_form(client, county_governor):
    client.force_login(county_governor)
    assert client.get("/kunnskap/nytt/").status_code == 403


def test_municipality_adds_an_example_through_the_form(client, municipal_officer):
    client.force_login(municipal_officer)
    assert client.get("/kunnskap/nytt/").status_code == 200
    response = client.post(
        "/kunnskap/nytt/",
        {"municipality": "1201", "title": "Utleiekontakt", "problem": "Useriøse utleiere",
         "solution": "Fast kontaktperson for utleiere", "instruments": "depositum, bostøtte"},
    )  # fmt: skip
    assert response.status_code == 302
    item = PracticeExample.objects.get(title="Utleiekontakt")
    assert item.instruments == ["depositum", "bostøtte"] and item.created_by == municipal_officer


def test_comparable_page_answers_htmx_with_the_fragment_only(client, analyst):
    client.force_login(analyst)
    response = client.get("/kunnskap/sammenlignbare/", {"kommune": "2004"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'data-testid="comparable-results"' in body
    assert "Hammerfest: Uformell" not in body  # its own example is left out
    assert client.get("/kunnskap/sammenlignbare/", {"kommune": "9998"}).status_code == 404
