"""Site-wide pages while the demo world is loaded."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_banner_shows_while_the_demo_world_is_loaded(client, demo_world_db):
    body = client.get("/logg-inn/").content.decode()
    assert 'data-testid="demo-banner"' in body and "syntetiske" in body
