"""The article lists (filters, pages, only what is live in the reader's language), the home
page's cards, the registry's and atlas's "News and practice examples" sections and the
practice examples as GeoJSON for the atlas (issue 11)."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone

from partnerportal.geo.services import country_ensure
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .factories import (
    ArticleIndexFactory,
    InterviewFactory,
    NewsArticleFactory,
    PracticeExampleFactory,
    ProgrammePageFactory,
    image_create,
)

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    """The titles of the cards on a page, in their order."""
    return re.findall(r'class="kern-link pp-card__link" href="[^"]*">([^<]+)</a>', html)


@pytest.fixture
def lists(site):
    return {
        "news": ArticleIndexFactory(title="Aktuelles", slug="aktuelles"),
        "practice": ArticleIndexFactory(title="Praxisbeispiele", slug="praxisbeispiele"),
    }


@pytest.fixture
def world(lists):
    """Köln (NRW) with Lima (Peru, Latin America) and Kyiv (Ukraine, Eastern Europe); articles
    of each kind about them."""
    koeln = MunicipalityFactory(
        name="Köln", state="Nordrhein-Westfalen", latitude=50.94, longitude=6.96
    )
    lima = ForeignMunicipalityFactory(name="Lima", iso2="PE", latitude=-12.05, longitude=-77.04)
    kyiv = ForeignMunicipalityFactory(name="Kyjiw", iso2="UA", latitude=50.45, longitude=30.52)
    koeln_lima = PartnershipFactory(between=(koeln, lima), themes=["sdg-13"])
    news = lists["news"]
    practice = lists["practice"]
    return {
        "koeln": koeln,
        "lima": lima,
        "kyiv": kyiv,
        "koeln_lima": koeln_lima,
        "climate": NewsArticleFactory(
            parent=news,
            title="Klimapartnerschaft Köln–Lima",
            date=datetime.date(2025, 5, 1),
            partnerships=[koeln_lima],
            themes=["sdg-13"],
        ),
        "interview": InterviewFactory(
            parent=news,
            title="Gespräch aus Kyjiw",
            date=datetime.date(2026, 3, 1),
            municipalities=[kyiv],
        ),
        "water": NewsArticleFactory(
            parent=news,
            title="Wasser für Peru",
            date=datetime.date(2026, 2, 1),
            countries=[country_ensure("PE")],
            themes=["sdg-6"],
        ),
        "example": PracticeExampleFactory(
            parent=practice,
            title="Solarschulen in Lima",
            date=datetime.date(2026, 1, 15),
            partnerships=[koeln_lima],
            themes=["sdg-13"],
        ),
    }


# --- The list ----------------------------------------------------------------------------------


def test_list_shows_its_own_articles_newest_first_as_cards(client, world):
    html = client.get("/de/aktuelles/").content.decode()
    assert titles(html) == ["Gespräch aus Kyjiw", "Wasser für Peru", "Klimapartnerschaft Köln–Lima"]
    assert "3 Beiträge" in html
    # The card: kind, date in the reader's language (core/dates), teaser.
    assert "Interview</span> · <time datetime=\"2026-03-01\">1. März 2026</time>" in html
    assert "Worum es in „Wasser für Peru“ geht." in html
    html = client.get("/de/praxisbeispiele/").content.decode()
    assert titles(html) == ["Solarschulen in Lima"]
    # A list of one kind has no type filter.
    assert 'name="kind"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2026", ["Gespräch aus Kyjiw", "Wasser für Peru"]),
        ("year=2025", ["Klimapartnerschaft Köln–Lima"]),
        ("kind=interview", ["Gespräch aus Kyjiw"]),
        ("kind=news", ["Wasser für Peru", "Klimapartnerschaft Köln–Lima"]),
        ("theme=sdg-13", ["Klimapartnerschaft Köln–Lima"]),
        ("theme=sdg-6", ["Wasser für Peru"]),
        # A country: named itself, or through a municipality or a partnership in it.
        ("country=PE", ["Wasser für Peru", "Klimapartnerschaft Köln–Lima"]),
        ("country=UA", ["Gespräch aus Kyjiw"]),
        ("region=lateinamerika", ["Wasser für Peru", "Klimapartnerschaft Köln–Lima"]),
        ("region=osteuropa", ["Gespräch aus Kyjiw"]),
        ("region=afrika", []),
        # Combined filters narrow each other.
        ("year=2026&country=PE", ["Wasser für Peru"]),
        ("country=PE&theme=sdg-13&kind=news", ["Klimapartnerschaft Köln–Lima"]),
        ("year=2025&region=osteuropa", []),
    ],
)
def test_each_filter_and_their_combination(client, world, query, expected):
    response = client.get(f"/de/aktuelles/?{query}")
    assert response.status_code == 200
    assert titles(response.content.decode()) == expected


@pytest.mark.parametrize(
    "query",
    [
        "year=1850",
        "year=abc",
        "kind=podcast",
        "theme=nonsense",
        "region=mars",
        "country=XX",
        "municipality=abc",
        "municipality=99999999999999",
        "partnership=-3",
        "state=Atlantis",
        "page=999",
        "page=abc",
        "year=2026&year=2025",
        "theme=%00",
    ],
)
def test_wrong_values_are_ignored(client, world, query):
    response = client.get(f"/de/aktuelles/?{query}")
    assert response.status_code == 200
    shown = titles(response.content.decode())
    if query.startswith("year=2026"):
        assert shown  # the valid value of a repeated one applies
    else:
        assert len(shown) == 3


def test_filtered_list_says_nothing_matches(client, world):
    html = client.get("/de/aktuelles/?region=afrika").content.decode()
    assert "Kein Beitrag passt zu diesen Filtern." in html
    assert "0 Beiträge" in html


def test_about_filters_from_registry_pages(client, world):
    koeln = world["koeln"]
    html = client.get(f"/de/aktuelles/?municipality={koeln.pk}").content.decode()
    # Köln is in the climate article through its partnership with Lima.
    assert titles(html) == ["Klimapartnerschaft Köln–Lima"]
    assert "Nur Beiträge über Köln." in html
    # The other filters keep the subject (a hidden field).
    assert f'type="hidden" name="municipality" value="{koeln.pk}"' in html
    html = client.get(
        f"/de/aktuelles/?partnership={world['koeln_lima'].pk}"
    ).content.decode()
    assert titles(html) == ["Klimapartnerschaft Köln–Lima"]
    html = client.get("/de/aktuelles/?state=Nordrhein-Westfalen").content.decode()
    assert titles(html) == ["Klimapartnerschaft Köln–Lima"]


def test_pages_of_twelve_keep_the_filters(client, lists):
    for day in range(14):
        NewsArticleFactory(
            parent=lists["news"], title=f"Meldung {day:02d}", date=datetime.date(2026, 1, 1 + day)
        )
    html = client.get("/de/aktuelles/?year=2026").content.decode()
    assert len(titles(html)) == 12 and titles(html)[0] == "Meldung 13"
    assert 'href="?year=2026&amp;page=2"' in html
    html = client.get("/de/aktuelles/?year=2026&page=2").content.decode()
    assert titles(html) == ["Meldung 01", "Meldung 00"]
    assert 'aria-current="page"' in html


def test_only_live_public_articles_in_the_current_language(client, lists):
    news = lists["news"]
    NewsArticleFactory(parent=news, title="Veröffentlicht")
    NewsArticleFactory(parent=news, title="Entwurf", draft=True)
    NewsArticleFactory(parent=news, title="Morgen", scheduled=True)
    NewsArticleFactory(parent=news, title="Abgelaufen", expired=True)
    NewsArticleFactory(parent=news, title="Früher fällig", go_live_at=timezone.now())
    english = ArticleIndexFactory(language="en", title="News", slug="news")
    NewsArticleFactory(parent=english, language="en", title="English only")

    html = client.get("/de/aktuelles/").content.decode()
    assert sorted(titles(html)) == ["Früher fällig", "Veröffentlicht"]
    html = client.get("/en/news/").content.decode()
    assert titles(html) == ["English only"]
    assert '<html lang="en"' in html


def test_list_shows_the_thumbnail_with_its_alt_text(client, lists):
    NewsArticleFactory(
        parent=lists["news"],
        title="Mit Bild",
        lead_image=image_create("Rathaus"),
        lead_image_alt="Das Rathaus von Pfinztal im Schnee",
    )
    html = client.get("/de/aktuelles/").content.decode()
    assert re.search(
        r'<img class="pp-card__image" src="[^"]+" width="480" height="270" '
        r'alt="Das Rathaus von Pfinztal im Schnee"',
        html,
    )


def test_list_queries_are_bounded(client, lists, django_assert_max_num_queries):
    """Twelve cards with images and relations cost what one card costs."""
    koeln = MunicipalityFactory(name="Köln")
    image = image_create("Bild")
    for day in range(14):
        NewsArticleFactory(
            parent=lists["news"],
            date=datetime.date(2026, 1, 1 + day),
            lead_image=image if day % 2 else image_create(f"Bild {day}"),
            lead_image_alt="Ein Bild",
            municipalities=[koeln],
            themes=["sdg-13", "sdg-6"],
        )
    client.get("/de/aktuelles/?theme=sdg-13&country=DE")  # renditions are made once
    with django_assert_max_num_queries(18) as captured:
        response = client.get("/de/aktuelles/?theme=sdg-13&country=DE")
    assert len(titles(response.content.decode())) == 12
    few = len(captured.captured_queries)
    NewsArticleFactory(parent=lists["news"], title="Noch eine", lead_image=image_create("x"), lead_image_alt="x")
    client.get("/de/aktuelles/")
    with django_assert_max_num_queries(few) as captured:
        client.get("/de/aktuelles/?page=2")
