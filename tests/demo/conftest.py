"""The whole synthetic demo world (seed 2014, as ``bosetting demo`` builds it), for the tests in this
package and only for them.

The world is built once for the package inside a transaction that is rolled back after the package's
last test, so no other test ever sees it, whatever the order. Each test here runs in a savepoint inside
that transaction (pytest-django's ``db``), so what a test writes is gone before the next one. Under
xdist this package is one group (``XDIST_GROUPS`` in ``tests/conftest.py``) and so runs on one worker,
which builds the world once.

A test that needs the demo world belongs in this package; elsewhere ``demo_world_db`` does not exist.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="package")
def demo_world_db(reference_db, django_db_blocker):
    """The demo world and its demo users; read-only for the tests (their writes are rolled back)."""
    from django.db import transaction

    from bosetting.demo.users import create_demo_users
    from bosetting.demo.world import build_demo_world

    with django_db_blocker.unblock():
        world = transaction.atomic()
        world.__enter__()
        try:
            summary = build_demo_world(2014)
            create_demo_users()
        except BaseException:
            transaction.set_rollback(True)
            world.__exit__(None, None, None)
            raise
    try:
        yield summary
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            world.__exit__(None, None, None)
