"""``bosetting report tables``: the report's tables from the database or a simulation file."""

from __future__ import annotations

import csv
import io
import json

import pytest
from tests.clock import on_business_day
from typer.testing import CliRunner

from bosetting.cli import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, ["report", *args], terminal_width=200, color=False)


@pytest.mark.django_db
def test_json_has_the_four_tables_by_year(histories):
    result = invoke("tables", "--from", "2013", "--to", "2014", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"table_2_1", "table_2_2", "table_2_3", "table_2_4"}
    assert data["table_2_1"]["2014"]["settled"] == 5
    assert data["table_2_1"]["2014"]["long_waiters"] == 1
    # real IMDi requests for 2014 are in the reference data; 2013 has real ones too
    assert data["table_2_4"]["2014"]["total"] == 428


@pytest.mark.django_db
def test_area_limits_the_cases(histories):
    result = invoke(
        "tables", "--from", "2014", "--to", "2014", "--format", "json", "--area", "0301"
    )
    data = json.loads(result.stdout)
    assert data["table_2_1"]["2014"]["settled"] == 1
    assert data["table_2_4"]["2014"]["total"] == 1
    assert data["meta"]["area"] == "municipality:0301"


@pytest.mark.django_db
def test_text_prints_the_norwegian_rows_with_the_published_figures(histories):
    result = invoke("tables", "--from", "2009", "--to", "2014")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for label in (
        "Antall bosatte",
        "Bosettingsklare i mottak (per 31. des.)",
        "Andel bosatt innen 6 md. (%)",
        "Antall lengeventende i mottak",
        "Uten vedtak",
    ):
        assert label in out
    assert "publisert i rapporten" in out
    assert "6\u00a0874" in out  # the report's 2014 settled count


@pytest.mark.django_db
def test_csv_has_value_and_published_columns(histories):
    result = invoke("tables", "--from", "2014", "--to", "2014", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    settled = next(r for r in rows if r["table"] == "table_2_1" and r["row"] == "settled")
    assert settled == {
        "table": "table_2_1",
        "row": "settled",
        "label": "Antall bosatte",
        "year": "2014",
        "value": "5",
        "published": "6874",
    }


@pytest.mark.django_db
def test_xlsx_is_written_with_a_sheet_per_table(histories, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "tabeller.xlsx"
    result = invoke(
        "tables", "--from", "2014", "--to", "2014", "--format", "xlsx", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tabell 2.1", "Tabell 2.2", "Tabell 2.3", "Tabell 2.4"]
    ws = wb["Tabell 2.1"]
    assert ws["A4"].value == "Antall bosatte"
    assert ws["B4"].value == 5
    assert ws["B5"].value == 6874  # the published figure under it


def test_simulation_file_fills_what_it_has_and_null_elsewhere(tmp_path):
    sim = tmp_path / "sim.json"
    sim.write_text(
        json.dumps(
            {
                "table_2_1": {"2014": {"settled": 7000, "waiting_dec31": 5100}},
                "table_2_2": {"2014": {"months_permit_to_settlement": 8.1}},
            }
        )
    )
    result = invoke(
        "tables",
        "--from",
        "2013",
        "--to",
        "2014",
        "--format",
        "json",
        "--from-simulation",
        str(sim),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["table_2_1"]["2014"]["settled"] == 7000
    assert data["table_2_1"]["2014"]["long_waiters"] is None
    assert data["table_2_1"]["2013"]["settled"] is None
    assert data["table_2_3"]["2014"] == {"requested": None, "decided": None}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "--format"),
        (["--from", "2014", "--to", "2010"], "--to"),
        (["--format", "xlsx"], "--out"),
        (["--from-simulation", "/nonexistent/sim.json"], "--from-simulation"),
    ],
)
def test_bad_options_fail_with_one_line_naming_the_option(args, message):
    result = invoke("tables", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_simulation_file_without_tables_is_refused(tmp_path):
    sim = tmp_path / "sim.json"
    sim.write_text(json.dumps({"runs": []}))
    result = invoke("tables", "--from-simulation", str(sim))
    assert result.exit_code == 2
    assert "no table_2_1" in result.stderr


@pytest.mark.django_db
def test_an_unknown_area_is_refused(reference_db):
    result = invoke("tables", "--area", "county:99")
    assert result.exit_code == 2
    assert "--area" in result.stderr


def test_the_installed_command_reads_a_simulation_file_without_django_set_up(tmp_path):
    import os
    import subprocess
    import sys

    sim = tmp_path / "sim.json"
    sim.write_text(json.dumps({"table_2_1": {"2014": {"settled": 6900}}}))
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["BOSETTING_VAR_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bosetting.cli",
            "report",
            "tables",
            "--from",
            "2014",
            "--to",
            "2014",
            "--format",
            "json",
            "--from-simulation",
            str(sim),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["table_2_1"]["2014"]["settled"] == 6900


@pytest.mark.django_db
@on_business_day
def test_monthly_report_writes_pdf_and_xlsx(histories, tmp_path):
    from openpyxl import load_workbook

    result = invoke("monthly", "--month", "2014-08", "--out", str(tmp_path), "--area", "1201")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "manedsrapport-2014-08-municipality-1201.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    wb = load_workbook(tmp_path / "manedsrapport-2014-08-municipality-1201.xlsx")
    figures = {row[0]: row[1] for row in wb["Nøkkeltall"].iter_rows(values_only=True) if row}
    # Bergen: B (1 person) settled on 1 Aug; A (3) in March
    assert figures["Bosatte personer i måneden"] == 1
    assert figures["Bosatte personer hittil i år"] == 4
    assert not list(tmp_path.glob("*.part"))


def test_monthly_report_refuses_a_bad_month(tmp_path):
    result = invoke("monthly", "--month", "november", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "--month" in result.stderr
