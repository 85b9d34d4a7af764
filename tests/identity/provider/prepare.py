"""Set the provider up: an RSA signing key, the relying party (Bosetting) as a client, the people.

``python -m tests.identity.provider.prepare CLIENT_ID CLIENT_SECRET REDIRECT_URI`` after ``migrate``.
"""

from __future__ import annotations

import json
import os
import sys

import django


def main(client_id: str, client_secret: str, redirect_uri: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.identity.provider.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("creatersakey")
    client = Client.objects.create(
        name="Bosetting",
        client_type="confidential",
        client_id=client_id,
        client_secret=client_secret,
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
        _redirect_uris=redirect_uri,
        _scope="openid profile email",
    )
    client.response_types.add(ResponseType.objects.get(value="code"))
    for username in json.loads(os.environ["PROVIDER_PEOPLE"]):
        get_user_model().objects.create_user(username, password="pw-" + username)


if __name__ == "__main__":
    main(*sys.argv[1:4])
