"""Screenshots of the home page (the task list) of every demo role for ``docs/home.md``.

    python -m tests.e2e.screenshots [OUT_DIR]     # default docs/img

Builds a fresh demo world in a temporary folder, sends one round for Bergen and reports three
self-found homes in IMDi Vest's area (``tests.e2e.prepare``), runs the server, and saves one small
PNG (a 64-colour palette, at most 1400 pixels tall) per role, and the two worklists. Not a test: run by hand when the page changes.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

from tests.e2e.conftest import CHROMIUM, login, start_demo_server, stop

#: (user, page, file name): the home page of every role, then the two worklists.
SHOTS = (
    ("kommune.1201", "/", "home-municipal"),
    ("imdi.vest", "/", "home-imdi-regional"),
    ("imdi.nasjonal", "/", "home-imdi-national"),
    ("husbanken.vest", "/", "home-husbanken"),
    ("fylkesmann.12", "/", "home-county-governor"),
    ("analytiker", "/", "home-analyst"),
    ("imdi.vest", "/saker/?status=open&sort=-mal", "worklist-imdi"),
    ("kommune.1201", "/saker/", "worklist-municipal"),
)
#: The tallest picture kept (the top of a long page).
MAX_HEIGHT = 1400


def _run(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, *args], env=env, check=True, capture_output=True, text=True, timeout=900
    ).stdout


def _save_small(png: bytes, path: Path) -> None:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.crop((0, 0, image.width, min(image.height, MAX_HEIGHT)))
    image.quantize(colors=64).save(path, optimize=True)


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as var:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        }
        env["BOSETTING_VAR_DIR"] = var
        _run(env, "-m", "bosetting.cli", "demo")
        web = {**env, "DJANGO_SETTINGS_MODULE": "bosetting.web.settings"}
        _run(web, "-m", "tests.e2e.prepare", "sent", "1201")
        _run(web, "-m", "tests.e2e.prepare", "self_settlements", "1102", "1103", "1401")
        base, processes = start_demo_server(env, worker=False)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
                )
                for username, path, name in SHOTS:
                    context = browser.new_context(
                        viewport={"width": 1100, "height": 800}, locale="nb-NO"
                    )
                    page = context.new_page()
                    login(page, base, username)
                    page.goto(base + path)
                    _save_small(page.screenshot(full_page=True), out / f"{name}.png")
                    context.close()
                browser.close()
        finally:
            stop(processes)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/img"))
