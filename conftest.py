"""Shared fixtures: the site structure every page needs, and one logged-in client per role."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request to an /en/ page activates English in
    the test's thread, and reverse() in the next test would otherwise build English URLs."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def site(db):
    from partnerportal.content.services import site_structure_ensure

    return site_structure_ensure()


@pytest.fixture
def client():
    """Django's test client, except that force_login also records the second factor for a
    person who has one (a complete login); the doors' own tests use the plain client."""
    from partnerportal.accounts.tests.clients import Client

    return Client()
