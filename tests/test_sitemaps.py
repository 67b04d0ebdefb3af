"""sitemap.xml: an index of the sections the apps register, pages in every language with their
translations, the registry's public records, nothing unpublished, scheduled or hidden."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from partnerportal.content.tests.articles import article, news_indexes
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own answer, not untrusted input


NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def locations(client, address: str) -> dict[str, dict[str, str]]:
    """{location: {hreflang: href}} of a sitemap file, checked for its structure."""
    response = client.get(address)
    assert response.status_code == 200, address
    assert response["Content-Type"].startswith("application/xml")
    root = parse(response.content)
    assert root.tag == f"{{{NS['s']}}}urlset"
    found = {}
    for url in root.findall("s:url", NS):
        found[url.findtext("s:loc", namespaces=NS)] = {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
    return found


@pytest.fixture
def world(site):
    german, english = news_indexes()
    published = article(german, "Veröffentlicht")
    english_copy = published.copy_for_translation(english.locale)
    english_copy.title, english_copy.slug = "Published", "published"
    english_copy.save()
    english_copy.save_revision().publish()
    article(german, "Entwurf", publish=False)
    scheduled = article(german, "Geplant", publish=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=1)
    scheduled.save_revision().publish()
    expired = article(german, "Abgelaufen")
    expired.expire_at = timezone.now() - timedelta(minutes=1)
    expired.save(update_fields=["expire_at"])
    koeln = MunicipalityFactory(name="Köln")
    lonely = MunicipalityFactory(name="Ohnepartner")
    hidden_partner = MunicipalityFactory(name="Nurvorgeschlagen")
    abroad = ForeignMunicipalityFactory(name="Kaolack", iso2="SN")
    confirmed = PartnershipFactory(between=(koeln, abroad))
    proposed = PartnershipFactory(between=(hidden_partner, abroad), proposed=True)
    return {
        "koeln": koeln,
        "lonely": lonely,
        "hidden_partner": hidden_partner,
        "abroad": abroad,
        "confirmed": confirmed,
        "proposed": proposed,
    }


@pytest.mark.django_db
def test_index_lists_every_section(client, world):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = parse(response.content)
    listed = {item.findtext("s:loc", namespaces=NS) for item in root.findall("s:sitemap", NS)}
    for section in ("seiten", "kommunen", "partnerschaften", "orte"):
        assert f"http://testserver/sitemap-{section}.xml" in listed


@pytest.mark.django_db
def test_pages_in_every_language_with_their_translations_and_nothing_unpublished(client, world):
    pages = locations(client, "/sitemap-seiten.xml")
    assert "http://testserver/de/" in pages and "http://testserver/en/" in pages
    article_de = "http://testserver/de/aktuelles/veroeffentlicht/"
    assert pages[article_de] == {
        "de": article_de,
        "en": "http://testserver/en/news/published/",
        "x-default": article_de,
    }
    assert "http://testserver/en/news/published/" in pages
    assert not [
        address
        for address in pages
        if any(word in address for word in ("entwurf", "geplant", "abgelaufen"))
    ]


@pytest.mark.django_db
def test_registry_lists_public_records_in_both_languages(client, world):
    municipalities = locations(client, "/sitemap-kommunen.xml")
    koeln = f"http://testserver/de/register/kommunen/{world['koeln'].pk}/"
    assert koeln in municipalities
    assert (
        municipalities[koeln]["en"]
        == f"http://testserver/en/register/kommunen/{world['koeln'].pk}/"
    )
    assert f"http://testserver/en/register/kommunen/{world['abroad'].pk}/" in municipalities
    for absent in ("lonely", "hidden_partner"):
        assert not any(f"/kommunen/{world[absent].pk}/" in address for address in municipalities)
    partnerships = locations(client, "/sitemap-partnerschaften.xml")
    assert f"http://testserver/de/register/partnerschaften/{world['confirmed'].pk}/" in partnerships
    assert not any(f"/{world['proposed'].pk}/" in address for address in partnerships)
    places = locations(client, "/sitemap-orte.xml")
    assert "http://testserver/de/register/laender/SN/" in places
    assert "http://testserver/en/register/bundeslaender/bayern/" in places
    assert "http://testserver/de/register/laender/FR/" not in places


@pytest.mark.django_db
def test_sections_are_paged_and_cached_until_the_registry_changes(
    client, world, settings, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from partnerportal.registry.sitemaps import PartnershipSitemap

    languages = len(settings.LANGUAGES)
    PartnershipSitemap.limit = languages  # each partnership in every language: one per file
    try:
        with django_capture_on_commit_callbacks(execute=True):
            extra = PartnershipFactory()
        root = parse(client.get("/sitemap.xml").content)
        listed = [item.findtext("s:loc", namespaces=NS) for item in root.findall("s:sitemap", NS)]
        assert "http://testserver/sitemap-partnerschaften.xml?p=2" in listed
        assert len(locations(client, "/sitemap-partnerschaften.xml?p=2")) == languages
        assert client.get("/sitemap-partnerschaften.xml?p=3").status_code == 404
        first = client.get("/sitemap-partnerschaften.xml")
        with django_assert_max_num_queries(0):
            again = client.get("/sitemap-partnerschaften.xml", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        with django_capture_on_commit_callbacks(execute=True):
            extra.delete()
        assert (
            client.get("/sitemap-partnerschaften.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
            == 200
        )
    finally:
        PartnershipSitemap.limit = 10_000


@pytest.mark.django_db
def test_unknown_section_is_404(client, site):
    assert client.get("/sitemap-gibtesnicht.xml").status_code == 404


@pytest.mark.django_db
def test_sitemap_answers_on_a_fresh_installation(client):
    for address in ("/sitemap.xml", "/sitemap-seiten.xml", "/sitemap-kommunen.xml"):
        assert client.get(address).status_code == 200, address
    assert "http://testserver/de/" in locations(client, "/sitemap-seiten.xml")


@pytest.mark.django_db
def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
