"""No "database is locked" errors (security finding 3): 50 clients answering the same proposal at
the same moment, over HTTP against a threaded server on the same database file, get exactly one
acceptance and a clear refusal each for the rest — and no server error, on SQLite as on PostgreSQL."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from datetime import date

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from tests.apps.cases.world import make_household, make_unit

from bosetting.apps.accounts.services import do_create_token
from bosetting.apps.cases.choices import CaseStatus
from bosetting.apps.matching.models import MatchingRound, Proposal

N = 50
pytestmark = [
    pytest.mark.usefixtures("reference_restored"),
    pytest.mark.django_db(
        transaction=True,
        available_apps=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "axes",
            "bosetting.apps.accounts",
            "bosetting.apps.audit",
            "bosetting.apps.cases",
            "bosetting.apps.housing",
            "bosetting.apps.matching",
            "bosetting.apps.finance",
            "bosetting.apps.lifecycle",
        ],
    ),
]


def _post(url: str, token: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=b"{}",
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


class _Server(ThreadedWSGIServer):
    """Django's threaded server with a listen queue deep enough for 50 clients at once."""

    request_queue_size = 128


@pytest.fixture
def server_url():
    """A threaded HTTP server on loopback serving the app on the test database."""
    httpd = _Server(("127.0.0.1", 0), WSGIRequestHandler)
    httpd.set_app(get_wsgi_application())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fifty_clients_accepting_one_proposal_get_one_yes_and_no_server_error(
    server_url, municipal_officer, imdi_officer
):
    unit = make_unit("1201", max_occupants=4)
    h = make_household(CaseStatus.PROPOSED, ages=(30,), municipality="1201")
    rnd = MatchingRound.objects.create(as_of=date(2015, 1, 5), status=MatchingRound.Status.SENT)
    proposal = Proposal.objects.create(
        round=rnd,
        household=h,
        municipality=h.municipality,
        unit=unit,
        score=1.0,
        status=Proposal.Status.SENT,
        sent_on=date(2015, 1, 5),
    )
    tokens = [do_create_token(municipal_officer), do_create_token(imdi_officer)]
    url = f"{server_url}/api/proposals/{proposal.pk}/accept"
    barrier = threading.Barrier(N)
    results: list[tuple[int, str]] = [(0, "")] * N

    def answer(i: int) -> None:
        barrier.wait(timeout=60)
        results[i] = _post(url, tokens[i % 2])

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    statuses = [status for status, _body in results]
    assert [s for s in statuses if s >= 500] == []
    assert statuses.count(200) == 1
    refusals = [json.loads(body) for status, body in results if status != 200]
    assert len(refusals) == N - 1 and all(status == 422 for status in statuses if status != 200)
    assert all("allerede besvart" in str(r) for r in refusals)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
