"""Shared fixtures: the reference data loaded once per session and the named personas; what every test
starts from (fast password hasher, bokmål, factory sequences at 1); and the xdist groups.

The whole demo world is in ``tests/demo/conftest.py``, the browser tests' server in
``tests/e2e/conftest.py``, synthetic objects in ``tests/factories.py``, the frozen date in
``tests/clock.py``.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.clock import BUSINESS_DAY

# The property tests judge the code, not the machine: on a loaded CI runner (or beside other test
# processes) drawing an input can take over a second, which Hypothesis would report as a failure.
# No deadline for the same reason; the examples and their number stay Hypothesis' defaults.
hypothesis_settings.register_profile(
    "bosetting", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
hypothesis_settings.load_profile("bosetting")


@pytest.fixture(autouse=True)
def business_day(settings):
    """Pin the business clock (``bosetting.clock.today``) to the tests' business day, so that the 2014
    municipal structure of the hand-made cases is the structure of "today". (The wall clock is frozen
    only where a test asks for it: ``tests.clock.on_business_day``.)"""
    settings.BOSETTING_TODAY = BUSINESS_DAY
    return BUSINESS_DAY


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """Personas (and the demo users) get a password in most tests; Django's default hasher spends about
    half a second on each. The fast one keeps the suite quick (tests only, never in settings)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _factory_sequences():
    """Every test's references and unit codes start at 1, whatever ran before it in this process."""
    from tests.factories import reset_sequences

    reset_sequences()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (bokmål). A request with the English cookie
    activates English for the thread, and it would otherwise stay active for whatever runs next in it
    (a service's error message, a command's output)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def reference_db(django_db_setup, django_db_blocker):
    """The real reference data, loaded once for the whole session (tests must not change it)."""
    from bosetting.bootstrap import load_reference

    with django_db_blocker.unblock():
        load_reference()
    yield


@pytest.fixture(scope="module")
def reference_restored(reference_db, django_db_blocker):
    """For modules of real transactions (``django_db(transaction=True, available_apps=…)``): emptying
    the users' table after each test also empties, by cascade, the reference rows that point at a
    user (the coordination assessments of Table 5.2, the good-practice library). Load them again
    after the module, so the tests that follow on this worker find the session's reference data."""
    yield
    from bosetting.bootstrap import load_reference

    with django_db_blocker.unblock():
        load_reference()


def _persona(
    username: str,
    role: str,
    office: str | None = None,
    municipality: str | None = None,
    county: str | None = None,
):
    from django.contrib.auth import get_user_model

    from bosetting.apps.accounts.models import Profile
    from bosetting.apps.geo.models import County, Municipality, RegionalOffice

    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    Profile.objects.create(
        user=user,
        role=role,
        office=RegionalOffice.objects.get(code=office) if office else None,
        municipality=Municipality.objects.get(structure_year=2014, number=municipality)
        if municipality
        else None,
        county=County.objects.get(structure_year=2014, number=county) if county else None,
    )
    return user


@pytest.fixture
def imdi_officer(reference_db, db):
    return _persona("imdi_officer", "imdi_national")


@pytest.fixture
def imdi_regional_officer(reference_db, db):
    return _persona("imdi_regional_officer", "imdi_regional", office="imdi-vest")


@pytest.fixture
def municipal_officer(reference_db, db):
    return _persona("municipal_officer", "municipal", municipality="1201")


@pytest.fixture
def other_municipal_officer(reference_db, db):
    return _persona("other_municipal_officer", "municipal", municipality="0301")


@pytest.fixture
def husbanken_advisor(reference_db, db):
    return _persona("husbanken_advisor", "husbanken", office="hb-vest")


@pytest.fixture
def county_governor(reference_db, db):
    return _persona("county_governor", "county_governor", county="12")


@pytest.fixture
def county_governor_outside_pilot(reference_db, db):
    """A county governor whose county (Rogaland, 11) runs no pilot: aggregates of its county only.
    (``county_governor`` is Hordaland's, which holds IMDi's settlement role from 2015: see
    ``bosetting.engine.rules.pilots``.)"""
    return _persona("county_governor_outside_pilot", "county_governor", county="11")


@pytest.fixture
def analyst(reference_db, db):
    return _persona("analyst", "analyst")


@pytest.fixture
def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


# Tests that share an expensive resource, by path prefix. Under xdist each group runs on one worker, so
# the resource is made once: the browser tests' demo server, the demo world (see tests/demo), and the
# simulation sweeps that two modules compute once for all their tests (module-scoped fixtures), and the
# modules that open fifty database connections at once.
XDIST_GROUPS = {
    "tests/e2e/": "e2e",
    "tests/demo/": "demo_world",
    "tests/engine/simulation/test_simulation_calibration.py": "simulation_calibration",
    "tests/engine/simulation/test_simulation_results.py": "simulation_results",
    # Fifty threads with a connection each: one module at a time, so two workers never hold a hundred
    # connections together (PostgreSQL's default max_connections is 100).
    "tests/apps/lifecycle/test_concurrency.py": "concurrency",
    "tests/api/test_concurrent_answers.py": "concurrency",
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` with the groups above. (xdist's own ``xdist_group`` marker works by editing
    node ids, which pytest 9 no longer allows, so the groups are given here.) The largest groups are
    handed out first; every other test goes to whichever worker is free."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class DirectoryGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            for prefix, group in XDIST_GROUPS.items():
                if nodeid.startswith(prefix):
                    return group
            return super()._split_scope(nodeid)

    return DirectoryGroupScheduling(config, log)
