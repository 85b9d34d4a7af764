"""Two people change the same flat or lease from what they each read: the second is refused with who
changed it, instead of silently overwriting the first (the unit PATCH and the lease outcome carry the
``version`` they read, as the case corrections do)."""

from __future__ import annotations

from datetime import date

import pytest

from bosetting.apps.housing.models import HousingUnit, Lease
from bosetting.apps.housing.services import do_book

from .world import make_unit
from .writes import patch

pytestmark = pytest.mark.django_db


def test_a_unit_changed_since_it_was_read_is_not_overwritten(api_as):
    unit = make_unit("1201")
    first, second = api_as("municipal_officer"), api_as("imdi_officer")
    read = first.get(f"/api/units/{unit.pk}").json()
    assert second.get(f"/api/units/{unit.pk}").json()["version"] == read["version"]

    ok = patch(first, f"/api/units/{unit.pk}", {"rent_nok": 9500, "version": read["version"]})
    assert ok.status_code == 200 and ok.json()["version"] == read["version"] + 1

    stale = patch(second, f"/api/units/{unit.pk}", {"rent_nok": 12000, "version": read["version"]})
    assert stale.status_code == 409
    assert "municipal_officer" in stale.json()["detail"]
    assert HousingUnit.objects.get(pk=unit.pk).rent_nok == 9500


def test_a_unit_change_without_a_version_still_goes_through(api_as):
    unit = make_unit("1201")
    response = patch(api_as("municipal_officer"), f"/api/units/{unit.pk}", {"rent_nok": 9100})
    assert response.status_code == 200 and response.json()["rent_nok"] == 9100


def test_a_lease_outcome_on_a_stale_version_is_refused_and_the_first_kept(
    api_as, municipal_officer
):
    unit = make_unit("1201")
    lease = do_book(municipal_officer, unit, None, start=date(2014, 1, 1), end=date(2017, 1, 1))
    client = api_as("municipal_officer")
    version = client.get("/api/leases", {"unit_id": unit.pk}).json()["items"][0]["version"]
    patch(client, f"/api/units/{unit.pk}", {})  # nothing changed: the lease keeps its version
    first = client.post(
        f"/api/leases/{lease.pk}/outcome",
        {"outcome": "moved_private_rental", "on": "2015-01-02", "version": version},
    )
    assert first.status_code == 200 and first.json()["version"] == version + 1
    again = client.post(
        f"/api/leases/{lease.pk}/outcome",
        {"outcome": "bought_start_loan", "on": "2015-01-03", "version": version},
    )
    assert again.status_code == 409
    assert Lease.objects.get(pk=lease.pk).outcome == "moved_private_rental"


def test_the_web_outcome_form_sends_the_version_it_showed(client, municipal_officer):
    unit = make_unit("1201")
    lease = do_book(municipal_officer, unit, None, start=date(2014, 1, 1), end=date(2017, 1, 1))
    client.force_login(municipal_officer)
    page = client.get(f"/boliger/{unit.pk}/").content.decode()
    assert f'name="version" value="{lease.version}"' in page
    Lease.objects.filter(pk=lease.pk).update(version=lease.version + 1)
    response = client.post(
        f"/boliger/kontrakt/{lease.pk}/utfall/",
        {"outcome": "moved_private_rental", "on": "2015-01-02", "version": lease.version},
        follow=True,
    )
    assert "Endret av" in response.content.decode()
    assert Lease.objects.get(pk=lease.pk).outcome == ""
