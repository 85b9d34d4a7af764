"""A user logs in through the browser and sees the synthetic-data banner."""

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_demo_user_logs_in_and_sees_the_demo_banner(page, demo_server):
    login(page, demo_server, "kommune.1201")
    assert page.locator("[data-testid=demo-banner]").is_visible()
    assert "Bergen" in page.content()
