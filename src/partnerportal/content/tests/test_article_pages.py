"""The public pages of articles, programmes and formats: what they show, what they link, and
that their queries do not grow with what an article is about."""

import datetime as dt

import pytest

from partnerportal.content.models import (
    ArticleIndexPage,
    FormatPage,
    Interview,
    NewsArticle,
    PracticeExample,
    ProgrammeContact,
    ProgrammePage,
)
from partnerportal.registry.models import Programme, Theme
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

from .helpers import add_page, image, index


@pytest.fixture
def world(db):
    koeln = MunicipalityFactory(name="Köln")
    yarinacocha = ForeignMunicipalityFactory(name="Yarinacocha", iso2="PE")
    partnership = PartnershipFactory(between=(koeln, yarinacocha))
    hidden = PartnershipFactory(
        between=(koeln, ForeignMunicipalityFactory(name="Geheimstadt", iso2="UA")), proposed=True
    )
    programme = Programme.objects.create(slug="fkpw", name="Fachkräftefonds")
    return {
        "koeln": koeln,
        "yarinacocha": yarinacocha,
        "partnership": partnership,
        "hidden": hidden,
        "programme": programme,
    }


def _programme_page(site, programme, **fields):
    page = ProgrammePage(title="Fachkräftefonds", slug="fachkraeftefonds", programme=programme)
    for name, value in fields.items():
        setattr(page, name, value)
    return add_page(site, page)


@pytest.mark.django_db
def test_the_lists_exist_in_german_and_english_after_setup(client, site):
    for url in ("/de/aktuelles/", "/en/news/", "/de/praxisbeispiele/", "/en/practice-examples/"):
        response = client.get(url)
        assert response.status_code == 200, url
    html = client.get("/en/practice-examples/").content.decode()
    assert "<h1" in html and "Practice examples" in html
    assert ArticleIndexPage.objects.count() == 4


#: Wagtail makes a rendition in a SpooledTemporaryFile that it leaves to the garbage collector
#: (wagtail/images/models.py, generate_rendition_file); the closing is Python's, not ours.
RENDITION_TEMPFILE = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@RENDITION_TEMPFILE
@pytest.mark.django_db
def test_a_news_article_shows_its_facts_image_and_what_it_is_about(client, site, world):
    _programme_page(site, world["programme"])
    theme = Theme.objects.get(code="sdg-3")
    lead = image()
    article = add_page(
        index(),
        NewsArticle(
            title="Heilwissen am Ucayali",
            slug="heilwissen",
            date=dt.date(2023, 9, 25),
            place="Bonn",
            teaser="Eine Fachkraft berichtet aus Yarinacocha.",
            body="<p>Der Text des Beitrags.</p>",
            lead_image=lead,
            lead_image_alt="Kinder spielen an einem See",
            lead_image_caption="Foto: Demo",
        ),
        municipalities=[world["koeln"], world["yarinacocha"]],
        partnerships=[world["partnership"], world["hidden"]],
        countries=["PE"],
        programmes=[world["programme"]],
        themes=[theme],
    )
    article.tags.add("Gesundheit")
    article.save_revision().publish()
    html = client.get(article.url).content.decode()
    assert "Meldung" in html
    assert "25. September 2023" in html and 'datetime="2023-09-25"' in html and "Bonn" in html
    assert "Eine Fachkraft berichtet aus Yarinacocha." in html
    assert "<figure" in html and "<figcaption" in html and "Foto: Demo" in html
    assert 'alt="Kinder spielen an einem See"' in html and "srcset=" in html
    assert "Der Text des Beitrags." in html
    assert f'href="/de/register/kommunen/{world["koeln"].pk}/"' in html
    assert f'href="/de/register/partnerschaften/{world["partnership"].pk}/"' in html
    assert "Geheimstadt" not in html  # a proposed partnership is not public
    assert 'href="/de/register/laender/PE/"' in html
    assert 'href="/de/fachkraeftefonds/"' in html  # the programme's page
    assert str(theme) in html and "Gesundheit" in html


