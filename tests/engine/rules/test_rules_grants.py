"""Integration grant and special grants by budget year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bosetting.engine.rules import grants
from bosetting.engine.rules.grants import GrantDataError, GrantTable

HEADER = "budget_year,category,settlement_year_index,amount_nok,status,source,note\n"


def write_table(tmp_path: Path, body: str, name: str = "grants.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_2014_adult_total_is_the_reports_669600() -> None:
    assert grants.total(2014, "adult") == 669600


def test_the_2014_adult_schedule_knows_the_total_but_not_the_yearly_split() -> None:
    schedule = grants.schedule(2014, "adult")
    assert schedule.known is True
    assert schedule.yearly_known is False
    assert schedule.yearly_nok == (None, None, None, None, None)
    assert schedule.reason is not None and "per settlement year" in schedule.reason
    assert any("L600" in s for s in schedule.sources)
    assert schedule.status == "in_force"


def test_single_adults_and_children_in_2014_come_from_the_budget_proposal() -> None:
    assert grants.total(2014, "single_adult") == 717600
    assert grants.total(2014, "child") == 669600
    assert grants.schedule(2014, "child").status == "proposed"


def test_an_unknown_year_or_category_is_reported_as_unknown() -> None:
    for year, category in [(2013, "adult"), (2014, "uam"), (2014, "elderly"), (2030, "adult")]:
        schedule = grants.schedule(year, category)
        assert schedule.known is False
        assert schedule.total_nok is None
        assert schedule.reason is not None and "No integration grant figures" in schedule.reason
        assert grants.total(year, category) is None


def test_a_misspelt_category_is_an_error_not_unknown() -> None:
    with pytest.raises(ValueError, match="unknown category 'adults'"):
        grants.total(2014, "adults")


def test_special_grants_known_and_unknown() -> None:
    yearly = grants.special_grant(2010, "disability_yearly_max")
    assert yearly.known and yearly.amount_nok == 754200 and yearly.max_years == 5
    assert grants.special_grant(2009, "elderly_one_off").amount_nok == 130500
    unknown = grants.special_grant(2014, "uam_special")
    assert unknown.known is False
    assert unknown.reason is not None
    with pytest.raises(ValueError, match="unknown special grant"):
        grants.special_grant(2014, "dog_grant")


def test_every_shipped_figure_has_a_source() -> None:
    table = GrantTable.default()
    for year in table.budget_years():
        for category in grants.INTEGRATION_CATEGORIES:
            schedule = table.schedule(year, category)
            assert schedule.known == bool(schedule.sources)


# A synthetic test table (made-up round numbers, not real rates):
# budget year 2020: adult 100, 50, 40, 30, 20 (= 240); child 80, 40, 30, 20, 10 (= 180)
# budget year 2021: adult 110, 55, 44, 33, 22 (= 264); child 88, 44, 33, 22, 11 (= 198)
SYNTHETIC = "".join(
    f"{year},{cat},{i},{amount},in_force,synthetic test figure,\n"
    for year, cat, amounts in [
        (2020, "adult", [100, 50, 40, 30, 20]),
        (2020, "child", [80, 40, 30, 20, 10]),
        (2021, "adult", [110, 55, 44, 33, 22]),
        (2021, "child", [88, 44, 33, 22, 11]),
    ]
    for i, amount in enumerate(amounts, start=1)
)


def test_yearly_rates_add_up_to_the_total(tmp_path: Path) -> None:
    table = GrantTable.from_csv(write_table(tmp_path, SYNTHETIC))
    schedule = table.schedule(2020, "adult")
    assert schedule.yearly_known
    assert schedule.total_nok == 240  # 100 + 50 + 40 + 30 + 20
    assert schedule.reason is None
    assert table.rate(2021, "child", 3) == 33


def test_projection_pays_each_person_the_rate_of_the_payment_year(tmp_path: Path) -> None:
    table = GrantTable.from_csv(write_table(tmp_path, SYNTHETIC))
    settlements = [
        (dt.date(2020, 3, 1), "adult"),  # year 1 in 2020, year 2 in 2021
        (dt.date(2020, 11, 30), "child"),  # year 1 in 2020, year 2 in 2021
        (dt.date(2021, 1, 15), "adult"),  # year 1 in 2021
        (dt.date(2014, 6, 1), "adult"),  # past its five years by 2020: pays nothing
    ]
    projection = grants.integration_grant_projection(settlements, 2020, 3, table=table)
    # 2020: adult year 1 (100) + child year 1 (80) = 180
    # 2021: adult year 2 (55) + child year 2 (44) + adult year 1 (110) = 209
    # 2022: no 2022 rates in the table -> unknown
    assert projection == {2020: 180, 2021: 209, 2022: None}


def test_projection_with_nobody_to_pay_for_is_zero(tmp_path: Path) -> None:
    table = GrantTable.from_csv(write_table(tmp_path, SYNTHETIC))
    assert grants.integration_grant_projection([], 2020, 2, table=table) == {2020: 0, 2021: 0}


def test_projection_on_the_shipped_data_says_unknown_rather_than_guessing() -> None:
    # Only five-year totals are known for 2014, so yearly income cannot be projected.
    projection = grants.integration_grant_projection([(dt.date(2014, 5, 1), "adult")], 2014, 2)
    assert projection == {2014: None, 2015: None}


def test_a_total_that_disagrees_with_the_yearly_rates_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path, SYNTHETIC + "2020,adult,total,250,in_force,synthetic,\n")
    with pytest.raises(GrantDataError, match="add up to 240"):
        GrantTable.from_csv(path)


def test_a_bad_row_names_the_file_line_and_field(tmp_path: Path) -> None:
    path = write_table(tmp_path, "2014,adult,1,12a,in_force,somewhere,\n")
    with pytest.raises(GrantDataError, match=r"grants.csv line 2: amount_nok '12a'"):
        GrantTable.from_csv(path)
    path = write_table(tmp_path, "2014,adult,6,100,in_force,somewhere,\n")
    with pytest.raises(GrantDataError, match="1–5 or 'total'"):
        GrantTable.from_csv(path)


def test_a_figure_without_a_source_is_refused(tmp_path: Path) -> None:
    path = write_table(tmp_path, "2014,adult,total,669600,in_force,,\n")
    with pytest.raises(GrantDataError, match="source is empty"):
        GrantTable.from_csv(path)


def test_two_rows_for_one_figure_are_refused(tmp_path: Path) -> None:
    row = "2014,adult,total,669600,in_force,somewhere,\n"
    with pytest.raises(GrantDataError, match="two rows"):
        GrantTable.from_csv(write_table(tmp_path, row + row))


def test_assumed_rate_is_a_published_rate_when_there_is_one_and_else_a_marked_even_split() -> None:
    from bosetting.engine.rules.grants import GrantRow, GrantTable

    table = GrantTable(
        [
            GrantRow(2014, "adult", None, 500_000, "in_force", "total source"),
            GrantRow(2015, "adult", 1, 150_000, "in_force", "yearly source"),
        ]
    )
    published = table.assumed_rate(2015, "adult", 1)
    assert published.amount_nok == 150_000 and not published.assumed
    carried = table.assumed_rate(2016, "adult", 3)  # 2016 has nothing: 2014's total carried forward
    assert (carried.amount_nok, carried.assumed, carried.basis_year) == (100_000, True, 2014)
    assert carried.source == "total source"
    lower_bound = table.assumed_rate(2014, "elderly", 2)  # no elderly total: the adult one
    assert lower_bound.amount_nok == 100_000 and lower_bound.basis_category == "adult"
    assert table.assumed_rate(2014, "adult", 2, assume=False).amount_nok is None
    assert table.assumed_rate(2013, "adult", 1).amount_nok is None  # nothing known before 2014
