"""The article lists (filters, pages, only what is live in the reader's language), the home
page's cards, the registry's and atlas's "News and practice examples" sections and the
practice examples as GeoJSON for the atlas (issue 11)."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone
from wagtail.models import Locale

from partnerportal.content.models import HomePage
from partnerportal.content.services import article_indexes_ensure
from partnerportal.geo.services import country_ensure
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .factories import (
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
    """The two lists a fresh installation has (content.services.article_indexes_ensure)."""
    news, _news_en, practice, _practice_en = article_indexes_ensure(
        HomePage.objects.get(locale__language_code="de")
    )
    return {"news": news, "practice": practice}


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
    assert 'Interview</span> · <time datetime="2026-03-01">1. März 2026</time>' in html
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
    assert re.search(f'type="hidden" name="municipality"[^>]* value="{koeln.pk}"', html)
    html = client.get(f"/de/aktuelles/?partnership={world['koeln_lima'].pk}").content.decode()
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
    english = news.get_translation(Locale.objects.get(language_code="en"))
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
    NewsArticleFactory(
        parent=lists["news"], title="Noch eine", lead_image=image_create("x"), lead_image_alt="x"
    )
    client.get("/de/aktuelles/")
    with django_assert_max_num_queries(few) as captured:
        client.get("/de/aktuelles/?page=2")


def test_hidden_articles_are_nowhere(client, world, lists):
    """A draft, a scheduled and an expired practice example about Köln–Lima appear neither in
    the list nor on the home page, the registry's pages or the atlas's layer."""
    koeln_lima = world["koeln_lima"]
    for trait in ("draft", "scheduled", "expired"):
        PracticeExampleFactory(
            parent=lists["practice"],
            title=f"Verborgen {trait}",
            partnerships=[koeln_lima],
            municipalities=[world["koeln"]],
            countries=[country_ensure("PE")],
            **{trait: True},
        )
    pages = [
        "/de/praxisbeispiele/",
        "/de/",
        f"/de/register/kommunen/{world['koeln'].pk}/",
        f"/de/register/partnerschaften/{koeln_lima.pk}/",
        "/de/register/laender/PE/",
        "/de/register/bundeslaender/nordrhein-westfalen/",
        "/de/atlas/praxisbeispiele.geojson",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "Verborgen" not in body, url
        assert "Solarschulen in Lima" in body, url


# --- The home page ----------------------------------------------------------------------------


def test_home_page_shows_latest_news_practice_examples_and_programmes(client, world, lists):
    for day in range(5):
        NewsArticleFactory(
            parent=lists["news"], title=f"Neu {day}", date=datetime.date(2026, 7, 1 + day)
        )
    home = world["climate"].get_parent().get_parent()
    ProgrammePageFactory(parent=home, title="Kommunale Klimapartnerschaften", slug="klima")
    ProgrammePageFactory(parent=home, title="Entwurf eines Programms", slug="entwurf", draft=True)
    html = client.get("/de/").content.decode()
    news = html.split('id="home-news"')[1].split("</section>")[0]
    assert titles(news) == ["Neu 4", "Neu 3", "Neu 2", "Neu 1"]
    assert 'href="/de/aktuelles/"' in news
    practice = html.split('id="home-practice"')[1].split("</section>")[0]
    assert titles(practice) == ["Solarschulen in Lima"]
    assert 'href="/de/praxisbeispiele/"' in practice
    assert "?layer=practice" in practice
    programmes = html.split('id="home-programmes"')[1].split("</section>")[0]
    assert "Kommunale Klimapartnerschaften" in programmes and "Wozu es das Programm" in programmes
    assert "Entwurf eines Programms" not in programmes
    # The search, the figures and the ways in stay.
    assert 'role="search"' in html and 'id="home-figures"' in html and 'id="home-ways"' in html


def test_home_page_without_content_has_no_empty_sections(client, site):
    html = client.get("/en/").content.decode()
    for section in ("home-news", "home-practice", "home-programmes"):
        assert f'id="{section}"' not in html


def test_home_page_queries_are_bounded(client, lists, django_assert_max_num_queries):
    koeln = MunicipalityFactory(name="Köln")
    home = lists["news"].get_parent()
    for day in range(8):
        NewsArticleFactory(
            parent=lists["news"],
            date=datetime.date(2026, 1, 1 + day),
            lead_image=image_create(f"Bild {day}"),
            lead_image_alt="Ein Bild",
            municipalities=[koeln],
        )
        PracticeExampleFactory(parent=lists["practice"], municipalities=[koeln])
        ProgrammePageFactory(parent=home)
    client.get("/de/")
    with django_assert_max_num_queries(22):
        html = client.get("/de/").content.decode()
    assert len(titles(html)) == 7


# --- Sections of the registry's and the atlas's pages -------------------------------------------


def test_registry_and_atlas_pages_show_and_link_their_articles(client, world):
    koeln, koeln_lima = world["koeln"], world["koeln_lima"]
    cases = {
        f"/de/register/kommunen/{koeln.pk}/": (
            ["Solarschulen in Lima", "Klimapartnerschaft Köln–Lima"],
            f"municipality={koeln.pk}",
        ),
        f"/de/register/partnerschaften/{koeln_lima.pk}/": (
            ["Solarschulen in Lima", "Klimapartnerschaft Köln–Lima"],
            f"partnership={koeln_lima.pk}",
        ),
        "/de/register/laender/PE/": (
            ["Wasser für Peru", "Solarschulen in Lima", "Klimapartnerschaft Köln–Lima"],
            "country=PE",
        ),
        "/de/register/bundeslaender/nordrhein-westfalen/": (
            ["Solarschulen in Lima", "Klimapartnerschaft Köln–Lima"],
            "state=Nordrhein-Westfalen",
        ),
    }
    for url, (expected, query) in cases.items():
        html = client.get(url).content.decode()
        section = html.split('class="pp-related-articles"')[1].split("</section>")[0]
        assert "Aktuelles und Praxisbeispiele" in section, url
        assert titles(section) == expected, url
        # One link per list that holds some, to the list filtered to this subject.
        assert f'href="/de/aktuelles/?{query}"' in section, url
        assert f'href="/de/praxisbeispiele/?{query}"' in section, url
        # The link leads to exactly these articles.
        listed = titles(client.get(f"/de/aktuelles/?{query}").content.decode())
        listed += titles(client.get(f"/de/praxisbeispiele/?{query}").content.decode())
        assert sorted(listed) == sorted(expected), url


def test_pages_without_articles_have_no_section(client, world):
    lonely = MunicipalityFactory(name="Einsamstadt")
    for url in (f"/de/register/kommunen/{lonely.pk}/", "/de/register/laender/SN/"):
        html = client.get(url).content.decode()
        assert "pp-related-articles" not in html
        assert "Aktuelles und Praxisbeispiele" not in html


def test_english_pages_show_english_articles_only(client, world, lists):
    english = lists["news"].get_translation(Locale.objects.get(language_code="en"))
    NewsArticleFactory(
        parent=english, language="en", title="Climate in Lima", countries=[country_ensure("PE")]
    )
    html = client.get("/en/register/laender/PE/").content.decode()
    section = html.split('class="pp-related-articles"')[1].split("</section>")[0]
    assert titles(section) == ["Climate in Lima"]
    assert 'href="/en/news/?country=PE"' in section


def test_partnership_themes_link_to_their_articles(client, world):
    html = client.get(f"/de/register/partnerschaften/{world['koeln_lima'].pk}/").content.decode()
    assert 'href="/de/aktuelles/?theme=sdg-13"' in html


def test_municipality_section_queries_do_not_grow_with_articles(
    client, world, lists, django_assert_max_num_queries
):
    """One card with an image costs what three cost (images and renditions in one query each)."""
    koeln = world["koeln"]
    NewsArticleFactory(
        parent=lists["news"],
        municipalities=[koeln],
        date=datetime.date(2020, 1, 1),
        lead_image=image_create("Bild"),
        lead_image_alt="Bild",
    )
    url = f"/de/register/kommunen/{koeln.pk}/"
    with django_assert_max_num_queries(60) as captured:
        client.get(url)
    few = len(captured.captured_queries)  # read now: the next request empties the log
    for day in range(6):
        NewsArticleFactory(
            parent=lists["news"],
            municipalities=[koeln],
            lead_image=image_create(f"Bild {day}"),
            lead_image_alt="Bild",
        )
    client.get(url)
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert len(titles(html.split('class="pp-related-articles"')[1])) == 3


# --- The atlas's layer --------------------------------------------------------------------------


def test_practice_examples_as_geojson_at_both_sides(client, world):
    response = client.get("/de/atlas/praxisbeispiele.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    features = data["features"]
    # The example names the Köln–Lima partnership: a point at each side, with its coordinates.
    assert sorted(f["properties"]["place"] for f in features) == [
        "Köln (Deutschland)",
        "Lima (Peru)",
    ]
    lima = next(f for f in features if f["properties"]["place"].startswith("Lima"))
    assert lima["geometry"] == {"type": "Point", "coordinates": [-77.04, -12.05]}
    assert lima["properties"]["title"] == "Solarschulen in Lima"
    assert lima["properties"]["url"] == "/de/praxisbeispiele/solarschulen-in-lima/"
    assert lima["properties"]["date"] == "15. Januar 2026"
    # News are not practice examples; an English page has no German examples.
    english = json.loads(client.get("/en/atlas/praxisbeispiele.geojson").content)
    assert english["features"] == []


def test_geojson_leaves_out_places_without_coordinates(client, lists):
    nowhere = MunicipalityFactory(name="Ohneort")
    PracticeExampleFactory(parent=lists["practice"], municipalities=[nowhere])
    data = json.loads(client.get("/de/atlas/praxisbeispiele.geojson").content)
    assert data["features"] == []


def test_geojson_queries_are_bounded(client, lists, django_assert_max_num_queries):
    for n in range(10):
        place = MunicipalityFactory(latitude=50 + n / 10, longitude=7)
        partner = ForeignMunicipalityFactory(latitude=-12, longitude=-77 + n / 10)
        PracticeExampleFactory(
            parent=lists["practice"],
            municipalities=[place],
            partnerships=[PartnershipFactory(between=(place, partner))],
        )
    with django_assert_max_num_queries(12):
        data = json.loads(client.get("/de/atlas/praxisbeispiele.geojson").content)
    assert len(data["features"]) == 20


def test_atlas_map_offers_the_layer(client, site):
    html = client.get("/de/atlas/?layer=practice").content.decode()
    assert "data-atlas-layer-switch" in html
    assert 'value="practice" id="atlas-layer-practice" checked' in html
    layers = json.loads(html.split('id="atlas-layers" type="application/json">')[1].split("<")[0])
    # Other apps add their own layers (advisory's deployments); the practice examples' is this:
    assert [layer for layer in layers if layer["key"] == "practice"] == [
        {
            "key": "practice",
            "label": "Praxisbeispiele",
            "url": "/de/atlas/praxisbeispiele.geojson",
            "empty": "Noch keine Praxisbeispiele.",
        }
    ]
    html = client.get("/de/atlas/?layer=nonsense").content.decode()
    assert 'id="atlas-layer-partnerships" checked' in html
