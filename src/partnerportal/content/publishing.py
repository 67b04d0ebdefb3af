"""What the public may see of the articles right now, and where the news list of a language is.

Feeds, sitemaps (and any listing) ask here, so that a page is either visible everywhere or
nowhere. Wagtail's `live()` is not quite enough on its own: a page made live by code with a
`go_live_at` in the future, or one whose `expire_at` has passed before `publish_scheduled`
ran, would still count as live; and a page behind a view restriction (password, login) is not
public."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale

from .models import ArticleIndexPage, ArticlePage

#: The German slugs by which the news list is told from other article lists (practice
#: examples) when there are several; its translations are found by translation key.
NEWS_INDEX_SLUGS = ("aktuelles", "news", "nachrichten")


def visible_now(queryset: QuerySet) -> QuerySet:
    """Live, public pages whose publishing window is open now."""
    now = timezone.now()
    return (
        queryset.live()
        .public()
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(expired=False)
    )


def articles_visible(*, locale: Locale | None = None) -> QuerySet[ArticlePage]:
    """Every kind of article (news, interview, practice example) the public may read, newest
    first (by its date, then by when it was first published)."""
    articles = visible_now(ArticlePage.objects.all())
    if locale is not None:
        articles = articles.filter(locale=locale)
    return articles.order_by("-date", "-first_published_at", "-pk")


def news_index(locale: Locale, *, live_only: bool = True) -> ArticleIndexPage | None:
    """The news list of a language: with several article lists, the one whose German page is
    called "aktuelles" (or "news"), else the first in the page tree. None if there is none."""
    indexes = ArticleIndexPage.objects.filter(locale=locale)
    if live_only:
        indexes = visible_now(indexes)
    indexes = list(indexes.order_by("path"))
    if len(indexes) <= 1:
        return indexes[0] if indexes else None
    news_keys = set(
        ArticleIndexPage.objects.filter(slug__in=NEWS_INDEX_SLUGS).values_list(
            "translation_key", flat=True
        )
    )
    for index in indexes:
        if index.translation_key in news_keys:
            return index
    return indexes[0]
