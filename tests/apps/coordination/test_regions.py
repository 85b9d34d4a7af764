"""Table 5.1: where the two agencies' regional maps do not line up."""

import pytest

from bosetting.apps.coordination import selectors

pytestmark = pytest.mark.django_db


def _overlap(county: str) -> list[dict]:
    return [row for row in selectors.overlaps() if row["county_number"] == county]


def test_vestfold_is_under_husbanken_sor_but_imdi_ost(reference_db):
    rows = _overlap("07")
    assert [(r["husbanken_office"], r["imdi_office"]) for r in rows] == [("hb-sor", "imdi-ost")]
    assert "Vestfold" in rows[0]["county_name"]


def test_buskerud_is_under_husbanken_sor_but_imdi_indre_ost(reference_db):
    rows = _overlap("06")
    assert [(r["husbanken_office"], r["imdi_office"]) for r in rows] == [
        ("hb-sor", "imdi-indre-ost")
    ]


def test_west_and_mid_line_up_and_are_not_overlaps(reference_db):
    for county in ("11", "12", "14", "15", "16", "17"):
        assert _overlap(county) == []
    aligned = {row["county"].number for row in selectors.county_offices() if row["aligned"]}
    assert aligned == {"11", "12", "14", "15", "16", "17"}


def test_troms_is_split_between_two_husbanken_offices_under_one_imdi_office(reference_db):
    rows = _overlap("19")
    assert {r["husbanken_office"] for r in rows} == {"hb-bodo", "hb-hammerfest"}
    assert all(r["partial"] for r in rows)


def test_every_county_says_who_holds_the_settlement_role_when(reference_db):
    rows = {row["county"].number: row["authority"] for row in selectors.county_offices()}
    assert len(rows) == 19
    hordaland = [(str(p["holder"]), p["start"], p["end"]) for p in rows["12"]]
    assert hordaland[1][0] == "Fylkesmannen i Hordaland"
    assert (hordaland[1][1].isoformat(), hordaland[1][2].isoformat()) == (
        "2015-01-01",
        "2016-12-31",
    )
    assert str(rows["01"][1]["holder"]) == "Fylkesmannen i Østfold"
    assert [str(p["holder"]) for p in rows["03"]] == ["IMDi Øst"]
