"""What a page tells search engines and link previews: the canonical address and its
translations (hreflang), Open Graph and Twitter card fields, and schema.org as JSON-LD
(an article as NewsArticle or Article; the home page as the publishing organisation and the
web site with its search). Rendered by content/partials/meta.html in every page's head.

Addresses are absolute on SITE_URL, the site's public address, never on the Host header a
request happened to bring. JSON-LD goes into a <script> data block: `json_ld()` escapes <, >
and & as \\u003c … (as Django's json_script does), so that a title holding "</script>" cannot
end the block."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time
from urllib.parse import urljoin

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, to_locale
from wagtail.models import Page, Site

from partnerportal.core.i18n import localized_name

from .feeds import feed_links, image_rendition
from .models import ArticleIndexPage, ArticlePage, HomePage, Interview, PracticeExample
from .selectors import page_translation_urls

#: og:locale wants language_TERRITORY.
OG_LOCALES = {"de": "de_DE", "en": "en_GB"}
DESCRIPTION_LENGTH = 300
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(url: str) -> str:
    """An address on the site's public origin (SITE_URL); absolute ones stay as they are."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", url)


def json_ld(data) -> SafeString:
    """JSON for a <script type="application/ld+json"> block, safe against "</script>"."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))


@dataclass
class PageMeta:
    title: str
    description: str
    url: str
    type: str = "website"
    locale: str = ""
    site_name: str = ""
    alternates: list[dict] = field(default_factory=list)
    image: dict | None = None
    published: str = ""
    modified: str = ""
    tags: list[str] = field(default_factory=list)
    feeds: list[dict] = field(default_factory=list)
    json_ld: SafeString | None = None


def _og_locale(code: str) -> str:
    return OG_LOCALES.get(code, to_locale(code))


def _description(page: Page) -> str:
    for text in (
        page.search_description,
        getattr(page, "teaser", ""),
        getattr(page, "intro", ""),
    ):
        text = " ".join(strip_tags(str(text or "")).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def _published(page: ArticlePage) -> datetime:
    if page.first_published_at and timezone.localdate(page.first_published_at) == page.date:
        return page.first_published_at
    return timezone.make_aware(datetime.combine(page.date, time()))


def _organisation(site_name: str) -> dict:
    return {
        "@type": "GovernmentOrganization",
        "name": settings.OPEN_DATA_PUBLISHER or site_name,
        "url": settings.OPEN_DATA_PUBLISHER_URL or absolute("/"),
    }


def page_meta(request: HttpRequest, page: Page) -> PageMeta:
    """The metadata of a Wagtail page (a fixed, small number of queries: its translations,
    shared with the language links; an article's lead image, tags and themes; its ancestors)."""
    page = page.specific
    site = Site.find_for_request(request)
    site_name = (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME
    # The page is served in its own language (its locale's prefix): no query for its locale.
    language = get_language() or settings.LANGUAGE_CODE
    url = absolute(page.get_url(request) or request.path)
    translations = page_translation_urls(request, page)
    meta = PageMeta(
        title=page.seo_title or page.title,
        description=_description(page),
        url=url,
        locale=_og_locale(language),
        site_name=site_name,
        alternates=[
            {"code": code, "url": absolute(link), "og_locale": _og_locale(code)}
            for code, link in sorted(translations.items())
            if link
        ],
    )
    default = translations.get(settings.LANGUAGE_CODE)
    if default and meta.alternates:
        meta.alternates.append({"code": "x-default", "url": absolute(default), "og_locale": ""})

    if isinstance(page, ArticlePage):
        meta.type = "article"
        meta.published = _published(page).isoformat()
        meta.modified = (page.last_published_at or _published(page)).isoformat()
        meta.tags = [tag.name for tag in page.tags.all()]
        rendition = image_rendition(page.lead_image)
        if rendition is not None:
            meta.image = {
                "url": absolute(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "alt": page.lead_image_alt,
            }
        crumbs = _breadcrumbs(request, page)
        meta.json_ld = json_ld([_article_ld(page, meta, language), *([crumbs] if crumbs else [])])
    elif isinstance(page, HomePage):
        meta.json_ld = json_ld(_home_ld(meta, language))
    else:
        crumbs = _breadcrumbs(request, page)
        meta.json_ld = json_ld(crumbs) if crumbs else None
    if isinstance(page, (HomePage, ArticleIndexPage)):
        meta.feeds = feed_links(request)
    return meta


def _article_ld(page: ArticlePage, meta: PageMeta, language: str) -> dict:
    kind = "NewsArticle" if not isinstance(page, (Interview, PracticeExample)) else "Article"
    about = [{"@type": "Thing", "name": localized_name(theme)} for theme in page.themes.all()]
    about += [
        {"@type": "Country", "name": localized_name(country)} for country in page.countries.all()
    ]
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": Truncator(page.title).chars(110),
        "description": meta.description,
        "datePublished": meta.published,
        "dateModified": meta.modified,
        "inLanguage": language,
        "mainEntityOfPage": meta.url,
        "url": meta.url,
        "author": _organisation(meta.site_name),
        "publisher": _organisation(meta.site_name),
    }
    if meta.image:
        data["image"] = [meta.image["url"]]
    if about:
        data["about"] = about
    if meta.tags:
        data["keywords"] = ", ".join(meta.tags)
    if page.place:
        data["contentLocation"] = {"@type": "Place", "name": page.place}
    return data


def _home_ld(meta: PageMeta, language: str) -> dict:
    search = absolute(reverse("content:search")) + "?q={search_term_string}"
    return {
        "@context": "https://schema.org",
        "@graph": [
            _organisation(meta.site_name),
            {
                "@type": "WebSite",
                "name": meta.site_name,
                "url": meta.url,
                "inLanguage": language,
                "publisher": _organisation(meta.site_name),
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": {"@type": "EntryPoint", "urlTemplate": search},
                    "query-input": "required name=search_term_string",
                },
            },
        ],
    }


def _breadcrumbs(request: HttpRequest, page: Page) -> dict | None:
    """Home › … › the page, for pages below the home page (one query)."""
    if page.depth <= 2:
        return None
    ancestors = [*page.get_ancestors().filter(depth__gte=2), page]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": crumb.title,
                "item": absolute(crumb.get_url(request) or "/"),
            }
            for position, crumb in enumerate(ancestors, start=1)
        ],
    }
