"""The provider's claims: the people it knows (from PROVIDER_PEOPLE, JSON) with a name, an e-mail
address and — like ID-porten — a person identifier ``pid`` and a security level ``acr`` in the ID
token. The identifiers are made up (11 digits with a wrong check digit, so no real person's)."""

from __future__ import annotations

import json
import os


def _person(user) -> dict:
    return json.loads(os.environ["PROVIDER_PEOPLE"]).get(user.get_username(), {})


def userinfo(claims: dict, user) -> dict:
    person = _person(user)
    claims["name"] = person.get("name", "")
    claims["given_name"] = person.get("name", "").split(" ")[0]
    claims["email"] = person.get("email", "")
    claims["email_verified"] = bool(person.get("email"))
    return claims


def id_token_claims(id_token: dict, user, token, request, **kwargs) -> dict:
    person = _person(user)
    if person.get("pid"):
        id_token["pid"] = person["pid"]
    id_token["acr"] = person.get("acr", "idporten-loa-substantial")
    return id_token
