"""Browser tests: a real server on the demo world, driven by Playwright in Debian's headless Chromium.

The server (and a background worker beside it) runs as its own process on a fresh embedded SQLite database
in a temporary folder (built with ``bosetting demo``), so these tests never touch the test database and run
the app exactly as a user does.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a fresh demo world (embedded SQLite in a temp dir), built once."""
    var = tmp_path_factory.mktemp("e2e-var")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BOSETTING_VAR_DIR"] = str(var)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "-m", "bosetting.cli", "demo"],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return env


def run_in_demo(env: dict[str, str], *args: str) -> str:
    """Run ``python -m tests.e2e.prepare ARGS`` against the demo world's database; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.prepare", *args],
        env={**env, "DJANGO_SETTINGS_MODULE": "bosetting.web.settings"},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    return done.stdout.strip()


def start_demo_server(env: dict[str, str], *, worker: bool = True):
    """Start gunicorn (and, with ``worker``, a background worker beside it, as ``bosetting serve``
    does) on the demo world of ``env``; wait until it answers. Returns the base URL and the
    processes to stop."""
    var = Path(env["BOSETTING_VAR_DIR"])
    bosetting = [sys.executable, "-m", "bosetting.cli"]
    port = _free_port()
    subprocess.run([*bosetting, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bosetting.web.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--timeout",
            "300",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "bosetting.web.settings", "DEBUG": "false"},
        stdout=subprocess.DEVNULL,
        stderr=(Path(var) / "server.log").open("w"),
    )
    processes = [server]
    if worker:
        # Rounds started in the browser are background jobs: a worker runs them.
        processes.append(
            subprocess.Popen(
                [*bosetting, "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(Path(var) / "worker.log").open("w"),
            )
        )
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        stop(processes)
        raise RuntimeError(
            "demo server did not start: " + (Path(var) / "server.log").read_text()[-2000:]
        )
    return base, processes


def stop(processes) -> None:
    """Stop the server processes started by :func:`start_demo_server`."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def demo_server(demo_env):
    """Base URL of a server running the demo world (with a background worker beside it)."""
    base, processes = start_demo_server(demo_env)
    yield base
    stop(processes)


@pytest.fixture(scope="package")
def browser():
    """Headless Chromium for this package's tests, closed after its last one: Playwright's sync API runs
    an event loop in the thread, and Django refuses database access (SynchronousOnlyOperation) while
    one runs, so it must not outlive the browser tests on a worker that runs other tests after them."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def login(page, base: str, username: str, password: str = "demo") -> None:
    """Log in through the login form."""
    page.goto(base + "/logg-inn/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
