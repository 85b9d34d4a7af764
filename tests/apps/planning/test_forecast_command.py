"""``bosetting forecast``: the CSV contract, trained on earlier years only it beats "settled =
decided" for 2014 on IMDi's real figures (in the package: runs in a bare clone), the decisions
file for a year the database lacks, and bad files refused naming row and column."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from bosetting.apps.planning.selectors import year_records
from bosetting.cli import app
from bosetting.engine.forecast import naive_forecast
from bosetting.engine.forecast.evaluate import measures

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _invoke(*args: str):
    return runner.invoke(app, ["forecast", *args], terminal_width=200, color=False)


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_2014_trained_on_earlier_years_beats_settled_equals_decided(reference_db, tmp_path):
    out = tmp_path / "forecast-2014.csv"
    result = _invoke("--year", "2014", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "trained on 2012–2013" in result.output
    rows = _rows(out)
    assert list(rows[0]) == ["kommunenummer", "settled_forecast", "p10", "p90"]
    assert len(rows) == 428 and len({r["kommunenummer"] for r in rows}) == 428
    assert all(int(r["p10"]) <= int(r["settled_forecast"]) <= int(r["p90"]) for r in rows)

    actual = [r for r in year_records(2014, [2014])]
    settled = {r.number: int(r.settled or 0) for r in actual}
    assert sum(settled.values()) == 7672  # IMDi 2014, municipalities known (7,784 with unknown)
    model = measures({r["kommunenummer"]: float(r["settled_forecast"]) for r in rows}, settled)
    naive = measures(naive_forecast(actual), settled)
    assert abs(model.national_error) < abs(naive.national_error)
    assert model.wape < naive.wape


def test_a_decisions_file_forecasts_a_year_the_database_lacks(reference_db, tmp_path):
    decisions = tmp_path / "vedtak-2015.csv"
    decisions.write_text(
        "kommunenummer,anmodning,vedtak\n0301,500,400\n1201,350,350\n1243,30,\n",
        encoding="utf-8",
    )
    out = tmp_path / "forecast-2015.csv"
    result = _invoke("--year", "2015", "--decisions", str(decisions), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "trained on 2012–2014" in result.output
    rows = {r["kommunenummer"]: r for r in _rows(out)}
    assert set(rows) == {"0301", "1201", "1243"}
    assert 250 < int(rows["1201"]["settled_forecast"]) <= 380
    assert int(rows["1243"]["settled_forecast"]) >= 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kommunenummer,vedtak\n0301,5\n", "row 1, column anmodning: missing column"),
        ("kommunenummer,anmodning,vedtak\n0301,5,5\n9876,5,5\n", "row 3, column kommunenummer"),
        ("kommunenummer,anmodning,vedtak\n0301,5,5\n0301,6,6\n", "appears twice"),
        ("kommunenummer,anmodning,vedtak\n0301,fem,5\n", "row 2, column anmodning"),
    ],
)
def test_a_bad_decisions_file_is_refused_and_nothing_is_written(
    reference_db, tmp_path, text, message
):
    decisions = tmp_path / "vedtak.csv"
    decisions.write_text(text, encoding="utf-8")
    out = tmp_path / "forecast.csv"
    result = _invoke("--year", "2015", "--decisions", str(decisions), "--out", str(out))
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not out.exists() and list(tmp_path.iterdir()) == [decisions]


def test_a_year_without_earlier_years_to_learn_from_is_refused(reference_db, tmp_path):
    result = _invoke("--year", "2012", "--out", str(tmp_path / "f.csv"))
    assert result.exit_code == 2 and "no year before 2012" in result.output


def test_the_output_is_one_row_per_municipality_in_whole_persons():
    from bosetting.commands.forecast import forecast_csv
    from bosetting.engine.forecast import InYear

    text = forecast_csv([InYear("1201", 0, 0, 3.4, 3.4, 1.6, 7.5), InYear("0301", 0, 0, 9, 9, 8, 10)])
    assert list(csv.reader(io.StringIO(text))) == [
        ["kommunenummer", "settled_forecast", "p10", "p90"],
        ["0301", "9", "8", "10"],
        ["1201", "3", "2", "8"],
    ]
