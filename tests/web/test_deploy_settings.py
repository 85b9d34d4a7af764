"""Production settings (security finding 12): behind TLS, `check --deploy` prints no warning; every
page carries a CSP without inline script, frame and referrer rules; sessions expire when idle."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings


def test_check_deploy_is_clean_with_tls(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "bosetting.example.no",
        "BOSETTING_TLS": "true",
        "BOSETTING_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bosetting.web.settings",
    }
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/logg-inn/")
    csp = response["Content-Security-Policy"]
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_sessions_expire_after_eight_idle_hours():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST


def test_no_template_or_form_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    root = Path(settings.PACKAGE_DIR)
    offenders = []
    for path in root.rglob("*.py"):
        for match in re.finditer(
            r"attrs\[\"on[a-z]+\"\]|[\"']on(click|change|submit|input)[\"']\s*:", path.read_text()
        ):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text
        ):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
        for match in re.finditer(r"\son(click|change|submit|load|input|keyup|keydown)=", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []
