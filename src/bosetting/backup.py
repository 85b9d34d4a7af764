"""Backup and restore of the database and the stored files ("sikkerhetskopi").

A backup is a folder:

- ``database.sqlite3`` (the embedded SQLite, copied with SQLite's online backup API, so a running
  server may keep writing) or ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``);
- ``files/`` — the stored files (``MEDIA_ROOT``: archived letters, uploads);
- ``manifest.json`` — when, from which database engine and app version, the row count of every
  table, and a SHA-256 checksum and size of every file in the backup.

:func:`restore` checks every checksum first, refuses a target that already holds data, restores the
database and the files, and then compares every table's row count with the manifest. The secret key
is not part of a backup: keep it (``SECRET_KEY`` or ``var/secret_key``) with the deployment's secrets.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
FORMAT = "bosetting.backup/1"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
FILES_DIR = "files"


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why (English: operators' tool)."""


@dataclass(frozen=True)
class Summary:
    """What a backup or restore did."""

    folder: Path
    engine: str
    tables: int
    rows: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def row_counts() -> dict[str, int]:
    """The number of rows in every table of the database."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _pg_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return (
        f"postgresql://{auth}{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[:2000]}")


def backup(out: Path) -> Summary:
    """Write a backup of the database and the stored files to ``out`` (a new or empty folder)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: a backup goes into a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    counts = row_counts()
    if engine == "sqlite":
        target = sqlite3.connect(out / SQLITE_FILE)
        with connection.cursor():
            connection.connection.backup(target)
        target.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(out / PG_FILE), _pg_url()])
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, out / FILES_DIR)
    files = {
        str(p.relative_to(out)): {"sha256": _sha256(p), "bytes": p.stat().st_size}
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "bosetting_version": version("bosetting"),
        "tables": counts,
        "files": files,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return Summary(out, engine, len(counts), sum(counts.values()), len(files))


def read_manifest(folder: Path) -> dict:
    """The backup's manifest, after checking that every file it lists is there and unchanged."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: not a backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format: {manifest.get('format')!r}")
    for name, meta in manifest["files"].items():
        path = folder / name
        if not path.is_file():
            raise BackupError(f"missing from the backup: {name}")
        if path.stat().st_size != meta["bytes"] or _sha256(path) != meta["sha256"]:
            raise BackupError(f"checksum mismatch: {name} has changed since the backup was made")
    return manifest


def restore(folder: Path) -> Summary:
    """Restore a backup into the configured database and ``MEDIA_ROOT``, which must be empty."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(f"the backup is of {manifest['engine']}, the target is {engine}")
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing:
        raise BackupError(
            f"the target database is not empty ({len(existing)} tables): restore into an empty "
            "data folder (SQLite) or a new, empty database (PostgreSQL)"
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"{media} is not empty: restore into an empty data folder")
    if engine == "sqlite":
        connection.close()
        target = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        source = sqlite3.connect(folder / SQLITE_FILE)
        dest = sqlite3.connect(target)
        source.backup(dest)
        dest.close()
        source.close()
    else:
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--dbname",
                _pg_url(),
                str(folder / PG_FILE),
            ]
        )
    if (folder / FILES_DIR).exists():
        shutil.copytree(folder / FILES_DIR, media, dirs_exist_ok=True)
    counts = row_counts()
    differ = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if differ:
        raise BackupError(f"row counts differ after the restore (table: backup, now): {differ}")
    return Summary(folder, engine, len(counts), sum(counts.values()), len(manifest["files"]))
