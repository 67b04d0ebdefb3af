"""A database made by `partnerportal migrate` alone serves every page.

pytest-django makes the test database with `migrate`, so the tests here look at it without any
fixture that sets something up (no `site`, no `countries_sync()`): what they find is what a fresh
installation finds. Each app sets up its own part after migrate (a `post_migrate` handler): core
the table of a database cache, geo the countries, content the home and legal pages.
"""

import pycountry
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page, Site

from partnerportal.audit.services import attribute_change
from partnerportal.content.models import HomePage, LegalPages
from partnerportal.geo.models import Country, DacIncomeGroup

CACHE_TABLE = "partnerportal_cache_fresh_test"
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
    }
}


@pytest.mark.django_db
def test_migrate_alone_sets_up_the_home_page_in_both_languages(client):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    # Wagtail's placeholder ("Welcome to your new Wagtail site!") is gone.
    assert not Page.objects.filter(depth=2).not_type(HomePage).exists()
    for prefix in ("/de/", "/en/"):
        response = client.get(prefix)
        assert response.status_code == 200, prefix
        assert isinstance(response.context["page"], HomePage), prefix
    legal = LegalPages.for_site(site)
    assert legal.imprint_page and legal.privacy_page and legal.accessibility_page


@pytest.mark.django_db
def test_migrate_alone_loads_the_countries_and_lets_staff_edit_them():
    assert Country.objects.count() == len(pycountry.countries)
    assert Country.objects.get(pk="SN").dac_income_group == DacIncomeGroup.LDC
    codenames = set(
        Group.objects.get(name="agency_editor")
        .permissions.filter(content_type__app_label="geo")
        .values_list("codename", flat=True)
    )
    assert codenames == {"view_country", "change_country"}


@pytest.mark.django_db
def test_migrate_again_keeps_staff_edits_and_pages():
    peru = Country.objects.get(pk="PE")
    peru.dac_income_group = DacIncomeGroup.LMIC
    attribute_change(peru, actor=None, action="country.changed")
    peru.save()
    pages = Page.objects.count()

    call_command("migrate", verbosity=0)

    peru.refresh_from_db()
    assert peru.dac_income_group == DacIncomeGroup.LMIC
    assert Page.objects.count() == pages


@pytest.mark.django_db
def test_migrate_creates_the_table_of_a_database_cache(client, settings):
    settings.CACHES = DATABASE_CACHE
    assert CACHE_TABLE not in connection.introspection.table_names()

    call_command("migrate", verbosity=0)

    assert CACHE_TABLE in connection.introspection.table_names()
    for url in (
        "/de/",
        "/de/register/partnerschaften/",
        "/de/atlas/",
        "/de/atlas/statistik/",
        "/api/v1/status",
        "/api/v1/countries",
        "/api/v1/partnerships",
        "/api/v1/catalog.ttl",
        "/api/v1/catalog.jsonld",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_is_set_up_again(client):
    """`flush` (and every transactional test's clean-up) empties the tables, Wagtail's root page
    included, and then sends post_migrate: the site must come back as after migrate."""
    call_command("flush", interactive=False, verbosity=0)

    response = client.get("/de/")
    assert response.status_code == 200
    assert isinstance(response.context["page"], HomePage)
    assert Country.objects.count() == len(pycountry.countries)
