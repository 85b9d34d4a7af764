"""The housing gap page opens on a year of the municipal structure the user's own area belongs to:
Bergen's officer (1201 in the 2014 structure) must not land on a later year where Bergen is 4601."""

from __future__ import annotations

import pytest

from bosetting.apps.housing.selectors import default_year
from bosetting.apps.planning.selectors import latest_decision_year
from bosetting.reference.structure import structure_year_for

pytestmark = pytest.mark.django_db


def test_the_default_year_stays_in_todays_structure(reference_db):
    assert latest_decision_year() is not None
    assert structure_year_for(default_year()) == structure_year_for(2015)


def test_bergens_officer_opens_the_gap_page_on_bergen(client, municipal_officer):
    client.force_login(municipal_officer)
    response = client.get("/boliger/boliggap/")
    assert response.status_code == 200
    assert "Bergen" in response.content.decode()
