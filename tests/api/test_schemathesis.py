"""Schemathesis against the API's own OpenAPI description (``/api/openapi.json``), in process.

Every operation gets a fixed number of generated requests that fit the description (positive) and as
many that break it (negative: wrong types, out-of-range numbers, NUL bytes, missing fields), sent as
an IMDi national officer with a bearer token on a small world (the reference data and a few hand-made
cases, proposals, units, leases, rounds and a simulation). Every answer must pass all of
Schemathesis' checks: no server error, the status code documented, the content type and the body as
described, schema-breaking input refused with a 4xx, input that fits accepted or refused with a
documented refusal.

Bounded and reproducible: ``EXAMPLES`` requests per operation and mode, ``derandomize`` (the same
requests every run), no shrinking, no example database, and a wall-clock budget after which the
remaining operations are left out and named in a warning.
"""

from __future__ import annotations

import time
import warnings
from datetime import date

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from bosetting.apps.accounts.services import do_create_token
from bosetting.apps.housing.models import Lease
from bosetting.apps.simulation.models import SimulationRun

from .world import make_case, make_sent_proposal, make_unit

pytestmark = pytest.mark.django_db

#: Requests per operation and generation mode (positive, negative).
EXAMPLES = 6
#: The operations in groups (by OpenAPI tag), one test each, so that pytest-xdist spreads them.
GROUPS = {
    "cases, proposals, decisions, tokens": ("auth", "cases", "proposals", "decisions"),
    "matching, simulation, reports": ("matching", "simulation", "reports"),
    "housing": ("housing",),
    "finance": ("finance",),
    "coordination and regions": ("coordination",),
    "knowledge": ("knowledge",),
    "self-settlements and requests": ("self-settlements", "requests"),
    "letters and notifications": ("letters", "notifications"),
}
#: A group starts no new operation after this long (each takes 5-15 s on a laptop); the operations
#: left out are named in a warning.
BUDGET_SECONDS = 60

CONFIG = {
    "generation": {"deterministic": True, "allow-x00": True},
    "checks": {
        # 422 is also the answer to input that fits the description but not the data or the rules
        # the description cannot express (an unknown municipality number, `to` before `from`, a day
        # outside 1990-2100, a permit after the business date); it names the field.
        "positive_data_acceptance": {
            "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]
        },
    },
}


class InProcessWsgi:
    """Django's WSGI handler for a test: the request runs on the test's database connection and
    transaction (the handler would otherwise close the connection after each request, as a server
    must), and the answer is read before the connection signals are restored."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.fixture
def small_world(reference_db, db):
    """A few objects of every kind the API reads, in Bergen (1201) and Oslo (0301)."""
    make_case(municipality="1201", health_note="Trenger tilrettelagt bolig")
    make_case(municipality="0301")
    make_case()
    for number in ("1201", "0301"):
        proposal = make_sent_proposal(number)
        unit = make_unit(number)
        household = make_case("settled", municipality=number)
        Lease.objects.create(
            unit=unit, household=household, start=date(2014, 6, 1), end=date(2015, 3, 1)
        )
    proposal.round.summary = {"households_in": 2}
    proposal.round.save()
    SimulationRun.objects.create(scenario="baseline", seed=1, runs=1, status="done", result={})


def test_every_operation_is_in_a_group(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    tags = {tag for methods in paths.values() for op in methods.values() for tag in op["tags"]}
    assert tags == {tag for group in GROUPS.values() for tag in group}


@pytest.mark.parametrize("tags", GROUPS.values(), ids=GROUPS.keys())
def test_the_api_answers_as_its_openapi_description_says(small_world, imdi_officer, settings, tags):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", InProcessWsgi(), config=SchemathesisConfig.from_dict(CONFIG)
    )
    deadline = time.monotonic() + BUDGET_SECONDS
    failures: list[str] = []
    skipped: list[str] = []
    seconds: dict[str, float] = {}
    calls = 0

    for result in schema.get_all_operations():
        operation = result.ok()
        if not set(operation.tags or ()) & set(tags):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if time.monotonic() > deadline:
                skipped.append(f"{operation.label} ({mode.value})")
                continue

            @hypothesis_settings(
                max_examples=EXAMPLES,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                nonlocal calls
                calls += 1
                # A fresh token for every request: DELETE /api/token revokes the one it is sent with.
                token = do_create_token(imdi_officer)
                case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

            started = time.monotonic()
            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # collect every operation's failures
                failures.append(f"{operation.label} ({mode.value}):\n{exc}")
            seconds[f"{operation.label} ({mode.value})"] = time.monotonic() - started

    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:5]
    print(f"schemathesis: {calls} requests, {len(failures)} failures, {len(skipped)} skipped")
    print("slowest:", ", ".join(f"{label} {s:.1f} s" for label, s in slowest))
    if skipped:
        warnings.warn(f"over the {BUDGET_SECONDS} s budget; not run: {skipped}", stacklevel=1)
    assert not failures, "\n\n".join(failures)
