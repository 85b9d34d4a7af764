"""Real facts in the shipped reference data (no database)."""

from bosetting.reference import loaders, regions


def test_2014_structure_has_428_municipalities_in_19_counties():
    munis = loaders.municipalities(2014)
    assert len(munis) == 428
    assert len({m.county_number for m in munis}) == 19
    assert len(loaders.counties(2014)) == 19


def test_bergen_is_1201_in_hordaland_in_2014():
    bergen = {m.number: m for m in loaders.municipalities(2014)}["1201"]
    assert bergen.name == "Bergen"
    assert bergen.county_name == "Hordaland"


def test_2024_structure_has_357_municipalities_in_15_counties():
    assert len(loaders.municipalities(2024)) == 357
    assert len(loaders.counties(2024)) == 15


def test_national_population_2014_is_ssb_total():
    assert sum(m.populations[2014] for m in loaders.municipalities(2014)) == 5_109_056


def test_imdi_2014_totals_match_the_published_figures():
    rows = [r for r in loaders.settlement_figures_2012_2014() if r.year == 2014]
    assert sum(r.requested or 0 for r in rows) == 10_973
    assert sum(r.decided or 0 for r in rows) == 8_084
    assert sum(r.settled or 0 for r in rows) == 7_784  # incl. 112 with municipality unknown (9999)


def test_table_5_1_vestfold_is_husbanken_sor_and_imdi_ost():
    assert [o.code for o in regions.offices_for_county("07", "husbanken")] == ["hb-sor"]
    assert [o.code for o in regions.offices_for_county("07", "imdi")] == ["imdi-ost"]


def test_table_5_1_buskerud_is_husbanken_sor_and_imdi_indre_ost():
    assert regions.office_for_municipality("0602", "husbanken").code == "hb-sor"  # Drammen
    assert regions.office_for_municipality("0602", "imdi").code == "imdi-indre-ost"


def test_troms_is_split_between_husbanken_bodo_and_hammerfest():
    assert regions.office_for_municipality("1902", "husbanken").code == "hb-hammerfest"  # Tromsø
    assert regions.office_for_municipality("1903", "husbanken").code == "hb-bodo"  # Harstad
    assert regions.office_for_municipality("1902", "imdi").code == "imdi-nord"


def test_every_2014_municipality_has_exactly_one_office_per_agency():
    for m in loaders.municipalities(2014):
        for agency in ("imdi", "husbanken"):
            assert regions.office_for_municipality(m.number, agency)


def test_both_agencies_have_six_offices():
    assert sum(o.agency == "imdi" for o in regions.OFFICES) == 6
    assert sum(o.agency == "husbanken" for o in regions.OFFICES) == 6


def test_maps_line_up_only_in_west_and_mid():
    mismatched = {row["county_number"] for row in regions.overlaps()}
    assert {"11", "12", "14", "15", "16", "17"}.isdisjoint(mismatched)
    assert {"07", "06", "01", "04", "05"} <= mismatched
