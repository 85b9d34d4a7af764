"""The NinjaAPI instance, authentication and the token endpoint."""

from __future__ import annotations

import importlib
import json
import pkgutil

from django.conf import settings
from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.parser import Parser
from ninja.responses import Status
from ninja.security import HttpBearer, SessionAuth

import bosetting.api
from bosetting.api._errors import answers
from bosetting.api._fields import Line
from bosetting.apps.accounts.services import do_issue_token, do_revoke_bearer, user_for_token


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
            request.auth_key = token
        return user


class LoggedInSession(SessionAuth):
    """The browser's Django session. A request without a logged-in session is not authenticated
    (401, like a request without a token); only a logged-in session's write is checked for its CSRF
    token (403 "CSRF check Failed" without it)."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def _no_constant(name: str):
    raise ValueError(f"{name} er ikke et tall i JSON")


class ObjectParser(Parser):
    """Every request body of the API is a JSON object: an array, a bare value, ``NaN`` or
    ``Infinity`` (which Python's JSON reader would take) is 400 "Cannot parse request body".
    (ninja's ``Schema`` reads the fields of any value as attributes, so ``[]`` would otherwise pass
    as a body whose fields all have defaults.)"""

    def parse_body(self, request: HttpRequest):
        data = json.loads(request.body, parse_constant=_no_constant)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


api = NinjaAPI(
    title="Bosetting API",
    version="1",
    description="Bosettingsmodellen: saker, forslag, vedtak, boliger, utsøking. Bearer-token fra POST /api/token.",
    auth=[BearerAuth(), LoggedInSession()],
    parser=ObjectParser(),
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def validation_errors(request, exc: ValidationError):
    """422 with each error naming its field (``body.persons``, ``query.status``)."""
    errors = []
    for err in exc.errors:
        loc = ".".join(str(p) for p in err.get("loc", ()))
        errors.append({"field": loc, "message": err.get("msg", "")})
    return api.create_response(request, {"detail": errors}, status=422)


class TokenIn(Schema):
    username: Line(150)
    password: Line(1024)
    code: Line(64) = (
        ""  # the second factor (authenticator app or recovery code), when the user has one
    )


class TokenOut(Schema):
    token: str
    expires_in_hours: int


@api.post("/token", auth=None, response=answers({200: TokenOut}, 400, 401, 422, 429), tags=["auth"])
def token(request, payload: TokenIn):
    """Exchange username and password for a bearer token. It expires after
    ``BOSETTING_TOKEN_HOURS`` (default 12) and is revoked when the password changes. Repeated wrong
    passwords lock the username from the caller's address for a while (429), as the login page does.
    A user with two-factor login sends ``code`` too (from the authenticator app, or a recovery code)."""
    key = do_issue_token(request, payload.username, payload.password, payload.code)
    if key is None:
        return Status(401, {"detail": "Feil brukernavn, passord eller kode."})
    return {"token": key, "expires_in_hours": settings.BOSETTING_TOKEN_HOURS}


@api.delete("/token", auth=[BearerAuth()], response=answers({204: None}, 401), tags=["auth"])
def revoke_token(request):
    """Revoke the token this request is made with (log the program out)."""
    do_revoke_bearer(request.auth_key)
    return Status(204, None)


def _mount_routers() -> None:
    for info in sorted(pkgutil.iter_modules(bosetting.api.__path__), key=lambda m: m.name):
        if info.name in {"core", "urls"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bosetting.api.{info.name}")
        router = getattr(module, "router", None)
        prefix = getattr(module, "PREFIX", None)
        if router is not None and prefix is not None:
            api.add_router(f"/{prefix}", router)


_mount_routers()
