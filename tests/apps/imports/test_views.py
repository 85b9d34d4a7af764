"""The import pages: upload, preview with every error, confirm; nothing is written before confirming."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bosetting.apps.imports.models import ImportBatch
from bosetting.apps.planning.models import CouncilDecision

from .conftest import SAMPLES, csv_bytes

pytestmark = pytest.mark.django_db


def _upload(client, kind, content, name="vedtak.csv"):
    return client.post(
        "/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True
    )


def _decisions_2016():
    return CouncilDecision.objects.filter(year=2016).count()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/import/")
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]


@pytest.mark.parametrize("persona", ["husbanken_advisor", "county_governor", "analyst"])
def test_roles_that_import_nothing_are_refused(reference_db, client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/import/").status_code == 403
    assert client.get("/import/mal/decisions.csv").status_code == 403


def test_a_municipality_may_import_decisions_and_units_but_not_permits(client, municipal_officer):
    client.force_login(municipal_officer)
    body = client.get("/import/").content.decode()
    assert 'value="decisions"' in body and 'value="units"' in body
    assert 'value="permits"' not in body
    assert "enslige_mindreårige" in body  # the column documentation
    assert client.get("/import/mal/permits.csv").status_code == 404


def test_imdi_sees_the_import_in_the_menu(client, imdi_officer):
    client.force_login(imdi_officer)
    assert 'href="/import/"' in client.get("/").content.decode()


def test_a_file_with_a_bad_row_shows_the_row_and_cannot_be_confirmed(client, imdi_officer):
    client.force_login(imdi_officer)
    content = csv_bytes("kommunenummer,år,antall", "1201,2016,3", "0301,2016,tre")
    response = _upload(client, "decisions", content)
    body = response.content.decode()
    assert 'data-testid="errors"' in body and "Forventet et heltall" in body
    assert '<td class="num">3</td><td>antall</td>' in body
    assert 'data-testid="confirm"' not in body
    batch = ImportBatch.objects.get()
    client.post(f"/import/{batch.pk}/bekreft/")
    batch.refresh_from_db()
    assert batch.status == "failed" and _decisions_2016() == 0


def test_preview_then_confirm_writes_and_a_second_confirm_is_refused(client, imdi_officer):
    client.force_login(imdi_officer)
    response = _upload(client, "decisions", (SAMPLES / "decisions.csv").read_bytes())
    assert 'data-testid="confirm"' in response.content.decode()
    assert CouncilDecision.objects.filter(year__range=(2016, 2018)).count() == 0  # only a preview
    batch = ImportBatch.objects.get()
    done = client.post(f"/import/{batch.pk}/bekreft/", follow=True).content.decode()
    assert "Importert: 5 nye, 0 endret, 0 uendret." in done
    assert CouncilDecision.objects.filter(year__range=(2016, 2018)).count() == 5
    again = client.post(f"/import/{batch.pk}/bekreft/", follow=True).content.decode()
    assert "allerede behandlet" in again


def test_uploading_the_same_file_again_previews_as_unchanged(client, imdi_officer):
    client.force_login(imdi_officer)
    content = (SAMPLES / "decisions.csv").read_bytes()
    _upload(client, "decisions", content)
    client.post(f"/import/{ImportBatch.objects.get().pk}/bekreft/")
    body = _upload(client, "decisions", content).content.decode()
    assert body.count("uendret</td>") == 5


def test_another_user_cannot_see_or_confirm_my_file(client, imdi_officer, imdi_regional_officer):
    client.force_login(imdi_officer)
    _upload(client, "decisions", (SAMPLES / "decisions.csv").read_bytes())
    batch = ImportBatch.objects.get()
    client.force_login(imdi_regional_officer)
    assert client.get(f"/import/{batch.pk}/").status_code == 404
    assert client.post(f"/import/{batch.pk}/bekreft/").status_code == 404
    assert _decisions_2016() == 0


def test_a_wrong_file_type_is_refused_by_the_form(client, imdi_officer):
    client.force_login(imdi_officer)
    body = _upload(client, "decisions", b"%PDF", name="vedtak.pdf").content.decode()
    assert "Filen må være .csv eller .xlsx." in body and not ImportBatch.objects.exists()


def test_the_sample_file_downloads(client, imdi_officer):
    client.force_login(imdi_officer)
    response = client.get("/import/mal/units.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content == (SAMPLES / "units.csv").read_bytes()
