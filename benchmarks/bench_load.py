"""Load test: the web pages and the API lists of the demo world under 10 and 50 concurrent clients.

What it does, bounded in time, on loopback only (127.0.0.1), cleaning up after itself:

1. builds the demo world (``bosetting demo``) once and keeps it, keyed by the code that shapes it
   (migrations, the demo builder, the reference data), under ``$BOSETTING_BENCH_DIR`` (default: the
   system's temp folder, ``bosetting-bench-load/``); then prepares it for the mix: a regional round
   for IMDi Vest, the demo round sent to the municipalities, a few proposals accepted (so that
   checklists are open). The database is PostgreSQL when ``DATABASE_URL`` is set (the demo world is
   built in it when it has none) or when a local cluster can be started as ``.ci/run`` does
   (``initdb`` of Debian's ``postgresql``; the cluster is kept beside the world and stopped after
   the run), else the embedded SQLite. ``--database sqlite|postgres`` chooses.
2. serves it with gunicorn on 127.0.0.1: ``--workers 2 --threads 4`` (gthread) by default, for a
   2-core machine that also runs the database and the load generator. Two processes use both
   cores for Python; four threads in each overlap a request's database waits with another's
   Python (more processes only add memory and context switches on 2 cores). ``--workers`` and
   ``--threads`` change it.
3. runs ``locust`` headless (``benchmarks/load_mix.py``: a realistic mix per role, 2–8 s between
   pages by default, ``--think 0.5,2.5`` for a harsher mix) at 10 and then 50 concurrent clients,
   ``--seconds`` each (default 60) after a short warm-up, and prints p50/p95/max and requests/s
   per page group, and whether the target holds: p95 < 500 ms at 50 clients for pages and for
   API lists.

Figures depend on the machine's other load: the load average is printed with each level. The
server's CPU seconds per request are printed too (the cost of the work, which other load on a
shared machine inflates far less than wall time). Prints figures; asserts nothing.

    python benchmarks/bench_load.py [--database auto|sqlite|postgres] [--seconds 60]
        [--levels 10,50] [--workers 2] [--threads 4] [--think 2,8]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "bosetting"
MIX = Path(__file__).resolve().parent / "load_mix.py"
SEED = 2014
TARGET_P95_MS = 500
#: Bumped when the preparation below changes, so that a cached world is rebuilt.
PREPARATION = "1"
WARMUP_SECONDS = 10
#: Where the figures are measured: pages (people) and the API lists (programs).
KINDS = ("page", "api")


# --- the world ---------------------------------------------------------------------------------


def world_key() -> str:
    """A hash of what shapes the demo world: migrations, the demo builder, the reference data."""
    digest = hashlib.sha256(PREPARATION.encode())
    files = sorted(
        [
            *SRC.glob("apps/*/migrations/*.py"),
            *SRC.glob("demo/**/*.py"),
            *(p for p in SRC.glob("reference/**/*") if p.is_file()),
        ]
    )
    for path in files:
        digest.update(str(path.relative_to(SRC)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def bench_dir() -> Path:
    return Path(os.environ.get("BOSETTING_BENCH_DIR") or tempfile.gettempdir()) / (
        "bosetting-bench-load"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts[-3])
    return found[-1].parent if found else None


class LocalPostgres:
    """A PostgreSQL cluster of our own in a folder, started as ``.ci/run`` does (as the
    ``postgres`` user when we are root), listening on 127.0.0.1 only."""

    def __init__(self, bin_dir: Path, data: Path) -> None:
        self.bin = bin_dir
        self.data = data
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        command = " ".join(f"'{a}'" for a in args)
        if self.as_postgres:
            subprocess.run(
                ["su", "postgres", "-s", "/bin/bash", "-c", command],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        else:
            subprocess.run(["/bin/bash", "-c", command], check=True, stdout=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/bosetting"

    def start(self) -> None:
        fresh = not (self.data / "PG_VERSION").exists()
        if fresh:
            shutil.rmtree(self.data, ignore_errors=True)
            self.data.mkdir(parents=True)
            if self.as_postgres:
                shutil.chown(self.data, "postgres", "postgres")
            self._run(
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            )
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data / "log"),
            "-w",
            "start",
        )
        if fresh:
            self._run(
                str(self.bin / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "bosetting",
            )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")


def _env(var: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BOSETTING_TODAY")}
    env.update(
        BOSETTING_VAR_DIR=str(var),
        DJANGO_SETTINGS_MODULE="bosetting.web.settings",
        DEBUG="false",
        PYTHONPATH=str(ROOT / "src"),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run_self(env: dict[str, str], *args: str, timeout: int = 900) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout.strip()


def ensure_world(env: dict[str, str], folder: Path) -> float:
    """Build and prepare the demo world unless done already; the seconds it took (0: reused)."""
    ready = folder / "ready"
    if ready.exists() and _run_self(env, "_has_world") == "yes":
        return 0.0
    began = time.perf_counter()
    if _run_self(env, "_has_world") != "yes":
        subprocess.run(
            [sys.executable, "-m", "bosetting.cli", "demo", "--seed", str(SEED)],
            env=env,
            check=True,
            capture_output=True,
            timeout=1800,
        )
    _run_self(env, "_prepare_world", timeout=1800)
    ready.write_text(time.strftime("%Y-%m-%d %H:%M:%S"))
    return time.perf_counter() - began


# --- steps run inside Django (this file run with a leading _step argument) ----------------------


def _django() -> None:
    import django

    django.setup()


def _has_world() -> None:
    _django()
    from django.db import connection

    if "geo_demoworld" not in connection.introspection.table_names():
        print("no")
        return
    from bosetting.apps.geo.selectors import demo_world_loaded

    print("yes" if demo_world_loaded() else "no")


def _prepare_world() -> None:
    """What the mix needs beyond ``bosetting demo``: a regional round for IMDi Vest, the demo round
    sent, and in each municipality of the mix a few proposals accepted and agreed (open
    checklists). Idempotent."""
    _django()
    from django.contrib.auth import get_user_model

    from bosetting import clock
    from bosetting.apps.accounts.selectors import scope_for
    from bosetting.apps.lifecycle.services import do_accept_proposal, do_event, do_send_round
    from bosetting.apps.matching.choices import RoundStatus
    from bosetting.apps.matching.selectors import incoming_for, rounds_for
    from bosetting.apps.matching.services import do_create_round, do_run_round, drafts_of
    from bosetting.engine.lifecycle import Event

    users = get_user_model().objects
    national, vest = users.get(username="imdi.nasjonal"), users.get(username="imdi.vest")
    if not rounds_for(vest).filter(created_by=vest).exists():
        numbers = sorted(scope_for(vest).municipality_numbers or ())
        rnd = do_create_round(vest, clock.today(), "greedy", 60.0, numbers, "Vest (last)")
        do_run_round(rnd.pk)
    for rnd in rounds_for(national).filter(created_by=national, status=RoundStatus.DONE):
        if drafts_of(rnd):
            do_send_round(national, rnd.pk)
    for number in ("1201", "0301"):
        officer = users.get(username=f"kommune.{number}")
        for k, proposal in enumerate(list(incoming_for(officer)[:12])):
            do_accept_proposal(officer, proposal.pk)
            if k % 2 == 0:
                do_event(officer, proposal.household_id, Event.MAKE_AGREEMENT)


MIX_PEOPLE = ("imdi.vest", "kommune.1201", "kommune.0301", "husbanken.vest", "analytiker")
API_PEOPLE = ("imdi.vest", "kommune.1201", "husbanken.vest")


def _prepare_run(out: str, sessions_each: str) -> None:
    """The data of one run, written to ``out`` (JSON): a fresh session per virtual user (logged in
    without a password, so that hashing is not in the figures), bearer tokens, and the ids each
    person opens. The previous run's sessions and tokens are dropped."""
    _django()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client

    from bosetting.apps.accounts.selectors import scope_for
    from bosetting.apps.accounts.services import do_create_token, do_revoke_all_tokens
    from bosetting.apps.cases.selectors import cases_for
    from bosetting.apps.housing.selectors import units_for
    from bosetting.apps.matching.selectors import rounds_for

    previous = Path(out)
    if previous.exists():
        for keys in json.loads(previous.read_text())["sessions"].values():
            for key in keys:
                SessionStore(session_key=key).delete()
    users = get_user_model().objects
    rng = random.Random(SEED)
    data: dict[str, dict] = {
        "sessions": {},
        "tokens": {},
        "cases": {},
        "units": {},
        "rounds": {},
        "municipalities": {},
    }
    for name in MIX_PEOPLE:
        user = users.get(username=name)
        keys = []
        for _ in range(int(sessions_each)):
            client = Client()
            client.force_login(user)
            keys.append(client.cookies["sessionid"].value)
        data["sessions"][name] = keys
        scope = scope_for(user)
        if scope.personal_data:
            ids = list(cases_for(user).values_list("pk", flat=True))
            data["cases"][name] = rng.sample(ids, min(len(ids), 300))
            numbers = cases_for(user).exclude(municipality=None)
            data["municipalities"][name] = sorted(
                set(numbers.values_list("municipality__number", flat=True))
            )
        if scope.housing:
            ids = list(units_for(user).values_list("pk", flat=True))
            data["units"][name] = rng.sample(ids, min(len(ids), 300))
        if name == "imdi.vest":
            data["rounds"][name] = list(rounds_for(user).values_list("pk", flat=True))
    for name in API_PEOPLE:
        user = users.get(username=name)
        do_revoke_all_tokens(user, "load test: a new run")
        data["tokens"][name] = do_create_token(user, label="load test", hours=2)
    previous.write_text(json.dumps(data))


