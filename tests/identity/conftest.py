"""A real OpenID Connect provider for the identity tests, and Bosetting configured to use it.

The provider (``tests/identity/provider``: django-oidc-provider in a small Django project of its own,
with its own SQLite database and an RSA key generated at start) runs under gunicorn on a free loopback
port for the whole session and is stopped at its end. A test drives the authorization-code flow as a
browser would: Bosetting's test client starts the login, a ``requests`` session logs in at the
provider and follows it back to Bosetting's callback URL, and Bosetting then exchanges the code for
real signed tokens over HTTP and checks them against the provider's JWKS.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from bosetting.apps.accounts import oidc

ROOT = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/logg-inn/oidc/svar/"

#: The people the provider knows. Their identity numbers are made up: 11 digits with a wrong check
#: digit, so that none is a real person's.
PEOPLE = {
    "kari": {"name": "Kari Nordmann", "pid": "01017000001", "email": "kari@bergen.example"},
    "ola": {"name": "Ola Nordmann", "pid": "02028000002", "email": "ola@oslo.example"},
    "per": {"name": "Per Hansen", "pid": "03039000003", "email": "per@bergen.example"},
    "lise": {"name": "Lise Berg", "pid": "04049000004", "email": "lise@bergen.example"},
    "nils": {"name": "Nils Lav", "pid": "05059000005", "acr": "idporten-loa-low"},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Provider:
    base: str
    issuer: str
    client_id: str
    client_secret: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


@pytest.fixture(scope="session")
def provider(tmp_path_factory) -> Provider:
    """The running provider (started once; stopped when the session ends)."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    client_id, client_secret = "bosetting-test", secrets.token_urlsafe(24)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))},
        "DJANGO_SETTINGS_MODULE": "tests.identity.provider.settings",
        "PROVIDER_SECRET_KEY": secrets.token_urlsafe(40),
        "PROVIDER_DB": str(folder / "provider.sqlite3"),
        "PROVIDER_URL": base,
        "PROVIDER_PEOPLE": json.dumps(PEOPLE),
        "PYTHONPATH": str(ROOT),
    }

    def run(*args: str) -> None:
        subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)

    run(sys.executable, "-m", "django", "migrate", "--verbosity", "0")
    run(sys.executable, "-m", "tests.identity.provider.prepare", client_id, client_secret, CALLBACK)
    log = (folder / "provider.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tests.identity.provider.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(base + "/openid/.well-known/openid-configuration", timeout=2)
                break
            except requests.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "provider did not start: " + (folder / "provider.log").read_text()[-2000:]
                    ) from None
                time.sleep(0.2)
        yield Provider(base, f"{base}/openid", client_id, client_secret)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture
def oidc_settings(settings, provider):
    """Bosetting configured for the provider through its discovery document, as for ID-porten."""
    settings.BOSETTING_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = provider.client_secret
    settings.OIDC_OP_DISCOVERY_URL = provider.discovery_url
    settings.BOSETTING_OIDC_ACR_VALUES = "idporten-loa-substantial"
    settings.BOSETTING_OIDC_ACCEPTED_ACR = ["idporten-loa-substantial", "idporten-loa-high"]
    oidc.forget_discovery()
    yield settings
    oidc.forget_discovery()


def log_in_at_provider(client, provider: Provider, person: str, next_url: str = ""):
    """The whole authorization-code flow for one person; Bosetting's answer to the callback.

    Bosetting's test client asks for the login and is sent to the provider; a browser-like session
    logs in there (its own login form, with its CSRF token) and is sent back with a code; the test
    client then calls Bosetting's callback with it."""
    start = client.get("/logg-inn/oidc/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start
    authorize = start["Location"]
    assert authorize.startswith(provider.issuer + "/authorize?")
    browser = requests.Session()
    page = browser.get(authorize, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    next_at_provider = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["next"][0]
    answer = browser.post(
        page.url,
        data={
            "csrfmiddlewaretoken": token,
            "username": person,
            "password": "pw-" + person,
            "next": next_at_provider,
        },
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    back = browser.get(
        provider.base + answer.headers["Location"], allow_redirects=False, timeout=10
    )
    assert back.status_code == 302, back.text[:500]
    callback = back.headers["Location"]
    assert callback.startswith(CALLBACK + "?"), callback
    return client.get(callback[len("http://testserver") :])
