"""The NinjaAPI instance, authentication and the token endpoint."""

from __future__ import annotations

import importlib
import pkgutil

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from ninja.security import HttpBearer, django_auth

from bosetting.apps.accounts.services import do_issue_token, user_for_token


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Bosetting API",
    version="1",
    description="Bosettingsmodellen: saker, forslag, vedtak, boliger, utsøking. Bearer-token fra POST /api/token.",
    auth=[BearerAuth(), django_auth],
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
    username: str
    password: str


class TokenOut(Schema):
    token: str


@api.post("/token", auth=None, response={200: TokenOut, 401: dict}, tags=["auth"])
def token(request, payload: TokenIn):
    """Exchange username and password for a bearer token."""
    key = do_issue_token(payload.username, payload.password)
    if key is None:
        return Status(401, {"detail": "Feil brukernavn eller passord."})
    return {"token": key}


def _mount_routers() -> None:
    import bosetting.api as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name in {"core", "urls"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"bosetting.api.{info.name}")
        router = getattr(module, "router", None)
        prefix = getattr(module, "PREFIX", None)
        if router is not None and prefix is not None:
            api.add_router(f"/{prefix}", router)


_mount_routers()
