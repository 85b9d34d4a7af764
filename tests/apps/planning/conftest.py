import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Personas are made for every test: a fast password hasher keeps that quick (tests only)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
