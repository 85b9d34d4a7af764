"""Worklists that triage: the IMDi queue and the municipality's incoming proposals sort by column,
keep their filters in the address, show days waited and days to or over the target (no clamped
score), and export exactly what they show as CSV and XLSX, formula cells escaped."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from tests.apps.cases.world import make_household
from tests.factories import HouseholdFactory, ProposalFactory

from bosetting.apps.cases.choices import CaseStatus as S

pytestmark = pytest.mark.django_db

TODAY = date(2015, 1, 5)


@pytest.fixture
def queue(reference_db):
    """Four waiting households: 19, 13 and 7 months since the permit, and one of 4 months with a
    3-month target (a family with a child)."""
    return {
        "oldest": make_household(S.READY, ages=(40,), permit_date=date(2013, 6, 1)),
        "old": make_household(S.READY, ages=(40,), permit_date=date(2013, 12, 1)),
        "single": make_household(S.READY, ages=(40,), permit_date=date(2014, 6, 1)),
        "family": make_household(S.READY, ages=(30, 4), permit_date=date(2014, 9, 1)),
        "fresh": make_household(S.READY, ages=(30,), permit_date=date(2014, 12, 20)),
    }


def _refs(body: str) -> list[str]:
    table = body[body.index('data-testid="queue"') :]
    return re.findall(r'data-testid="queue-row">\s*<td><a href="[^"]+">([^<]+)</a>', table)


def test_the_queue_is_sorted_by_days_over_target_without_a_cap(client, imdi_officer, queue):
    client.force_login(imdi_officer)
    body = client.get("/saker/").content.decode()
    # 19 and 13 months are both more than three targets: a clamped score could not tell them apart
    assert _refs(body) == [
        queue[k].reference for k in ("oldest", "old", "single", "family", "fresh")
    ]
    assert "Prioritet" not in body and "3,00" not in body
    assert f"{(TODAY - date(2013, 6, 1)).days - 183} dager over målet" in body
    assert f"{183 - (TODAY - date(2014, 12, 20)).days} dager igjen" in body
    assert 'aria-sort="descending"' in body


def test_a_column_heading_sorts_and_the_filters_stay_in_the_address(client, imdi_officer, queue):
    client.force_login(imdi_officer)
    body = client.get("/saker/?status=ready&type=family_children&sort=ventet").content.decode()
    assert _refs(body) == [queue["family"].reference]
    # the heading of the sorted column sorts the other way, keeping the filters
    link = re.search(r'<a href="\?([^"]+)" data-testid="sort-5">', body).group(1)
    assert "type=family_children" in link and "sort=-ventet" in link
    ascending = client.get("/saker/?status=ready&sort=ventet").content.decode()
    assert _refs(ascending)[0] == queue["fresh"].reference
    assert client.get("/saker/?sort=bogus").status_code == 200


def test_the_waiting_filter_keeps_households_over_twelve_months(client, imdi_officer, queue):
    client.force_login(imdi_officer)
    body = client.get("/saker/?status=open&over=12").content.decode()
    assert sorted(_refs(body)) == sorted([queue["oldest"].reference, queue["old"].reference])
    over = client.get("/saker/?status=open&over=mal").content.decode()
    assert queue["fresh"].reference not in _refs(over) and len(_refs(over)) == 4


def test_the_export_is_exactly_what_is_shown(client, imdi_officer, queue):
    client.force_login(imdi_officer)
    shown = _refs(client.get("/saker/?status=ready&sort=-ventet").content.decode())
    response = client.get("/saker/?status=ready&sort=-ventet&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="arbeidsliste.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Sak",
        "Type",
        "Personer",
        "Vedtak om opphold",
        "Ventet (dager)",
        "Til målet (dager)",
        "Status",
        "Mottak / kommune",
    ]
    assert [r[0] for r in rows[1:]] == shown
    assert rows[1][4] == str((TODAY - date(2013, 6, 1)).days)
    assert rows[1][5].endswith("dager over målet") and rows[1][6] == "Bosettingsklar"
    xlsx = client.get("/saker/?status=ready&sort=-ventet&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in values[1:]] == shown and values[0][0] == "Sak"


def test_the_export_escapes_formula_cells(client, imdi_officer, reference_db):
    # A case reference is at most 20 characters (PostgreSQL refuses more; SQLite would not).
    HouseholdFactory(reference='=HYPERLINK("x","y")', status=S.READY, ages=(30,))
    client.force_login(imdi_officer)
    rows = list(
        csv.reader(io.StringIO(client.get("/saker/?format=csv").content.decode("utf-8-sig")))
    )
    assert rows[1][0] == '\'=HYPERLINK("x","y")'
    sheet = load_workbook(io.BytesIO(client.get("/saker/?format=xlsx").content)).active
    assert sheet["A2"].value.startswith("'=")


def test_a_municipality_sorts_and_exports_its_incoming_proposals(
    client, municipal_officer, reference_db
):
    late = ProposalFactory(sent_on=TODAY - timedelta(days=12))
    fresh = ProposalFactory(sent_on=TODAY - timedelta(days=1))
    client.force_login(municipal_officer)
    body = client.get("/saker/").content.decode()
    table = body[body.index('data-testid="incoming"') :]
    assert table.index(late.household.reference) < table.index(fresh.household.reference)
    assert "2 dager igjen" in table and "13 dager igjen" in table and "Svarfrist" in table
    newest = client.get("/saker/?sort=-frist").content.decode()
    table = newest[newest.index('data-testid="incoming"') :]
    assert table.index(fresh.household.reference) < table.index(late.household.reference)
    rows = list(
        csv.reader(
            io.StringIO(client.get("/saker/?sort=-frist&format=csv").content.decode("utf-8-sig"))
        )
    )
    assert [r[0] for r in rows[1:]] == [fresh.household.reference, late.household.reference]
    assert rows[2][3] == "2015-01-07" and rows[2][4] == "2 dager igjen"


def test_other_municipalities_proposals_are_not_exported(
    client, other_municipal_officer, reference_db
):
    ProposalFactory()
    client.force_login(other_municipal_officer)
    rows = list(
        csv.reader(io.StringIO(client.get("/saker/?format=csv").content.decode("utf-8-sig")))
    )
    assert rows[1:] == []
