import pytest


@pytest.mark.django_db
def test_home_page_answers_in_german_and_english(client, site):
    response = client.get("/de/")
    assert response.status_code == 200
    assert '<html lang="de"' in response.content.decode()
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_footer_links_the_legal_pages_in_the_active_language(client, site):
    html = client.get("/en/").content.decode()
    assert "/en/impressum/" in html
    assert "/en/datenschutz/" in html
    assert "/en/barrierefreiheit/" in html


@pytest.mark.django_db
def test_footer_links_are_cached_until_pages_or_the_setting_change(
    client, site, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from partnerportal.content.models import LegalPages

    client.get("/de/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/de/")
    assert not any("contentlegalpages" in q["sql"].lower() for q in warm.captured_queries)

    # Unpublishing the imprint takes its link out of every footer at once.
    imprint = Page.objects.get(url_path__endswith="/impressum/", locale__language_code="de")
    # The layout's version moves when the change commits (core/versions.py).
    with django_capture_on_commit_callbacks(execute=True):
        imprint.unpublish()
    assert "/de/impressum/" not in client.get("/de/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        imprint.specific.save_revision().publish()
    assert "/de/impressum/" in client.get("/de/").content.decode()

    # Pointing the footer elsewhere in the back office is seen on the next page.
    legal = LegalPages.objects.get()
    legal.imprint_page = Page.objects.get(
        url_path__endswith="/datenschutz/", locale__language_code="de"
    )
    with django_capture_on_commit_callbacks(execute=True):
        legal.save()
    html = client.get("/de/").content.decode()
    assert html.count("/de/datenschutz/") >= 2


# --- The home page (issue 10) ------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_title_is_not_the_site_name_twice(client, site):
    html = client.get("/de/").content.decode()
    assert "<title>Partnerportal – Kommunale Entwicklungspartnerschaften</title>" in html
    assert "Partnerportal – Partnerportal" not in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_home_page_offers_search_and_ways_in_and_promises_nothing_missing(client, site):
    from django.urls import reverse
    from django.utils import translation

    html = client.get("/en/").content.decode()
    with translation.override("en"):
        search = reverse("content:search")
        ways = [
            reverse("registry:partnership_list"),
            reverse("atlas:map"),
            reverse("atlas:statistics"),
            reverse("api_pages:overview"),
        ]
    assert f'action="{search}"' in html and 'name="q"' in html
    for url in ways:
        assert f'href="{url}"' in html
    for promise in ("funding", "register for events", "Förderung", "Veranstaltungen"):
        assert promise not in html


@pytest.mark.django_db
def test_home_page_figures_are_the_statistics_pages(client, site):
    """The home page shows the head of the unfiltered statistics page, formatted one way."""
    from partnerportal.atlas.selectors.statistics import network_statistics
    from partnerportal.registry.selectors.public import PartnershipFilters
    from partnerportal.registry.tests.factories import (
        ForeignMunicipalityFactory,
        MunicipalityFactory,
        PartnershipFactory,
    )

    koeln = MunicipalityFactory(name="Köln")
    for n in range(3):
        PartnershipFactory(between=(koeln, ForeignMunicipalityFactory(iso2=["PE", "UA", "FR"][n])))
    PartnershipFactory(between=(MunicipalityFactory(), ForeignMunicipalityFactory(iso2="PE")))
    head = network_statistics(PartnershipFilters()).summary
    html = client.get("/de/").content.decode()
    figures = html.split('class="pp-figures"')[1].split("</dl>")[0]
    assert f"<dd>{head.partnerships}</dd>" in figures and head.partnerships == 4
    assert f"<dd>{head.german_municipalities}</dd>" in figures
    assert f"<dd>{head.partner_countries}</dd>" in figures and head.partner_countries == 3


@pytest.mark.django_db
def test_former_home_introduction_is_replaced_but_an_edited_one_kept(site):
    from partnerportal.content.models import HomePage
    from partnerportal.content.services import FORMER_HOME_INTROS, site_structure_ensure

    home = HomePage.objects.get(locale__language_code="de")
    home.intro = next(text for text in FORMER_HOME_INTROS if text.startswith("Register"))
    home.save_revision().publish()
    english = HomePage.objects.get(locale__language_code="en")
    english.intro = "Our own words."
    english.save_revision().publish()
    site_structure_ensure()
    home.refresh_from_db()
    english.refresh_from_db()
    assert "Förderung" not in home.intro and home.intro.startswith("Register und Atlas")
    assert english.intro == "Our own words."
