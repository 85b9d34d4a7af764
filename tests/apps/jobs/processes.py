"""Real ``bosetting`` processes on a scratch database, for the crash and supervision tests.

The processes get a temporary ``BOSETTING_VAR_DIR``. When the suite runs on PostgreSQL
(``DATABASE_URL=postgres://…``) they get a scratch database created on that server and dropped
afterwards; otherwise the embedded SQLite file in the temporary folder.
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BOSETTING = [sys.executable, "-m", "bosetting.cli"]
REPO = Path(__file__).resolve().parents[3]


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql")


@contextmanager
def scratch_database(label: str) -> Iterator[str | None]:
    """A fresh PostgreSQL database on the server of ``DATABASE_URL`` (its URL), dropped at the
    end; None when the suite runs on SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(url):
        yield None
        return
    import psycopg

    parts = urlsplit(url)
    name = f"bosetting_{label}_{os.getpid()}"
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def environment(var_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of the child processes: their own var/ and database, unbuffered output."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["BOSETTING_VAR_DIR"] = str(var_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env["COLUMNS"] = "200"
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """Run a command to its end; fail with its output when it fails."""
    done = subprocess.run(
        args, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done


def round_row(env: dict[str, str], round_id: int) -> dict:
    """The round as ``bosetting round list --format json`` shows it."""
    rows = json.loads(run([*BOSETTING, "round", "list", "--format", "json"], env).stdout)
    return next(row for row in rows if row["id"] == round_id)


def round_status(env: dict[str, str], round_id: int) -> str:
    """The round's status read straight from the database (a few milliseconds, where a ``bosetting``
    process takes seconds to start on a loaded machine: too slow to catch a round while it runs)."""
    sql = "SELECT status FROM matching_matchinground WHERE id = %s"
    url = env.get("DATABASE_URL")
    if is_postgres(url):
        import psycopg

        with psycopg.connect(urlunsplit(urlsplit(url)._replace(scheme="postgresql"))) as conn:
            return conn.execute(sql, (round_id,)).fetchone()[0]
    import sqlite3

    path = Path(env["BOSETTING_VAR_DIR"]) / "bosetting.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as conn:
        return conn.execute(sql.replace("%s", "?"), (round_id,)).fetchone()[0]


class Lines:
    """Collects a child's output lines on a thread, so a test can wait for one without blocking."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.2)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {timeout} s:\n{''.join(self.seen)}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
