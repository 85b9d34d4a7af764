"""The load test's mix of users (a locustfile), run by ``benchmarks/bench_load.py``.

Each kind of user is a role doing what that role does on a working day, reading pages (no writes,
so that the cached demo world stays the same from run to run):

* IMDi regional officer (``imdi.vest``): the worklist (filtered, paged), case pages, the round
  page, the planning page;
* municipal officer (``kommune.1201``, ``kommune.0301``): the worklist with incoming proposals and
  the checklists, case pages, the housing units and a unit's page;
* Husbanken (``husbanken.vest``): the housing gap, the housing units, the turnover;
* analyst (``analytiker``): the dashboard, the report's tables, the aggregate worklist;
* a program with a bearer token: the API lists (cases, proposals, decisions, units, leases) with
  a page of 50.

People wait between pages as ``BENCH_LOAD_THINK`` says ("2,8": 2 to 8 s, 5 s on average, the
default: a brisk officer; reading a case takes longer, so 50 of these are many more people at work).
Every request is named by its page group, so that
the figures come per group. The data (session cookies, tokens, ids) comes from the JSON file in
``BENCH_LOAD_DATA``, written by ``bench_load.py``'s preparation step.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from http.cookiejar import Cookie

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["BENCH_LOAD_DATA"], encoding="utf-8") as _f:
    DATA = json.load(_f)

#: Each virtual user takes the next pre-made session of its person (no password hashing in the
#: measurement: a real officer logs in once a day).
_SESSIONS = {name: itertools.cycle(keys) for name, keys in DATA["sessions"].items()}
#: Municipal officers and API programs take turns between their people, so that each level has both.
_MUNICIPAL = itertools.cycle(["kommune.1201", "kommune.0301"])
_API = itertools.cycle(sorted(DATA["tokens"]))
API_PAGE = 50
_THINK = [float(s) for s in os.environ.get("BENCH_LOAD_THINK", "2,8").split(",")]
THINK = between(_THINK[0], _THINK[-1])


def _session_cookie(key: str) -> Cookie:
    return Cookie(
        version=0,
        name="sessionid",
        value=key,
        port=None,
        port_specified=False,
        domain="127.0.0.1",
        domain_specified=False,
        domain_initial_dot=False,
        path="/",
        path_specified=True,
        secure=False,
        expires=None,
        discard=True,
        comment=None,
        comment_url=None,
        rest={},
    )


class _Person(FastHttpUser):
    abstract = True
    wait_time = THINK
    username = ""

    def on_start(self) -> None:
        self.client.cookiejar.set_cookie(_session_cookie(next(_SESSIONS[self.username])))

    def page(self, url: str, group: str) -> None:
        self.client.get(url, name=f"page: {group}")

    def pick(self, kind: str) -> int | str:
        return random.choice(DATA[kind][self.username])


class RegionalOfficer(_Person):
    """IMDi's regional office: the queue of its region, cases, rounds and the region's planning."""

    weight = 3
    username = "imdi.vest"

    @task(4)
    def worklist(self) -> None:
        self.page("/saker/", "worklist")

    @task(2)
    def worklist_filtered(self) -> None:
        number = self.pick("municipalities")
        self.page(f"/saker/?status=open&kommune={number}", "worklist")

    @task(1)
    def worklist_next_page(self) -> None:
        self.page(f"/saker/?status=&side={random.randint(2, 5)}", "worklist")

    @task(5)
    def case(self) -> None:
        self.page(f"/saker/{self.pick('cases')}/", "case")

    @task(1)
    def rounds(self) -> None:
        self.page("/utsoking/", "rounds")

    @task(2)
    def round(self) -> None:
        self.page(f"/utsoking/{self.pick('rounds')}/", "round")

    @task(2)
    def planning(self) -> None:
        self.page("/planlegging/", "planning")


class MunicipalOfficer(_Person):
    """A municipality's settlement officer: incoming proposals, its cases and its flats."""

    weight = 3

    def on_start(self) -> None:
        self.username = next(_MUNICIPAL)
        super().on_start()

    @task(4)
    def worklist(self) -> None:
        self.page("/saker/", "worklist")

    @task(4)
    def case(self) -> None:
        self.page(f"/saker/{self.pick('cases')}/", "case")

    @task(2)
    def units(self) -> None:
        self.page("/boliger/", "housing units")

    @task(1)
    def free_units(self) -> None:
        self.page("/boliger/?available=on", "housing units")

    @task(2)
    def unit(self) -> None:
        self.page(f"/boliger/{self.pick('units')}/", "unit")

    @task(1)
    def planning(self) -> None:
        self.page("/planlegging/", "planning")


