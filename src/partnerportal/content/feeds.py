"""RSS 2.0 and Atom feeds of the articles (news, interviews, practice examples), in the language
of the address (/de/…, /en/…): all of them, those about one theme or SDG, those about one
country.

One feed carries every kind of article, each marked with its kind as a category: a person who
follows a country wants its practice examples as much as its news, and a reader that wants only
one kind can filter by category. The addresses are fixed words under /aktuelles/ in every
language, like the registry's (/en/register/kommunen/): editors may rename the news list
without breaking anyone's subscription.

Only what the public may read now appears (content/publishing.py). A feed is built once per
version of the pages (the layout's change version, which moves on every publish, unpublish,
move and delete) and kept in the shared cache; its ETag lets a feed reader's poll end in a 304
without the database being asked."""

from __future__ import annotations

import hashlib
import time as clock
from dataclasses import dataclass
from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_safe
from wagtail.images import get_image_model
from wagtail.models import Locale, Site

from partnerportal import __version__
from partnerportal.core.i18n import localized_name
from partnerportal.geo.models import Country
from partnerportal.registry.models import Theme

from .models import ArticlePage
from .publishing import articles_visible, news_index
from .selectors import LAYOUT_VERSION

#: Items per feed: a feed reader polls often; the archive is on the site.
FEED_ITEMS = 30
#: The lead image as it is sent along (enclosure) and shown in link previews (og:image).
IMAGE_RENDITION = "fill-1200x630"
#: A feed is kept this long at most even if no page changes (theme and country names are the
#: registry's; a page whose go-live time passes without being published by `publish_scheduled`).
CACHE_SECONDS = 60 * 60
#: Feed readers may reuse an answer this long before asking again.
MAX_AGE = 5 * 60


@dataclass(frozen=True)
class FeedScope:
    """Which articles a feed holds: all, or those about one theme or one country."""

    locale: Locale
    theme: Theme | None = None
    country: Country | None = None


def _locale() -> Locale:
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is None:  # a language configured but without pages yet
        raise Http404
    return locale


def feed_articles(scope: FeedScope, *, limit: int = FEED_ITEMS) -> list[ArticlePage]:
    """The newest articles of the scope, with what an item shows, in a fixed number of
    queries."""
    articles = articles_visible(locale=scope.locale)
    if scope.theme is not None:
        articles = articles.filter(themes=scope.theme)
    if scope.country is not None:
        articles = articles.filter(countries=scope.country)
    images = get_image_model().objects.prefetch_renditions(IMAGE_RENDITION)
    return list(
        articles.select_related("locale").prefetch_related(
            "tagged_items__tag", "themes", Prefetch("lead_image", queryset=images)
        )[:limit]
    )


def image_rendition(image):
    """The lead image's rendition for feeds and previews; None if the file is gone."""
    if image is None:
        return None
    try:
        return image.get_rendition(IMAGE_RENDITION)
    except (OSError, ValueError):
        return None


