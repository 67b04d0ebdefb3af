"""Test helpers: news lists in German and English and published articles in them."""

from __future__ import annotations

from datetime import date

from wagtail.models import Locale

from partnerportal.content.models import ArticleIndexPage, HomePage, NewsArticle
from partnerportal.content.services import article_indexes_ensure


def news_indexes() -> tuple[ArticleIndexPage, ArticleIndexPage]:
    """The German news list "aktuelles" and its English translation, as a fresh installation
    has them (content.services.article_indexes_ensure, run after migrate)."""
    home = HomePage.objects.get(locale__language_code="de")
    index = article_indexes_ensure(home)[0]
    english = index.get_translation(Locale.objects.get(language_code="en"))
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