@pytest.mark.django_db
def test_interview_and_practice_example_show_their_own_parts(client, site, world):
    interview = add_page(
        index(),
        Interview(
            title="Im Gespräch",
            slug="gespraech",
            teaser="Kurz.",
            interviewee="Marta Beispiel",
            interviewee_role="Fachkraft in Yarinacocha",
        ),
    )
    html = client.get(interview.url).content.decode()
    assert "Marta Beispiel" in html and "Fachkraft in Yarinacocha" in html
    example = add_page(
        index("practice_examples", "en"),
        PracticeExample(
            title="A shared waste plan",
            slug="waste-plan",
            teaser="Short.",
            results="<p>Two depots built.</p>",
            lessons="<p>Start small.</p>",
        ),
    )
    html = client.get(example.url).content.decode()
    assert '<html lang="en"' in html
    assert "Results" in html and "Two depots built." in html
    assert "What others can learn" in html and "Start small." in html


@pytest.mark.django_db
def test_article_queries_do_not_grow_with_what_it_is_about(
    client, site, world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = add_page(index(), NewsArticle(title="Klein", slug="klein", teaser="t"))
    many = [MunicipalityFactory() for _ in range(6)]
    big = add_page(
        index(),
        NewsArticle(title="Groß", slug="gross", teaser="t"),
        municipalities=many,
        partnerships=[
            PartnershipFactory(between=(m, ForeignMunicipalityFactory(iso2="PE"))) for m in many
        ],
        countries=["PE", "UA", "SN"],
        programmes=[world["programme"]],
        themes=list(Theme.objects.all()[:5]),
    )
    client.get(small.url)
    with CaptureQueriesContext(connection) as few:
        client.get(small.url)
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        assert client.get(big.url).status_code == 200
    with django_assert_max_num_queries(30):
        client.get(big.url)


@pytest.mark.django_db
def test_programme_page_shows_offers_contacts_formats_and_articles(
    client, site, world, django_assert_max_num_queries
):
    page = _programme_page(
        site,
        world["programme"],
        teaser="Fachkräfte für Partnerkommunen.",
        background="<p>Hintergrund.</p>",
        goal="<p>Ziel.</p>",
        approach="<p>Vorgehen.</p>",
        offers_advice=True,
        offers_financial_support=True,
        target_group="<p>Kommunen mit aktiver Partnerschaft.</p>",
    )
    ProgrammeContact.objects.create(page=page, name="Ana Kontakt", email="ana@example.org")
    page.save_revision().publish()
    add_page(page, FormatPage(title="Runde Tische", slug="runde-tische", teaser="Austausch."))
    add_page(
        index(),
        NewsArticle(title="Neu im Fonds", slug="neu", teaser="t"),
        programmes=[world["programme"]],
    )
    add_page(index(), NewsArticle(title="Anderes Thema", slug="anderes", teaser="t"))
    with django_assert_max_num_queries(25):
        html = client.get(page.url).content.decode()
    for text in ("Hintergrund.", "Ziel.", "Vorgehen.", "Kommunen mit aktiver Partnerschaft."):
        assert text in html
    assert "Beratung und Prozessbegleitung" in html and "Finanzielle Förderung" in html
    assert "Vernetzung</li>" not in html
    assert "Ana Kontakt" in html and "mailto:ana@example.org" in html
    assert "Runde Tische" in html
    assert "Neu im Fonds" in html and "Anderes Thema" not in html


@pytest.mark.django_db
def test_format_page_links_its_programme_page(client, site, world):
    programme_page = _programme_page(site, world["programme"])
    page = add_page(
        site,
        FormatPage(
            title="Regionalkonferenzen",
            slug="regionalkonferenzen",
            programme=world["programme"],
            rhythm="alle drei Jahre je Weltregion",
            body="<p>Austausch.</p>",
            target_group="<p>Kommunen und Zivilgesellschaft.</p>",
        ),
    )
    html = client.get(page.url).content.decode()
    assert "alle drei Jahre je Weltregion" in html and "Kommunen und Zivilgesellschaft." in html
    assert f'href="{programme_page.url}"' in html


@pytest.mark.django_db
def test_pages_with_nothing_but_their_title_render(client, site):
    """A programme page without a programme, a format page and an article with no links."""
    for page in (
        add_page(site, ProgrammePage(title="Leer", slug="leer")),
        add_page(site, FormatPage(title="Format", slug="format")),
        add_page(index(), NewsArticle(title="Nur Titel", slug="nur-titel", teaser="t")),
    ):
        response = client.get(page.url)
        assert response.status_code == 200
        assert "What it is about" not in response.content.decode()
