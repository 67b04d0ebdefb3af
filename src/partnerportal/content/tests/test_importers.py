"""import_articles: a news archive from JSON Lines, checked line by line, all or nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from partnerportal.content.importers import ArticleImportRefused, articles_import
from partnerportal.content.models import ArticlePage, NewsArticle
from partnerportal.registry.importers.errors import ImportFileError

from .articles import news_indexes

GOOD = {
    "id": "2021-117",
    "title": "Aimable Kabandas Einsatz als Einheimische Fachkraft",
    "date": "2021-11-26",
    "place": "Bonn",
    "teaser": "Seit Dezember 2020 unterstützt Aimable Kabanda den Aufbau lokaler Verwaltungen.",
    "body": "Erster Absatz.\nZweite Zeile.\n\nZweiter Absatz.",
    "tags": ["Ruanda", "Fachkräfte"],
    "language": "de",
}


def write(tmp_path, *lines, name="archiv.jsonl") -> object:
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
    return path


def line(**changes) -> dict:
    data = {**GOOD, **changes}
    return {key: value for key, value in data.items() if value is not ...}


@pytest.fixture
def indexes(site):
    return news_indexes()


@pytest.fixture
def english():
    """Messages in English (the tests read them); German is the default language."""
    with translation.override("en"):
        yield


@pytest.mark.django_db
def test_good_file_creates_published_news_articles_in_the_news_list_of_their_language(
    tmp_path, indexes
):
    german, english = indexes
    path = write(
        tmp_path,
        line(),
        "",
        line(id=..., title="Partnerships in a digital age", language="en", tags=[]),
    )
    outcome = articles_import(path)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (2, 0, 0)
    de = NewsArticle.objects.get(locale__language_code="de")
    assert de.get_parent().pk == german.pk
    assert de.live and timezone.localdate(de.first_published_at) == date(2021, 11, 26)
    assert de.date == date(2021, 11, 26) and de.place == "Bonn"
    assert de.slug == "aimable-kabandas-einsatz-als-einheimische-fachkraft"
    assert sorted(tag.name for tag in de.tags.all()) == ["Fachkräfte", "Ruanda"]
    assert "<br/>Zweite Zeile.</p>" in de.body and de.body.count("<p") == 2
    assert de.source_key == "de:id:2021-117"
    en = NewsArticle.objects.get(locale__language_code="en")
    assert en.get_parent().pk == english.pk
    assert en.source_key == "en:2021-11-26:partnerships-in-a-digital-age"
    assert en.url == "/en/news/partnerships-in-a-digital-age/"


@pytest.mark.django_db
def test_rerun_updates_and_never_duplicates(tmp_path, indexes):
    path = write(tmp_path, line(), line(id=..., title="Ohne Kennung"))
    articles_import(path)
    again = articles_import(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = write(
        tmp_path,
        line(teaser="Neuer Anreißer.", tags=["Ruanda"]),
        line(id=..., title="Ohne Kennung"),
    )
    outcome = articles_import(changed)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    assert NewsArticle.objects.count() == 2
    page = NewsArticle.objects.get(source_key="de:id:2021-117")
    assert page.teaser == "Neuer Anreißer." and [t.name for t in page.tags.all()] == ["Ruanda"]
    # Its title may change too: the id is what names it.
    articles_import(write(tmp_path, line(title="Ein neuer Titel")))
    assert NewsArticle.objects.get(source_key="de:id:2021-117").title == "Ein neuer Titel"
    assert NewsArticle.objects.count() == 2


@pytest.mark.django_db
def test_draft_option_saves_without_publishing(tmp_path, indexes):
    articles_import(write(tmp_path, line()), draft=True)
    page = NewsArticle.objects.get()
    assert not page.live and page.has_unpublished_changes


BAD_LINES = [
    ("{not json", "not valid JSON"),
    ('["a list"]', "one JSON object"),
    (line(title=...), "“title” is missing"),
    (line(title="  "), "“title” is empty"),
    (line(title=42), "“title” must be text"),
    (line(title="x" * 256), "at most 255"),
    (line(teaser=...), "“teaser” is missing"),
    (line(teaser="x" * 601), "at most 600"),
    (line(place="x" * 121), "at most 120"),
    (line(date=...), "“date” is missing"),
    (line(date="26.11.2021"), "not a date of the form YYYY-MM-DD"),
    (line(date="2021-02-30"), "not a date of the form YYYY-MM-DD"),
    (line(date=20211126), "must be a date as text"),
    (line(language=...), "“language” is missing"),
    (line(language="tr"), "is not one of this site's"),
    (line(tags="Ruanda"), "must be a list of texts"),
    (line(tags=["x" * 101]), "longer than 100"),
    (line(tags=[str(n) for n in range(31)]), "at most 30"),
    (line(id=["x"]), "“id” must be text or a whole number"),
    (line(teaser_de="x"), "Unknown fields: teaser_de"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "reason"), BAD_LINES)
def test_a_bad_line_is_named_with_its_reason_and_nothing_is_imported(
    tmp_path, indexes, english, bad, reason
):
    path = write(tmp_path, line(id="1"), bad, line(id="3"))
    with pytest.raises(ArticleImportRefused) as refused:
        articles_import(path)
    assert [error.line for error in refused.value.errors] == [2]
    assert reason in str(refused.value.errors[0])
    assert not ArticlePage.objects.exists()


@pytest.mark.django_db
def test_reasons_are_in_the_users_language(tmp_path, indexes):
    path = write(tmp_path, line(title=...))
    with translation.override("de"), pytest.raises(ArticleImportRefused) as refused:
        articles_import(path)
    assert str(refused.value.errors[0]) == "Zeile 1: „title“ fehlt."


@pytest.mark.django_db
def test_the_same_article_twice_in_a_file_is_refused(tmp_path, indexes, english):
    path = write(tmp_path, line(), line(title="Anders"))
    with pytest.raises(ArticleImportRefused) as refused:
        articles_import(path)
    assert refused.value.errors[0].line == 2
    assert "same article as line 1" in str(refused.value.errors[0])


@pytest.mark.django_db
def test_a_line_over_one_megabyte_is_refused_without_reading_it_whole(tmp_path, indexes, english):
    huge = json.dumps(line(id="2", body="x" * (1024 * 1024 + 10)))
    path = write(tmp_path, line(id="1"), huge, line(id="3"))
    with pytest.raises(ArticleImportRefused) as refused:
        articles_import(path)
    assert [error.line for error in refused.value.errors] == [2]
    assert "longer than" in str(refused.value.errors[0])
    outcome = articles_import(path, skip_invalid=True)
    assert outcome.created == 2  # the line after the long one is read as line 3


@pytest.mark.django_db
def test_bytes_that_are_not_utf8_name_their_line(tmp_path, indexes, english):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        json.dumps(line()).encode() + b"\n" + '{"title": "K\xf6ln"}\n'.encode("latin-1")
    )
    with pytest.raises(ArticleImportRefused) as refused:
        articles_import(path)
    assert refused.value.errors[0].line == 2 and "UTF-8" in str(refused.value.errors[0])


@pytest.mark.django_db
def test_skip_invalid_imports_the_good_lines_and_reports_the_rest(tmp_path, indexes, english):
    path = write(tmp_path, line(id="1"), "{oops", line(id="3", date="gestern"), line(id="4"))
    outcome = articles_import(path, skip_invalid=True)
    assert outcome.created == 2
    assert [error.line for error in outcome.invalid] == [2, 3]
    assert any("Line 3" in detail for detail in outcome.details())


@pytest.mark.django_db
def test_a_language_without_news_list_is_refused_with_a_clear_message(tmp_path, site, english):
    # French is a language of the site, but a fresh installation has news lists in German and
    # English only.
    path = write(tmp_path, line(language="fr"))
    with pytest.raises(ArticleImportRefused) as refused:
        articles_import(path)
    assert "no news list" in str(refused.value.errors[0])
    assert not ArticlePage.objects.exists()


@pytest.mark.django_db
def test_parent_names_the_article_list_by_id_or_slug(tmp_path, indexes, english):
    german, _english = indexes
    path = write(tmp_path, line())
    articles_import(path, parent=str(german.pk))
    assert NewsArticle.objects.get().get_parent().pk == german.pk
    with pytest.raises(ImportFileError, match="not an article list"):
        articles_import(path, parent="impressum")
    with pytest.raises(ImportFileError, match="No page"):
        articles_import(path, parent="gibt-es-nicht")


@pytest.mark.django_db
def test_html_is_reduced_to_what_the_editor_allows(tmp_path, indexes):
    body = (
        '<h1>Titel</h1><p onclick="steal()">Text <b>fett</b> '
        '<a href="javascript:alert(1)">böse</a> <a href="https://example.org/">gut</a>'
        "<script>alert('x')</script></p><style>p{}</style><iframe src=//evil></iframe>"
        '<img src="https://tracker.example/pixel.gif"><p><i>offen'
    )
    articles_import(write(tmp_path, line(body=body)))
    stored = NewsArticle.objects.get().body
    assert "<script" not in stored.lower() and "alert" not in stored
    assert "onclick" not in stored and "javascript:" not in stored and "<iframe" not in stored
    assert "tracker.example" not in stored and "p{}" not in stored
    assert '<a href="https://example.org/">gut</a>' in stored
    assert "<b>fett</b>" in stored and "<h2" in stored and "<i>offen</i>" in stored


@pytest.mark.django_db
def test_command_reports_bad_lines_and_exits_nonzero(tmp_path, indexes, english, capsys):
    path = write(tmp_path, line(id="1"), line(id="2", language="fr"))
    with pytest.raises(CommandError, match=r"--skip-invalid"):
        call_command("import_articles", str(path))
    assert "Line 2" in capsys.readouterr().err
    assert not ArticlePage.objects.exists()
    call_command("import_articles", str(path), "--skip-invalid")
    out = capsys.readouterr().out
    assert "Articles: 1 created, 0 updated, 0 unchanged" in out
    assert "Line 2" in out and "Source: archiv.jsonl" in out


@pytest.mark.django_db
def test_an_empty_file_is_refused(tmp_path, indexes, english):
    with pytest.raises(ImportFileError, match="no article"):
        articles_import(write(tmp_path, ""))
