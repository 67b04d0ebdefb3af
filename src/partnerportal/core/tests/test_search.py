"""The German search on the engine the suite runs on: run this module on SQLite and on
PostgreSQL (DATABASE_URL=postgres://…) — the same assertions must hold on both (ADR 0008)."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from partnerportal.content.models import StandardPage
from partnerportal.core.search import analysis
from partnerportal.core.search.models import SearchDocument
from partnerportal.core.search.selectors import search_run
from partnerportal.core.search.services import search_rebuild
from partnerportal.registry.models import Theme
from partnerportal.registry.tests.factories import (
    ForeignMunicipalityFactory,
    MunicipalityFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db


def test_analysis_folds_umlauts_and_digraphs_and_stems_german():
    assert analysis.terms("München Muenchen Munchen MÜNCHEN") == ["munch"] * 4
    assert analysis.terms("Partnerschaften") == analysis.terms("Partnerschaft")
    assert analysis.terms("Klimawandels") == analysis.terms("Klimawandel")
    assert analysis.terms("Straße") == analysis.terms("Strasse")
    # "ue" after q is not an umlaut: Quelle and Qulle stay apart.
    assert analysis.terms("Quelle") != analysis.terms("Qulle")


def test_snippet_marks_matches_in_the_original_text_and_escapes_html():
    text = "<script>alert(1)</script> Die Partnerschaften zwischen München & Lyon"
    html = analysis.snippet(text, "partnerschaft muenchen")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>Partnerschaften</mark>" in html
    assert "<mark>München</mark>" in html
    assert "&amp; Lyon" in html


def test_snippet_passage_around_the_first_match_with_its_own_control_characters_as_spaces():
    words = [f"Wort{n}" for n in range(100)]
    words[60] = "Klimapartnerschaften"
    text = " ".join(words[:59]) + " <b>\x01" + " ".join(words[59:]) + "\x02 x"
    html = str(analysis.snippet(text, "Klimapartnerschaft"))
    # Ten words before the first match (the "b" of "<b>" is one), thirty in all, elided at both
    # ends.
    assert html.startswith("… Wort51 ")
    assert html.endswith("Wort79 …")
    assert "&lt;b&gt; Wort59 <mark>Klimapartnerschaften</mark> Wort61" in html
    assert "\x01" not in html and "\x02" not in html
    assert html.count("<mark>") == 1
    # No word of the text matches (a hit by its title): its first thirty words, none marked.
    html = str(analysis.snippet(text, "Stadtentwicklung"))
    assert html.startswith("Wort0 Wort1 ") and html.endswith("Wort29 …")
    assert "<mark>" not in html
    # A prefix as one types marks every word it begins.
    html = str(analysis.snippet("Klimaschutz und Klimawandel, nicht Klasse", "Klima"))
    assert html == "<mark>Klimaschutz</mark> und <mark>Klimawandel</mark>, nicht Klasse"


def _page(home, title, body):
    page = home.add_child(instance=StandardPage(title=title, body=f"<p>{body}</p>"))
    page.save_revision().publish()
    return page


@pytest.fixture
def home(site):
    return site


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what the writes inside it leave for after the commit (the index follows)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _titles(query, **kwargs):
    return [hit.title for hit in search_run(query=query, language="de", **kwargs).hits]


def test_german_stemming_and_umlaut_folding_find_pages(home, committed):
    with committed():
        _page(home, "Bericht aus Bayern", "Die Partnerschaft mit München hilft beim Klimawandel.")
        _page(home, "Anderes", "Hier steht nichts davon.")
    for query in ("Partnerschaften", "Klimawandels", "Muenchen", "Munchen", "München"):
        assert _titles(query) == ["Bericht aus Bayern"], query


def test_last_word_matches_as_a_prefix_while_typing(home, committed):
    with committed():
        _page(home, "Bericht", "Eine Entwicklungspartnerschaft im Klimawandel")
    assert _titles("Klimaw") == ["Bericht"]
    assert _titles("Entwicklungspart") == ["Bericht"]
    # Only the last word is a prefix; two letters are not yet a prefix.
    assert _titles("Klimaw Entwicklungspartnerschaft") == []
    assert _titles("Kl") == []


def test_all_words_must_match_in_title_or_body(home, committed):
    with committed():
        _page(home, "Klimawandel", "Die Partnerschaft mit Lyon")
        _page(home, "Wasser", "Die Partnerschaft mit Kyjiw")
    assert _titles("Klimawandel Partnerschaft") == ["Klimawandel"]
    assert _titles("Partnerschaft Lyon Kyjiw") == []


def test_title_ranks_above_body_and_newer_above_older_when_equal(home, committed):
    with committed():
        _page(home, "Wasserversorgung in Moshi", "Ein Bericht über Brunnen.")
        _page(home, "Bericht aus Kenia", "Es geht um die Wasserversorgung der Stadt.")
        older = _page(home, "Schulpartnerschaft Alpha", "Gleich viel Text.")
        newer = _page(home, "Schulpartnerschaft Beta", "Gleich viel Text.")
    assert _titles("Wasserversorgung") == ["Wasserversorgung in Moshi", "Bericht aus Kenia"]
    now = timezone.now()
    StandardPage.objects.filter(pk=older.pk).update(first_published_at=now - timedelta(days=400))
    StandardPage.objects.filter(pk=newer.pk).update(first_published_at=now)
    search_rebuild()
    assert _titles("Schulpartnerschaft") == ["Schulpartnerschaft Beta", "Schulpartnerschaft Alpha"]
    StandardPage.objects.filter(pk=older.pk).update(first_published_at=now)
    StandardPage.objects.filter(pk=newer.pk).update(first_published_at=now - timedelta(days=400))
    search_rebuild()
    assert _titles("Schulpartnerschaft") == ["Schulpartnerschaft Alpha", "Schulpartnerschaft Beta"]


def test_unpublished_scheduled_and_restricted_pages_are_never_found(home, committed):
    with committed():
        draft = home.add_child(instance=StandardPage(title="Entwurf Geheimprojekt", live=False))
        draft.save_revision()
        scheduled = home.add_child(
            instance=StandardPage(title="Geplant Geheimprojekt", live=False, body="<p>x</p>")
        )
        scheduled.go_live_at = timezone.now() + timedelta(days=3)
        scheduled.save_revision().publish()
        published = _page(home, "Öffentlich Geheimprojekt", "sichtbar")
        restricted = _page(home, "Intern Geheimprojekt", "nur mit Passwort")
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    scheduled.refresh_from_db()
    assert not scheduled.live
    assert _titles("Geheimprojekt") == ["Öffentlich Geheimprojekt"]

    with committed():
        published.unpublish()
    assert _titles("Geheimprojekt") == []
    # A rebuild (update_index) keeps them out too.
    call_command("update_index", verbosity=0)
    assert _titles("Geheimprojekt") == []
    assert not SearchDocument.objects.filter(title__contains="Geheimprojekt").exists()


def test_registry_records_are_found_with_facets_by_type_theme_and_country(home, committed):
    theme = Theme.objects.order_by("pk").first()
    with committed():
        koeln = MunicipalityFactory(name="Köln", state="Nordrhein-Westfalen")
        lima = ForeignMunicipalityFactory(name="Lima", iso2="PE")
        lyon = ForeignMunicipalityFactory(name="Lyon", iso2="FR")
        partnership = PartnershipFactory(between=(koeln, lima), description="Wasser für alle")
        partnership.themes.add(theme)
        PartnershipFactory(between=(koeln, lyon))
        porto = ForeignMunicipalityFactory(name="Porto", iso2="PT")
        PartnershipFactory(between=(koeln, porto), proposed=True)

    results = search_run(query="Koeln", language="de")
    assert {hit.title for hit in results.hits} == {"Köln", "Köln – Lima", "Köln – Lyon"}
    assert {f.value: f.count for f in results.facets["type"]} == {
        "municipality": 1,
        "partnership": 2,
    }
    assert {f.value: f.count for f in results.facets["country"]} == {"DE": 3, "PE": 1, "FR": 1}
    assert [f.value for f in results.facets["theme"]] == [theme.code]
    assert results.hits[0].url.startswith("/de/register/")
    assert search_run(query="Koeln", language="en").hits[0].url.startswith("/en/register/")

    assert _titles("Koeln", type_="partnership", country="PE") == ["Köln – Lima"]
    assert _titles("Koeln", theme=theme.code) == ["Köln – Lima"]
    typed = search_run(query="Koeln", language="de", type_="municipality")
    assert [hit.title for hit in typed.hits] == ["Köln"]
    # The type facet still counts every type, to switch between them.
    assert {f.value for f in typed.facets["type"]} == {"municipality", "partnership"}
    assert _titles("Koeln", type_="no-such-type") == []

    # Edits follow at once: a rename, a theme removed, a deletion.
    with committed():
        lima.name = "Lima Metropolitana"
        lima.save()
    assert "Köln – Lima Metropolitana" in _titles("Koeln")
    with committed():
        partnership.themes.clear()
    assert _titles("Koeln", theme=theme.code) == []
    with committed():
        partnership.delete()
    assert "Köln – Lima Metropolitana" not in _titles("Koeln")


def test_pages_are_found_in_their_own_language_only(home, committed):
    with committed():
        _page(home, "Klimapartnerschaften", "Text")
    assert _titles("Klimapartnerschaft") == ["Klimapartnerschaften"]
    assert search_run(query="Klimapartnerschaft", language="en").hits == []


def test_paging_counts_and_clamps(home, committed):
    with committed():
        for n in range(5):
            _page(home, f"Städtepartnerschaft {n}", "Text")
    first = search_run(query="Städtepartnerschaft", language="de", per_page=2)
    assert first.total == 5 and len(first.hits) == 2 and first.page.paginator.num_pages == 3
    last = search_run(query="Städtepartnerschaft", language="de", per_page=2, page=3)
    assert len(last.hits) == 1
    assert {h.title for h in first.hits}.isdisjoint({h.title for h in last.hits})
    assert search_run(query="Städtepartnerschaft", language="de", page=999).total == 5
    assert search_run(query="", language="de").total == 0


def test_articles_are_found_by_teaser_and_body_with_their_date_and_what_they_are_about(
    home, committed
):
    from partnerportal.content.models import ArticleIndexPage, NewsArticle
    from partnerportal.geo.services import country_ensure

    theme = Theme.objects.order_by("pk").first()
    with committed():
        news = home.add_child(instance=ArticleIndexPage(title="Berichte", slug="berichte"))
        news.save_revision().publish()
        moshi = ForeignMunicipalityFactory(name="Moshi", iso2="TZ")
        for day, title in ((3, "Älterer Bericht"), (20, "Neuerer Bericht")):
            article = NewsArticle(
                title=title,
                date=date(2026, 5, day),
                teaser="Kläranlagen für die Partnerstadt.",
                body="<p>Die Abwasserentsorgung wird besser.</p>",
            )
            news.add_child(instance=article)
            article.themes.add(theme)
            article.municipalities.add(moshi)
            article.countries.add(country_ensure("KE"))
            article.save_revision().publish()
    results = search_run(query="Klaeranlage Abwasserentsorgung", language="de")
    assert [hit.title for hit in results.hits] == ["Neuerer Bericht", "Älterer Bericht"]
    assert results.hits[0].date == date(2026, 5, 20)
    assert str(results.hits[0].snippet).startswith("<mark>Kläranlagen</mark>")
    assert {f.value: f.count for f in results.facets["country"]} == {"TZ": 2, "KE": 2}
    assert {f.value for f in results.facets["theme"]} == {theme.code}
    assert _titles("Klaeranlage", country="KE", type_="page") == [
        "Neuerer Bericht",
        "Älterer Bericht",
    ]


def test_other_backends_path_finds_the_same_through_wagtails_search_api(home, committed):
    """The path OpenSearch takes (Wagtail's `backend.search()` with the analysed terms), run
    here on the database backend's stock query compiler."""
    from modelsearch.backends import get_search_backend

    from partnerportal.core.search.selectors import _search_other

    with committed():
        _page(home, "Bericht aus Bayern", "Die Partnerschaft mit München hilft beim Klimawandel.")
        _page(home, "Anderes", "Hier steht nichts davon.")
        MunicipalityFactory(name="München")
    found, _prefix = analysis.query_terms("Muenchen")
    ids, total, counts = _search_other(
        get_search_backend(), found, language="de", type_="", filters={}, offset=0, limit=20
    )
    titles = set(SearchDocument.objects.filter(pk__in=ids).values_list("title", flat=True))
    assert titles == {"Bericht aus Bayern", "München"} and total == 2
    assert counts["type"] == {"page": 1, "municipality": 1}
    ids, total, _counts = _search_other(
        get_search_backend(), found, language="de", type_="page", filters={}, offset=0, limit=20
    )
    assert total == 1
