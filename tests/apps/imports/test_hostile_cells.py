"""Imported cells that cannot be true or that carry control characters are row errors, and nothing is
written: a permit dated after the business date or before 1990, a household of more than 30 persons,
a NUL byte in a text cell."""

from __future__ import annotations

import pytest

from bosetting.apps.cases.models import Household
from bosetting.apps.imports.services import do_import

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

PERMITS = "saksreferanse,vedtaksdato,saksopprettet,personer,behov,tilknytning"


def test_impossible_permits_are_row_errors(imdi_officer):
    content = csv_bytes(
        PERMITS,
        "H-1,2099-01-01,,1985m,,",  # after the business date
        "H-2,1989-12-31,,1985m,,",  # before 1990
        "H-3,2014-12-12,," + " ".join(["1985m"] * 5000) + ",,",  # 5 000 persons
        "H-4\x00,2014-12-12,,1985m,,",  # a NUL byte in the reference
        "H-5,2014-12-12,,1985m,,",  # fine on its own
    )
    report = do_import(imdi_officer, "permits", content, "p.csv")
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "vedtaksdato"),
        (3, "vedtaksdato"),
        (4, "personer"),
        (5, "saksreferanse"),
    }
    assert not Household.objects.exists()
