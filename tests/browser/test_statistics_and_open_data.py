"""Statistics, place pages and open data in Chromium: no serious accessibility barriers in German
and English, charts drawn as SVG with their tables, and the downloads of a filtered list."""

from __future__ import annotations

import pytest

from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def network():
    """A few partnerships between Länder and partner countries on three continents."""
    places = {
        "Köln": ("Nordrhein-Westfalen", 50.94, 6.96),
        "Leipzig": ("Sachsen", 51.34, 12.37),
        "Pfinztal": ("Baden-Württemberg", 49.03, 8.5),
    }
    german = {
        name: MunicipalityFactory(name=name, state=state, latitude=lat, longitude=lng)
        for name, (state, lat, lng) in places.items()
    }
    partners = [
        ("Köln", "Yarinacocha", "PE", -8.35, -74.57, "klimapartnerschaft", 2019),
        ("Köln", "Lille", "FR", 50.63, 3.06, "partnerschaft", 1958),
        ("Leipzig", "Kyjiw", "UA", 50.45, 30.52, "partnerschaft", 1961),
        ("Pfinztal", "Kidira", "SN", 14.46, -12.22, "projektpartnerschaft", 1990),
    ]
    for home, name, iso2, lat, lng, kind, year in partners:
        partner = ForeignMunicipalityFactory(name=name, iso2=iso2, latitude=lat, longitude=lng)
        PartnershipFactory(between=(german[home], partner), type=kind, start_year=year)
    # Inner-German: on Köln's page as a group of its own, in no partner-country figure.
    PartnershipFactory(between=(german["Köln"], german["Leipzig"]), start_year=None)
    return german


@pytest.mark.parametrize("language", ["de", "en"])
def test_statistics_page(page, network, axe, screenshot, language):
    page.goto(f"/{language}/atlas/statistik/")
    charts = page.locator("figure svg[role=img]")
    assert charts.count() >= 8
    assert page.locator("figure table, table").count() >= charts.count()
    screenshot(page, f"statistics-{language}")
    assert axe(page) == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_atlas_page(page, network, axe, language):
    page.goto(f"/{language}/atlas/")
    page.locator(".pp-cluster, .pp-place").first.wait_for(state="visible")
    assert axe(page) == []


def test_place_pages(page, network, axe, screenshot):
    koeln = network["Köln"]
    for path, name in (
        (f"/de/register/kommunen/{koeln.pk}/", "municipality"),
        ("/de/register/bundeslaender/nordrhein-westfalen/", "state"),
        ("/en/register/laender/PE/", "country"),
    ):
        page.goto(path)
        page.locator(".leaflet-container").first.wait_for(state="visible")
        assert page.locator("svg[role=img]").count() >= 1, path
        if name == "municipality":
            assert page.locator("#inner-german-heading").count() == 1
            assert (
                "Leipzig"
                in page.locator("section[aria-labelledby=inner-german-heading]").text_content()
            )
        screenshot(page, f"place-{name}")
        assert axe(page) == [], path


def test_the_list_offers_its_rows_as_files(page, network, axe):
    page.goto("/de/register/partnerschaften/?country=PE")
    links = {
        fmt: page.locator(f"a[href*='partnerschaften.{fmt}']").first for fmt in ("csv", "xlsx")
    }
    assert all(link.get_attribute("href").endswith("country=PE") for link in links.values())
    with page.expect_download() as download:
        links["csv"].click()
    text = download.value.path().read_text(encoding="utf-8")
    assert "Yarinacocha" in text and "Kidira" not in text
    assert axe(page) == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_api_page(page, axe, browser_site, language):
    page.goto(f"/{language}/api/")
    assert page.locator("pre code").count() >= 2
    assert axe(page) == []