class ArticleFeed(Feed):
    """RSS 2.0: the articles of a scope, newest first."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, code: str | None = None, iso2: str | None = None) -> FeedScope:
        locale = _locale()
        if code is not None:
            theme = Theme.objects.filter(code=code).first()
            if theme is None:
                raise Http404
            return FeedScope(locale, theme=theme)
        if iso2 is not None:
            country = Country.objects.filter(pk=iso2.upper()).first()
            if country is None:
                raise Http404
            return FeedScope(locale, country=country)
        return FeedScope(locale)

    def title(self, scope: FeedScope) -> str:
        site = _site_name(self.request)
        if scope.theme is not None:
            return _("%(site)s: news on %(theme)s") % {
                "site": site,
                "theme": localized_name(scope.theme),
            }
        if scope.country is not None:
            return _("%(site)s: news about %(country)s") % {
                "site": site,
                "country": localized_name(scope.country),
            }
        return _("%(site)s: news") % {"site": site}

    def description(self, scope: FeedScope) -> str:
        return _("News, interviews and practice examples of municipal development partnerships.")

    subtitle = description

    def link(self, scope: FeedScope) -> str:
        if scope.country is not None:
            return reverse("registry:country_detail", args=[scope.country.pk])
        index = news_index(scope.locale)
        return index.get_url(self.request) if index is not None else f"/{get_language()}/"

    def feed_url(self, scope: FeedScope) -> str:
        return self.request.path

    def feed_guid(self, scope: FeedScope) -> str:
        return self.request.build_absolute_uri(self.request.path)

    def author_name(self) -> str:
        return _site_name(self.request)

    def feed_copyright(self) -> str:
        return _site_name(self.request)

    def items(self, scope: FeedScope) -> list[ArticlePage]:
        return feed_articles(scope)

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.teaser

    def item_link(self, item: ArticlePage) -> str:
        return item.get_url(self.request)

    def item_guid(self, item: ArticlePage) -> str:
        """Stable when the title or slug changes (a new slug would read as a new item)."""
        host = self.request.get_host().split(":")[0]
        return f"tag:{host},2026:article:{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: ArticlePage) -> datetime:
        """The article's date; the moment it was first published if that was on the same
        day (so that two items of one day keep their order)."""
        if item.first_published_at and timezone.localdate(item.first_published_at) == item.date:
            return item.first_published_at
        return timezone.make_aware(datetime.combine(item.date, time()))

    def item_updateddate(self, item: ArticlePage) -> datetime:
        return max(item.last_published_at or self.item_pubdate(item), self.item_pubdate(item))

    def item_categories(self, item: ArticlePage) -> list[str]:
        kind = str(item.specific_class._meta.verbose_name) if item.specific_class else ""
        return [
            *([kind.capitalize()] if kind else []),
            *(localized_name(theme) for theme in item.themes.all()),
            *(tagged.tag.name for tagged in item.tagged_items.all()),
        ]

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        rendition = image_rendition(item.lead_image)
        if rendition is None:
            return []
        try:
            length = rendition.file.size
        except OSError:
            return []
        return [
            Enclosure(
                self.request.build_absolute_uri(rendition.url),
                str(length),
                _mime_type(rendition.file.name),
            )
        ]


class ArticleAtomFeed(ArticleFeed):
    """The same as Atom 1.0."""

    feed_type = Atom1Feed


def _mime_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "png": "image/png",
        "webp": "image/webp",
        "gif": "image/gif",
        "avif": "image/avif",
    }.get(extension, "application/octet-stream")


def _site_name(request: HttpRequest) -> str:
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or "Partnerportal"


# --- Views: cached, with ETag -----------------------------------------------------------------

#: A new feed object per request: the feed keeps the request on itself.
FEEDS = {"rss": ArticleFeed, "atom": ArticleAtomFeed}


def _etag(request: HttpRequest, *args, **kwargs) -> str:
    if not hasattr(request, "feed_etag"):
        key = "|".join(
            (
                __version__,
                repr(LAYOUT_VERSION.current()),
                str(int(clock.time() // CACHE_SECONDS)),
                # The address without its query: ?x=<random> builds no feed of its own.
                request.build_absolute_uri(request.path),
            )
        )
        request.feed_etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    return request.feed_etag


@require_safe
@condition(etag_func=_etag)
def _feed(request: HttpRequest, feed_format: str, **kwargs) -> HttpResponse:
    key = f"content:feed:{_etag(request)}"
    cached = cache.get(key)
    if cached is not None:
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    response = FEEDS[feed_format]()(request, **kwargs)
    cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
    return response


def feed_view(request: HttpRequest, feed_format: str, **kwargs) -> HttpResponse:
    """Public, no login: the feed in the address's language. Unknown theme or country: 404."""
    response = _feed(request, feed_format, **kwargs)
    if response.status_code in (200, 304):
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    else:
        del response["ETag"]
    return response


def feed_links(request: HttpRequest | None = None) -> list[dict[str, str]]:
    """The main feed's addresses in the active language, for <link rel="alternate"> and the
    visible links on the news list."""
    return [
        {
            "format": "rss",
            "type": "application/rss+xml",
            "label": "RSS",
            "title": _("News (RSS)"),
            "url": reverse("content:feed_rss"),
        },
        {
            "format": "atom",
            "type": "application/atom+xml",
            "label": "Atom",
            "title": _("News (Atom)"),
            "url": reverse("content:feed_atom"),
        },
    ]
