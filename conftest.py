"""Shared fixtures: the site structure every page needs, and one logged-in client per role."""

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(db):
    from partnerportal.content.services import site_structure_ensure

    return site_structure_ensure()
