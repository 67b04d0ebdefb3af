"""Test helpers: news lists in German and English and published articles in them."""

from __future__ import annotations

from datetime import date

from wagtail.models import Locale

from partnerportal.content.models import ArticleIndexPage, HomePage, NewsArticle


def news_indexes() -> tuple[ArticleIndexPage, ArticleIndexPage]:
    """The German news list "aktuelles" and its English translation, both published."""
    home = HomePage.objects.get(locale__language_code="de")
    index = ArticleIndexPage(title="Aktuelles", slug="aktuelles")
    home.add_child(instance=index)
    index.save_revision().publish()
    english = index.copy_for_translation(Locale.objects.get(language_code="en"))
    english.title, english.slug = "News", "news"
    english.save()
    english.save_revision().publish()
    english.refresh_from_db()
    return index, english


def article(index: ArticleIndexPage, title: str, *, publish: bool = True, **fields) -> NewsArticle:
    fields.setdefault("date", date(2026, 11, 2))
    fields.setdefault("teaser", f"Teaser of {title}")
    page = NewsArticle(title=title, live=publish, **fields)
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.save_revision()
    page.refresh_from_db()
    return page
