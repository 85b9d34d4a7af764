"""Benchmark of the reports on 50,000 cases in SQLite: loading the cases, the national dashboard,
the map, and ``bosetting report tables`` for six years.

Targets: the national dashboard renders in under 1 s and ``report tables`` for six years runs in
under 5 s. A temporary SQLite database is built (migrate, real reference data, 50,000 synthetic
households with their persons, seeded). Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time

N_CASES = 50_000
SEED = 2014
REPEATS = 5


def _setup_database(var_dir: str) -> None:
    os.environ["BOSETTING_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bosetting.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from bosetting.bootstrap import load_reference

    load_reference()


def _create_cases(n: int, seed: int) -> int:
    """``n`` synthetic households (settled 2009–2014 or waiting in reception) with 1–5 persons."""
    from datetime import date, timedelta

    import numpy as np
    from django.db import transaction

    from bosetting.apps.cases.models import CaseStatus, Household, HouseholdType, Person
    from bosetting.apps.geo.models import Municipality, ReceptionCentre

    rng = np.random.default_rng(seed)
    munis = list(Municipality.objects.filter(structure_year=2014))
    centres = [
        ReceptionCentre.objects.create(name=f"Bench mottak {i}", municipality=m, synthetic=True)
        for i, m in enumerate(munis[::20])
    ]
    types = [t.value for t in HouseholdType]
    start = date(2008, 1, 1)
    households = []
    sizes = []
    for i in range(n):
        permit = start + timedelta(days=int(rng.integers(0, 7 * 365)))
        ready = permit + timedelta(days=int(rng.integers(10, 90)))
        settled = ready + timedelta(days=int(rng.integers(20, 500)))
        waiting = settled > date(2014, 12, 31)
        households.append(
            Household(
                reference=f"B{i:06d}",
                household_type=types[int(rng.integers(0, len(types)))],
                status=CaseStatus.READY if waiting else CaseStatus.SETTLED,
                municipality=None if waiting else munis[int(rng.integers(0, len(munis)))],
                reception_centre=centres[int(rng.integers(0, len(centres)))],
                case_opened=permit - timedelta(days=int(rng.integers(120, 500))),
                permit_date=permit,
                notified_on=permit + timedelta(days=5),
                interview_on=permit + timedelta(days=9),
                ready_on=ready,
                settled_on=None if waiting else settled,
                synthetic=True,
            )
        )
        sizes.append(int(rng.integers(1, 6)))
    with transaction.atomic():
        Household.objects.bulk_create(households, batch_size=5000)
        persons = [
            Person(household=h, birth_year=1980 + k, is_principal=k == 0)
            for h, size in zip(households, sizes, strict=True)
            for k in range(size)
        ]
        Person.objects.bulk_create(persons, batch_size=10000)
    return len(persons)


def _timed(fn, repeats: int = REPEATS) -> str:
    """Best and median wall time, and the best CPU time of this process (the cost of the work
    itself, which other load on a shared machine does not inflate)."""
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return (
        f"wall best {min(walls):.3f} s, median {statistics.median(walls):.3f} s; "
        f"CPU best {min(cpus):.3f} s"
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as var_dir:
        t0 = time.perf_counter()
        _setup_database(var_dir)
        persons = _create_cases(N_CASES, SEED)
        print(
            f"setup: {N_CASES:,} households, {persons:,} persons in SQLite "
            f"({time.perf_counter() - t0:.1f} s)"
        )

        from django.contrib.auth import get_user_model
        from django.test import Client
        from typer.testing import CliRunner

        from bosetting.apps.accounts.models import Profile
        from bosetting.apps.cases.selectors import case_arrays
        from bosetting.cli import app

        print(f"load 50,000 cases into engine columns: {_timed(lambda: case_arrays(None))}")

        user = get_user_model().objects.create_user("bench", password="bench-pw")
        Profile.objects.create(user=user, role="imdi_national")
        client = Client()
        client.force_login(user)

        def dashboard():
            response = client.get("/rapporter/?fra=2014-01&til=2014-12")
            assert response.status_code == 200, response.status_code

        dashboard()  # warm-up: templates, Plotly figure code
        import warnings

        warnings.filterwarnings("ignore", message="No directory at")
        print(f"national dashboard (/rapporter/): {_timed(dashboard)} (target < 1 s)")

        def map_page():
            response = client.get("/rapporter/kart/?fra=2014-01&til=2014-12")
            assert response.status_code == 200, response.status_code

        print(f"national map (/rapporter/kart/): {_timed(map_page)}")
        import gzip

        html = client.get("/rapporter/kart/?fra=2014-01&til=2014-12").content
        print(
            f"national map page weight: {len(html) / 1024:.0f} KB HTML, "
            f"{len(gzip.compress(html)) / 1024:.0f} KB gzipped (356 shapes; target < 500 KB)"
        )

        runner = CliRunner()

        def report_tables():
            result = runner.invoke(
                app, ["report", "tables", "--from", "2009", "--to", "2014", "--format", "json"]
            )
            assert result.exit_code == 0, result.output

        print(f"report tables 2009–2014: {_timed(report_tables)} (target < 5 s)")

        def monthly():
            response = client.get("/rapporter/maned/2014-11.xlsx")
            assert response.status_code == 200

        print(f"monthly report XLSX 2014-11: {_timed(monthly, repeats=2)}")


if __name__ == "__main__":
    sys.exit(main())