# --- the server and the load -------------------------------------------------------------------


class Server:
    """gunicorn on 127.0.0.1 in its own process group."""

    def __init__(self, env: dict[str, str], var: Path, workers: int, threads: int) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = var / "gunicorn.log"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "bosetting.web.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(threads),
                "--timeout",
                "120",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("w"),
            start_new_session=True,
        )
        for _ in range(240):
            try:
                urllib.request.urlopen(self.base + "/healthz", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("gunicorn did not start: " + self.log.read_text()[-2000:])

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by gunicorn's processes (the master and its workers)."""
        try:
            master = psutil.Process(self.process.pid)
            total = 0.0
            for p in [master, *master.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    times = p.cpu_times()
                    total += times.user + times.system
            return total
        except psutil.Error:
            return 0.0

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@dataclass
class Level:
    clients: int
    seconds: float
    times: dict[str, list[float]]
    failures: dict[str, int]
    load_before: float
    load_after: float
    server_cpu: float


def run_level(base: str, env: dict[str, str], work: Path, clients: int, seconds: int) -> dict:
    """One bounded headless locust run; the raw response times it recorded."""
    out = work / f"times-{clients}.json"
    out.unlink(missing_ok=True)
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(MIX),
        "--headless",
        "--host",
        base,
        "-u",
        str(clients),
        "-r",
        str(max(1, clients // 2)),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "5",
        "--only-summary",
        "--loglevel",
        "ERROR",
        "--exit-code-on-error",
        "0",
    ]
    process = subprocess.Popen(
        command,
        env={**env, "BENCH_LOAD_TIMES": str(out), "BENCH_LOAD_DATA": str(work / "run.json")},
        stdout=subprocess.DEVNULL,
        stderr=(work / f"locust-{clients}.log").open("w"),
        start_new_session=True,
    )
    try:
        process.wait(timeout=seconds + 60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError(f"locust did not stop by itself at {clients} clients") from None
    if process.returncode != 0 or not out.exists():
        raise RuntimeError("locust failed: " + (work / f"locust-{clients}.log").read_text()[-2000:])
    return json.loads(out.read_text())


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation (values need not be sorted)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _row(name: str, times: list[float], failures: int, seconds: float) -> list[str]:
    return [
        name,
        str(len(times)),
        str(failures),
        f"{percentile(times, 50):.0f}",
        f"{percentile(times, 95):.0f}",
        f"{max(times) if times else float('nan'):.0f}",
        f"{len(times) / seconds:.1f}",
    ]


def report(level: Level) -> dict[str, float]:
    """Print one level's table; the p95 of pages and of API lists."""
    from _util import format_table

    rows, p95 = [], {}
    for kind in KINDS:
        names = sorted(n for n in level.times if n.startswith(kind + ":"))
        for name in names:
            rows.append(_row(name, level.times[name], level.failures.get(name, 0), level.seconds))
        every = [t for n in names for t in level.times[n]]
        if every:
            fails = sum(level.failures.get(n, 0) for n in names)
            rows.append(_row(f"all {kind}s", every, fails, level.seconds))
            p95[kind] = percentile(every, 95)
    total = sum(len(v) for v in level.times.values())
    print(
        f"\n{level.clients} clients, {level.seconds:.0f} s measured, load average "
        f"{level.load_before:.2f} before, {level.load_after:.2f} after; server CPU "
        f"{1000 * level.server_cpu / max(total, 1):.0f} ms per request"
    )
    print(
        format_table(["group", "requests", "failed", "p50 ms", "p95 ms", "max ms", "req/s"], rows)
    )
    return p95


# --- main --------------------------------------------------------------------------------------


def _choose_database(wanted: str) -> str:
    if wanted != "auto":
        return wanted
    if os.environ.get("DATABASE_URL") or _pg_bin() is not None:
        return "postgres"
    return "sqlite"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database",
        choices=["auto", "sqlite", "postgres"],
        default=os.environ.get("BENCH_LOAD_DATABASE", "auto"),
    )
    parser.add_argument(
        "--seconds", type=int, default=int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
    )
    parser.add_argument("--levels", default=os.environ.get("BENCH_LOAD_LEVELS", "10,50"))
    parser.add_argument(
        "--think",
        default=os.environ.get("BENCH_LOAD_THINK", "2,8"),
        help="Seconds a person waits between pages: 'lowest,highest' (uniform).",
    )
    parser.add_argument(
        "--workers", type=int, default=int(os.environ.get("BENCH_LOAD_WORKERS", "2"))
    )
    parser.add_argument(
        "--threads", type=int, default=int(os.environ.get("BENCH_LOAD_THREADS", "4"))
    )
    args = parser.parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    database = _choose_database(args.database)

    key = world_key()
    root = bench_dir()
    given_url = os.environ.get("DATABASE_URL") if database == "postgres" else None
    folder = root / (f"{database}-{key}" if not given_url else f"given-{key}")
    if root.exists():  # worlds of older code
        for old in root.glob(f"{database}-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    var = folder / "var"
    var.mkdir(parents=True, exist_ok=True)
    work = folder / "run"
    work.mkdir(exist_ok=True)

    postgres = None
    server = None
    # SIGTERM (e.g. a stopped `make bench`) cleans up as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        url = given_url
        if database == "postgres" and not url:
            bin_dir = _pg_bin()
            if bin_dir is None:
                print("PostgreSQL is not installed (apt-get install postgresql): using SQLite")
                return main([*(argv or sys.argv[1:]), "--database", "sqlite"])
            postgres = LocalPostgres(bin_dir, folder / "pg")
            postgres.start()
            url = postgres.url
        env = {**_env(var, url), "BENCH_LOAD_THINK": args.think}
        built = ensure_world(env, folder)
        where = "PostgreSQL" + (" (DATABASE_URL)" if given_url else " (local cluster)")
        print(
            f"database: {where if url else 'SQLite (embedded)'}; demo world seed {SEED} "
            + (f"built in {built:.0f} s" if built else "reused")
            + f" ({folder})"
        )
        _run_self(env, "_prepare_run", str(work / "run.json"), str(max(levels)))
        server = Server(env, var, args.workers, args.threads)
        print(
            f"gunicorn: {args.workers} workers x {args.threads} threads (gthread) on "
            f"{server.base}; {os.cpu_count()} cores; locust mix {MIX.name}, "
            f"{args.think.replace(',', '-')} s between pages, {args.seconds} s per level after "
            f"{WARMUP_SECONDS} s of warm-up"
        )
        run_level(server.base, env, work, min(levels), WARMUP_SECONDS)
        results: dict[int, dict[str, float]] = {}
        for clients in levels:
            load_before = os.getloadavg()[0]
            cpu_before = server.cpu_seconds()
            raw = run_level(server.base, env, work, clients, args.seconds)
            level = Level(
                clients=clients,
                seconds=raw["seconds"],
                times=raw["times"],
                failures=raw["failures"],
                load_before=load_before,
                load_after=os.getloadavg()[0],
                server_cpu=server.cpu_seconds() - cpu_before,
            )
            results[clients] = report(level)
        top = max(levels)
        print()
        for kind in KINDS:
            p95 = results[top].get(kind)
            if p95 is None:
                continue
            verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
            print(
                f"target p95 < {TARGET_P95_MS} ms at {top} clients, {kind}s: "
                f"{p95:.0f} ms — {verdict}"
            )
    finally:
        if server is not None:
            server.stop()
        if postgres is not None:
            postgres.stop()
    return 0


STEPS = {"_has_world": _has_world, "_prepare_world": _prepare_world, "_prepare_run": _prepare_run}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        STEPS[sys.argv[1]](*sys.argv[2:])
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        sys.exit(main())
