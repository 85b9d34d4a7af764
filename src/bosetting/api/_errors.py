"""Turn the services' exceptions into the API's answers (shared by the routers; not a router).

- ``django.core.exceptions.PermissionDenied`` -> 403 with the service's message.
- ``django.core.exceptions.ValidationError`` -> 422, each error naming its field (``body.persons``),
  in the same shape as request-parsing errors (see ``core.validation_errors``).
- ``bosetting.errors.Conflict`` (the data's state forbids the change: an illegal step in a case's
  life, an object changed since it was read, data that would be overwritten) -> 409.
- ``bosetting.errors.Throttled`` (too many jobs at once) -> 429.
- ``ObjectDoesNotExist`` -> 404.

Every refusal is JSON: ``{"detail": "<message>"}`` (:class:`ErrorOut`), a 422
``{"detail": [{"field": …, "message": …}]}`` (:class:`ValidationErrorOut`). Operations declare the
refusals they can give with :func:`answers`, so that the OpenAPI description lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from bosetting.errors import Conflict, Throttled


class ErrorOut(Schema):
    """A refusal (401, 403, 404, 409, 429) with its message."""

    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    """422: each error names its field (``query.limit``, ``body.payload.note``, ``body.persons``)."""

    detail: list[FieldErrorOut]


REFUSALS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


def answers(ok: dict[int, Any], *refusals: int) -> dict[int, Any]:
    """An operation's ``response=``: its success answer(s) and the refusals it can give, e.g.
    ``answers({200: ProposalOut}, 401, 403, 404, 422)``."""
    return {**ok, **{code: REFUSALS[code] for code in refusals}}


def validation_422(exc: ValidationError, location: str = "body") -> NinjaValidationError:
    """A Django validation error as the API's 422 (``field`` is ``location.name``)."""
    errors = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.append({"loc": (location, field), "msg": message})
    else:
        for message in exc.messages:
            errors.append({"loc": (location,), "msg": message})
    return NinjaValidationError(errors)


@contextmanager
def service_errors(location: str = "body") -> Iterator[None]:
    """Run a service call and map its exceptions to HTTP answers."""
    try:
        yield
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Ingen tilgang.") from None
    except ValidationError as exc:
        raise validation_422(exc, location) from None
    except ObjectDoesNotExist:
        raise HttpError(404, "Finnes ikke.") from None
    except Conflict as exc:
        raise HttpError(409, str(exc)) from None
    except Throttled as exc:
        raise HttpError(429, str(exc)) from None


def forbid(message: str = "Ingen tilgang.") -> None:
    """Raise a 403."""
    raise HttpError(403, message)
