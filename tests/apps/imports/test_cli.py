"""``bosetting import decisions|units|permits FILE`` and ``bosetting import sample KIND``."""

import pytest
from typer.testing import CliRunner

from bosetting.apps.planning.models import CouncilDecision
from bosetting.cli import app

from .conftest import SAMPLES

runner = CliRunner()
pytestmark = pytest.mark.django_db


def _invoke(*args):
    return runner.invoke(app, ["import", *args], terminal_width=200, color=False)


@pytest.mark.parametrize("command", ["decisions", "units", "permits", "sample"])
def test_every_import_command_has_help(command):
    assert _invoke(command, "--help").exit_code == 0


@pytest.mark.parametrize("kind", ["decisions", "units", "permits"])
def test_sample_prints_the_documented_sample_file(kind):
    result = _invoke("sample", kind)
    assert result.exit_code == 0
    assert result.stdout == (SAMPLES / f"{kind}.csv").read_text(encoding="utf-8")


def test_import_decisions_then_again_changes_nothing(reference_db):
    first = _invoke("decisions", str(SAMPLES / "decisions.csv"))
    assert first.exit_code == 0, first.output
    assert "5 nye, 0 endret, 0 uendret" in first.stdout
    second = _invoke("decisions", str(SAMPLES / "decisions.csv"))
    assert "0 nye, 0 endret, 5 uendret" in second.stdout
    assert CouncilDecision.objects.filter(year__range=(2016, 2018)).count() == 5


def test_a_bad_row_exits_2_naming_row_and_column_and_writes_nothing(reference_db, tmp_path):
    path = tmp_path / "vedtak.csv"
    path.write_text("kommunenummer,år,antall\n1201,2016,3\n1201,2017,tre\n", encoding="utf-8")
    result = _invoke("decisions", str(path))
    assert result.exit_code == 2
    assert "vedtak.csv: rad 3, kolonne antall: Forventet et heltall" in result.stderr
    assert "ingenting ble skrevet" in result.stderr and "Traceback" not in result.output
    assert not CouncilDecision.objects.filter(year__in=(2016, 2017)).exists()


def test_dry_run_writes_nothing(reference_db):
    result = _invoke("decisions", str(SAMPLES / "decisions.csv"), "--dry-run")
    assert result.exit_code == 0 and "prøvekjøring" in result.stdout
    assert not CouncilDecision.objects.filter(year__range=(2016, 2018)).exists()


def test_an_unknown_user_or_a_refused_role_is_one_line_and_exit_2(analyst):
    unknown = _invoke("decisions", str(SAMPLES / "decisions.csv"), "--user", "nobody")
    assert unknown.exit_code == 2 and "--user: ukjent bruker 'nobody'" in unknown.stderr
    refused = _invoke("permits", str(SAMPLES / "permits.csv"), "--user", "analyst")
    assert refused.exit_code == 2 and "tilgang" in refused.stderr


def test_a_missing_file_is_exit_2(tmp_path):
    result = _invoke("units", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2 and "finnes ikke" in result.stderr
