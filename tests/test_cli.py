"""The command line: every documented command answers --help; the core ones work."""

import json

import pytest
from typer.testing import CliRunner

from bosetting.cli import app

runner = CliRunner()
CORE_COMMANDS = [
    "demo",
    "load-reference",
    "demo-world",
    "serve",
    "check",
    "stats",
    "sources",
    "migrate",
    "worker",
    "backup",
    "restore",
]


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"], terminal_width=200, color=False)
    assert result.exit_code == 0
    for command in CORE_COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", CORE_COMMANDS)
def test_every_core_command_has_help(command):
    result = runner.invoke(app, [command, "--help"], terminal_width=200, color=False)
    assert result.exit_code == 0, result.output


def test_sources_lists_licences_as_json():
    result = runner.invoke(app, ["sources", "--format", "json"])
    data = json.loads(result.output)
    assert any(s["licence"].startswith("CC BY 4.0") for s in data)
    assert any(s["synthetic"] for s in data)


@pytest.mark.django_db
def test_stats_json_counts_what_is_in_the_database(reference_db):
    result = runner.invoke(app, ["stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert set(counts) == {
        "municipalities",
        "households",
        "persons",
        "units",
        "requests",
        "decisions",
    }
    assert counts["municipalities"] == 785


def test_stats_refuses_an_unknown_format():
    result = runner.invoke(app, ["stats", "--format", "xml"])
    assert result.exit_code == 2
