"""Page metadata in the head: canonical, hreflang, Open Graph, Twitter card, JSON-LD (escaped),
feed links; and readable page addresses."""

from __future__ import annotations

import gc
import json
import re
import warnings
from datetime import date
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

from partnerportal.content.feeds import IMAGE_RENDITION
from partnerportal.content.tests.articles import article, news_indexes
from partnerportal.geo.models import Country
from partnerportal.registry.models import Theme


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def json_ld(html: str) -> list:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@pytest.fixture
def image(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    PILImage.new("RGB", (1600, 900), "#3366aa").save(buffer, "JPEG")
    image = get_image_model().objects.create(
        title="Kaolack", file=ImageFile(BytesIO(buffer.getvalue()), name="kaolack.jpg")
    )
    # Wagtail leaves a temporary file of the resizing to the garbage collector (a
    # ResourceWarning, which the suite turns into an error): make the rendition here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        image.get_rendition(IMAGE_RENDITION)
        # ... and those of the article page and the cards (content/templates/content).
        image.get_renditions("width-400", "width-800", "width-1200", "fill-480x270")
        gc.collect()
    return image


@pytest.fixture
def news(site, image):
    german, english = news_indexes()
    page = article(
        german,
        "Wasser für Kaolack </script><script>alert(1)</script>",
        date=date(2026, 10, 1),
        place="Kaolack",
        teaser='Ein "sauberer" Brunnen & mehr <b>für</b> alle.',
        lead_image=image,
        lead_image_alt="Ein Brunnen in Kaolack",
    )
    page.themes.add(Theme.objects.get(code="sdg-6"))
    page.countries.add(Country.objects.get(pk="SN"))
    page.tags.add("Senegal")
    page.save_revision().publish()
    translation = page.copy_for_translation(english.locale)
    translation.title, translation.slug = "Water for Kaolack", "water-for-kaolack"
    translation.save()
    translation.save_revision().publish()
    return page


@pytest.mark.django_db
def test_article_has_open_graph_twitter_canonical_and_hreflang(client, news, settings):
    html = client.get(news.url).content.decode()
    origin = settings.SITE_URL.rstrip("/")
    canonical = f"{origin}/de/aktuelles/{news.slug}/"
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<link rel="alternate" hreflang="de" href="{canonical}">' in html
    english = f"{origin}/en/news/water-for-kaolack/"
    assert f'<link rel="alternate" hreflang="en" href="{english}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{canonical}">' in html
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:url") == [canonical]
    assert meta(html, "og:locale") == ["de_DE"]
    assert meta(html, "og:locale:alternate") == ["en_GB"]
    assert meta(html, "og:description") == ["Ein &quot;sauberer&quot; Brunnen &amp; mehr für alle."]
    image = meta(html, "og:image")[0]
    assert image.startswith(f"{origin}/") and image.endswith(".jpg")
    assert meta(html, "og:image:width") == ["1200"] and meta(html, "og:image:height") == ["630"]
    assert meta(html, "og:image:alt") == ["Ein Brunnen in Kaolack"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "article:tag") == ["Senegal"]
    assert meta(html, "article:published_time")[0].startswith("2026-10-01")


@pytest.mark.django_db
def test_json_ld_of_an_article_is_escaped_and_complete(client, news):
    html = client.get(news.url).content.decode()
    # The title's </script> stays inside the data block: exactly one block ends there.
    assert "</script><script>alert(1)" not in html
    assert html.count('<script type="application/ld+json">') == 1
    data, crumbs = json_ld(html)[0]
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Wasser für Kaolack </script>")
    assert data["datePublished"].startswith("2026-10-01")
    assert data["inLanguage"] == "de"
    assert data["publisher"]["@type"] == "GovernmentOrganization"
    assert data["image"][0].endswith(".jpg")
    assert {"@type": "Country", "name": "Senegal"} in data["about"]
    assert data["contentLocation"] == {"@type": "Place", "name": "Kaolack"}
    assert crumbs["@type"] == "BreadcrumbList"
    assert [item["name"] for item in crumbs["itemListElement"]][1] == "Aktuelles"


@pytest.mark.django_db
def test_home_page_describes_the_organisation_the_site_its_search_and_feeds(client, site):
    html = client.get("/en/").content.decode()
    graph = json_ld(html)[0]["@graph"]
    organisation, website = graph
    assert organisation["@type"] == "GovernmentOrganization"
    assert website["@type"] == "WebSite"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"].endswith("/en/suche/?q={search_term_string}")
    assert meta(html, "og:type") == ["website"]
    assert meta(html, "twitter:card") == ["summary"]
    assert (
        '<link rel="alternate" type="application/rss+xml" title="News (RSS)" '
        'href="/en/aktuelles/feed/rss/">' in html
    )
    assert 'type="application/atom+xml"' in html


@pytest.mark.django_db
def test_news_list_links_its_feeds_in_head_and_visibly(client, site):
    german, _english = news_indexes()
    html = client.get(german.url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert '<a class="kern-link" href="/de/aktuelles/feed/rss/" type="application/rss+xml">' in html
    assert 'href="/de/aktuelles/feed/atom/"' in html


@pytest.mark.django_db
def test_pages_that_are_not_wagtail_pages_get_no_page_metadata(client, site):
    html = client.get("/de/register/partnerschaften/").content.decode()
    assert 'rel="canonical"' not in html and "og:type" not in html


@pytest.mark.django_db
def test_home_page_metadata_costs_no_query_beyond_the_language_links(
    client, site, django_assert_max_num_queries
):
    from partnerportal.core.tests.test_query_budget import HOME_ANONYMOUS

    client.get("/de/")
    with django_assert_max_num_queries(HOME_ANONYMOUS):
        assert client.get("/de/").status_code == 200


# --- Readable addresses ------------------------------------------------------------------------


@pytest.mark.django_db
def test_slugs_from_titles_write_umlauts_as_germans_do(site):
    from partnerportal.content.models import HomePage, ProgrammePage

    german, _english = news_indexes()
    page = article(german, "Größere Brücken über Flüsse – Straßen in Köln")
    assert page.slug == "groessere-bruecken-ueber-fluesse-strassen-in-koeln"
    assert page.url == "/de/aktuelles/groessere-bruecken-ueber-fluesse-strassen-in-koeln/"
    again = article(german, "Größere Brücken über Flüsse – Straßen in Köln")
    assert again.slug == "groessere-bruecken-ueber-fluesse-strassen-in-koeln-2"
    home = HomePage.objects.get(locale__language_code="de")
    programme = ProgrammePage(title="Kommunale Klimapartnerschaften Süd")
    home.add_child(instance=programme)
    assert programme.url_path.endswith("/kommunale-klimapartnerschaften-sued/")


def test_ascii_slug_transliterates_other_scripts_and_accents():
    from partnerportal.core.text import ascii_slug

    assert ascii_slug("Saint-Étienne & Łódź") == "saint-etienne-lodz"
    assert ascii_slug("Київ") == "kiiv"
    assert ascii_slug("ÄÖÜ ẞ") == "aeoeue-ss"


@pytest.mark.django_db
def test_back_office_slug_field_transliterates_german(client, site):
    from partnerportal.accounts.tests.factories import UserFactory

    german, _english = news_indexes()
    client.force_login(UserFactory(agency_admin=True))
    response = client.get(f"/admin/pages/add/content/newsarticle/{german.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', html).group(0)
    # Unicode off (a false attribute is left out), German formatters on.
    assert "data-w-slug-allow-unicode-value" not in slug_input
    formatters = re.search(r'data-w-slug-formatters-value="([^"]*)"', slug_input).group(1)
    assert "[[&quot;\\u00e4&quot;,&quot;g&quot;],&quot;ae&quot;]" in formatters
    assert "[[&quot;\\u00df&quot;,&quot;g&quot;],&quot;ss&quot;]" in formatters
