"""Backup and restore (security finding 13): a round trip through `bosetting backup` and
`bosetting restore` into an empty data folder (SQLite) or a new database (PostgreSQL, when the suite
runs on one) keeps every row of every table and every stored file; a tampered backup and a target
that holds data are refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

BOSETTING = [sys.executable, "-m", "bosetting.cli"]
POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


def _base_env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    return env


@pytest.fixture
def scratch_databases():
    """Two new PostgreSQL databases on the suite's server (dropped afterwards), or SQLite."""
    if not POSTGRES:
        yield [None, None]
        return
    import psycopg

    url = os.environ["DATABASE_URL"]
    names = [f"bosetting_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    yield [f"{base}/{name}" for name in names]
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([*BOSETTING, *args], env=env, capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def _env(var: Path, database: str | None) -> dict[str, str]:
    env = {**_base_env(), "BOSETTING_VAR_DIR": str(var), "COLUMNS": "200"}
    if database:
        env["DATABASE_URL"] = database
    return env


def test_a_backup_round_trip_keeps_every_row_and_file(tmp_path, scratch_databases):
    source = _env(tmp_path / "source", scratch_databases[0])
    _run(source, "migrate")
    _run(source, "load-reference")
    letter = tmp_path / "source" / "media" / "brev" / "anmodning-1201.pdf"
    letter.parent.mkdir(parents=True)
    letter.write_bytes(b"%PDF-1.7 (test)")
    _run(source, "backup", "--out", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["tables"]["geo_municipality"] == 785
    assert "files/brev/anmodning-1201.pdf" in manifest["files"]

    target = _env(tmp_path / "target", scratch_databases[1])
    _run(target, "restore", str(tmp_path / "backup"))
    restored = tmp_path / "target" / "media" / "brev" / "anmodning-1201.pdf"
    assert restored.read_bytes() == letter.read_bytes()
    stats = json.loads(_run(target, "stats", "--format", "json").stdout)
    assert stats == json.loads(_run(source, "stats", "--format", "json").stdout)

    # The restored database holds data now: a second restore into it is refused.
    again = _run(target, "restore", str(tmp_path / "backup"), ok=False)
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_tampered_backup_is_refused_before_anything_is_written(tmp_path):
    source = _env(tmp_path / "source", None)
    _run(source, "migrate")
    _run(source, "backup", "--out", str(tmp_path / "backup"))
    database = next((tmp_path / "backup").glob("database.*"))
    database.write_bytes(database.read_bytes() + b"x")
    target = _env(tmp_path / "target", None)
    done = _run(target, "restore", str(tmp_path / "backup"), ok=False)
    assert done.returncode != 0 and "checksum mismatch" in done.stderr
    assert not (tmp_path / "target" / "bosetting.sqlite3").exists() or (
        (tmp_path / "target" / "bosetting.sqlite3").stat().st_size == 0
    )