class HusbankenAdvisor(_Person):
    """Husbanken's regional office: the housing gap and the stock in its region."""

    weight = 1
    username = "husbanken.vest"

    @task(3)
    def gap(self) -> None:
        self.page("/boliger/boliggap/", "housing gap")

    @task(2)
    def units(self) -> None:
        self.page("/boliger/", "housing units")

    @task(1)
    def unit(self) -> None:
        self.page(f"/boliger/{self.pick('units')}/", "unit")

    @task(1)
    def turnover(self) -> None:
        self.page("/boliger/gjennomstromning/", "housing turnover")


class Analyst(_Person):
    """An analyst: aggregates only, nationally."""

    weight = 1
    username = "analytiker"

    @task(3)
    def dashboard(self) -> None:
        self.page("/rapporter/", "dashboard")

    @task(2)
    def tables(self) -> None:
        self.page("/rapporter/tabeller/", "tables")

    @task(1)
    def aggregate_worklist(self) -> None:
        self.page("/saker/", "worklist")


class ApiClient(FastHttpUser):
    """A program reading the API lists with a bearer token, a page of 50 at a time."""

    weight = 2
    wait_time = THINK

    def on_start(self) -> None:
        self.username = next(_API)
        self.headers = {"Authorization": f"Bearer {DATA['tokens'][self.username]}"}

    def api(self, path: str, group: str) -> None:
        offset = random.choice([0, 0, 0, API_PAGE, 2 * API_PAGE])
        self.client.get(
            f"{path}?limit={API_PAGE}&offset={offset}", headers=self.headers, name=f"api: {group}"
        )

    @task(3)
    def cases(self) -> None:
        if self.username.startswith("husbanken"):  # no personal data: units instead
            self.api("/api/units", "units")
        else:
            self.api("/api/cases", "cases")

    @task(2)
    def proposals(self) -> None:
        if self.username.startswith("husbanken"):
            self.api("/api/leases", "leases")
        else:
            self.api("/api/proposals", "proposals")

    @task(1)
    def decisions(self) -> None:
        self.api("/api/decisions", "decisions")

    @task(2)
    def units(self) -> None:
        self.api("/api/units", "units")

    @task(1)
    def leases(self) -> None:
        self.api("/api/leases", "leases")


# --- the raw response times, for bench_load.py's own percentiles ---------------------------------
# Locust's own percentiles are rounded into buckets; bench_load.py computes exact ones from these.
# Like ``--reset-stats``, what happened while the users were being spawned is dropped.

_TIMES: dict[str, list[float]] = {}
_FAILURES: dict[str, int] = {}
_STARTED = [0.0]


@events.spawning_complete.add_listener
def _reset(user_count: int, **_kw) -> None:
    _TIMES.clear()
    _FAILURES.clear()
    _STARTED[0] = time.monotonic()


@events.request.add_listener
def _record(name: str, response_time: float, exception=None, **_kw) -> None:
    if not _STARTED[0]:
        return
    _TIMES.setdefault(name, []).append(response_time)
    if exception is not None:
        _FAILURES[name] = _FAILURES.get(name, 0) + 1


@events.quitting.add_listener
def _write(environment, **_kw) -> None:
    out = os.environ.get("BENCH_LOAD_TIMES")
    if out:
        seconds = time.monotonic() - _STARTED[0] if _STARTED[0] else 0.0
        with open(out, "w", encoding="utf-8") as f:
            json.dump({"seconds": seconds, "times": _TIMES, "failures": _FAILURES}, f)
