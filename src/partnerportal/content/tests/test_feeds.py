"""RSS and Atom feeds: structure, language, scopes, what never appears, caching."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.utils import timezone

from partnerportal.content.tests.articles import article, news_indexes
from partnerportal.geo.models import Country
from partnerportal.registry.models import Theme


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - our own answer, not untrusted input


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def news(site):
    german, english = news_indexes()
    water = Theme.objects.get(code="sdg-6")
    first = article(german, "Wasser für Kaolack", date=date(2026, 10, 1), place="Bonn")
    first.themes.add(water)
    first.countries.add(Country.objects.get(pk="SN"))
    first.tags.add("Senegal")
    first.save_revision().publish()
    article(german, "Zweite Meldung", date=date(2026, 11, 1))
    article(english, "English news", date=date(2026, 11, 3))
    return german, english


def rss_items(response) -> list[ET.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required) is not None and channel.find(required).text
    items = channel.findall("item")
    for item in items:
        for required in ("title", "link", "description", "pubDate", "guid"):
            assert item.find(required) is not None, required
    return items


@pytest.mark.django_db
def test_rss_lists_the_articles_of_the_language_newest_first(client, news):
    items = rss_items(client.get("/de/aktuelles/feed/rss/"))
    assert [item.findtext("title") for item in items] == ["Zweite Meldung", "Wasser für Kaolack"]
    water = items[1]
    assert water.findtext("link") == "http://testserver/de/aktuelles/wasser-fuer-kaolack/"
    assert water.findtext("description") == "Teaser of Wasser für Kaolack"
    assert water.findtext("pubDate").startswith("Thu, 01 Oct 2026")
    categories = [c.text for c in water.findall("category")]
    assert "Meldung" in categories  # its kind
    assert "Senegal" in categories
    assert any("Wasser" in c for c in categories)  # the theme, by its German name
    english = rss_items(client.get("/en/aktuelles/feed/rss/"))
    assert [item.findtext("title") for item in english] == ["English news"]
    assert english[0].findtext("link") == "http://testserver/en/news/english-news/"


@pytest.mark.django_db
def test_atom_has_the_same_items_with_ids_and_dates(client, news):
    response = client.get("/de/aktuelles/feed/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("title", "id", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Zweite Meldung",
        "Wasser für Kaolack",
    ]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id").startswith("tag:testserver,2026:article:")
        assert entry.find(f"{ATOM}updated") is not None
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/de/")


@pytest.mark.django_db
def test_theme_and_country_feeds_hold_only_their_articles(client, news):
    by_theme = rss_items(client.get("/de/aktuelles/thema/sdg-6/feed/rss/"))
    assert [item.findtext("title") for item in by_theme] == ["Wasser für Kaolack"]
    for address in ("/de/aktuelles/land/SN/feed/atom/", "/de/aktuelles/land/sn/feed/atom/"):
        root = parse(client.get(address).content)
        assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == [
            "Wasser für Kaolack"
        ]
    assert rss_items(client.get("/de/aktuelles/land/FR/feed/rss/")) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/de/aktuelles/thema/gibt-es-nicht/feed/rss/",
        "/de/aktuelles/land/XX/feed/rss/",
        "/en/aktuelles/land/not-a-country/feed/atom/",
    ],
)
def test_unknown_theme_or_country_is_404(client, news, address):
    response = client.get(address)
    assert response.status_code == 404
    assert "ETag" not in response


@pytest.mark.django_db
def test_unpublished_scheduled_expired_and_private_articles_never_appear(client, news):
    from wagtail.models import PageViewRestriction

    german, _english = news
    now = timezone.now()
    article(german, "Entwurf", publish=False)
    scheduled = article(german, "Geplant", publish=False)
    scheduled.go_live_at = now + timedelta(days=1)
    scheduled.save_revision().publish()  # with go_live_at ahead, Wagtail only schedules it
    forced = article(german, "Zu frueh live")
    forced.go_live_at = now + timedelta(days=1)
    forced.save(update_fields=["go_live_at"])  # live, but its time has not come
    expired = article(german, "Abgelaufen")
    expired.expire_at = now - timedelta(minutes=1)
    expired.save(update_fields=["expire_at"])  # publish_scheduled has not run yet
    withdrawn = article(german, "Zurueckgezogen")
    withdrawn.unpublish()
    private = article(german, "Nur mit Passwort")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    titles = {item.findtext("title") for item in rss_items(client.get("/de/aktuelles/feed/rss/"))}
    assert titles == {"Zweite Meldung", "Wasser für Kaolack"}


@pytest.mark.django_db
def test_feed_answers_304_until_a_page_is_published(
    client, news, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    german, _english = news
    first = client.get("/de/aktuelles/feed/rss/")
    etag = first["ETag"]
    assert "max-age=300" in first["Cache-Control"] and "public" in first["Cache-Control"]
    with django_assert_max_num_queries(0):
        again = client.get("/de/aktuelles/feed/rss/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get("/en/aktuelles/feed/rss/")["ETag"] != etag
    with django_capture_on_commit_callbacks(execute=True):
        article(german, "Ganz neu", date=date(2026, 11, 30))
    fresh = client.get("/de/aktuelles/feed/rss/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert rss_items(fresh)[0].findtext("title") == "Ganz neu"


@pytest.mark.django_db
def test_feed_queries_are_bounded(client, news, django_assert_max_num_queries):
    german, _english = news
    for number in range(10):
        page = article(german, f"Meldung {number}")
        page.tags.add(f"tag-{number}")
        page.themes.add(Theme.objects.get(code="sdg-6"))
        page.save_revision().publish()
    client.get("/en/")  # warm the site and content type caches
    # 11, whatever the number of articles: the view restrictions are read twice (the feed's
    # visibility and the news list's address).
    with django_assert_max_num_queries(11):
        response = client.get("/de/aktuelles/thema/sdg-6/feed/atom/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_feeds_answer_on_an_empty_site(client, site):
    assert rss_items(client.get("/de/aktuelles/feed/rss/")) == []
    assert client.get("/en/aktuelles/feed/atom/").status_code == 200


@pytest.mark.django_db
def test_feeds_do_not_accept_writes(client, news):
    assert client.post("/de/aktuelles/feed/rss/").status_code == 405
