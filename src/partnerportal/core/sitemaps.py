"""sitemap.xml: an index of sections that the apps register (content its pages, the registry its
municipalities and partnerships, the atlas its Land and country pages), so that core imports
none of them. Each section is paged by Django's sitemaps framework (`Sitemap.limit` addresses
per file, at most 50,000 by the protocol) and listed in the index once per page.

A section names the change version its addresses follow; an answer is built once per version
and kept in the shared cache, and its ETag lets a crawler's next visit end in a 304. robots.txt
names the index."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sites.requests import RequestSite
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from partnerportal import __version__

#: How long a built sitemap is kept even if its version does not move (a page's go-live time).
CACHE_SECONDS = 60 * 60
MAX_AGE = 60 * 60


@dataclass(frozen=True)
class SitemapSection:
    name: str
    #: sitemap(request) -> a django.contrib.sitemaps.Sitemap
    sitemap: Callable[[HttpRequest], Sitemap]
    #: The change version of the data the addresses come from.
    version: Callable[[], float]


_SECTIONS: dict[str, SitemapSection] = {}


def sitemap_register(
    name: str, sitemap: Callable[[HttpRequest], Sitemap], *, version: Callable[[], float]
) -> None:
    """Add a section to sitemap.xml (called from an app's ready()); `name` appears in its
    address, /sitemap-<name>.xml."""
    _SECTIONS[name] = SitemapSection(name, sitemap, version)


def sitemap_sections() -> dict[str, SitemapSection]:
    return dict(_SECTIONS)


def _etag(request: HttpRequest, section: str | None = None) -> str:
    if not hasattr(request, "sitemap_etag"):
        sections = [_SECTIONS[section]] if section in _SECTIONS else list(_SECTIONS.values())
        versions = ",".join(f"{item.name}={item.version()!r}" for item in sections)
        # The address and its page, not any other query (?x=<random> builds nothing new).
        page = request.GET.get("p", "1")[:6]
        key = f"{__version__}|{versions}|{request.build_absolute_uri(request.path)}|{page}"
        request.sitemap_etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    return request.sitemap_etag


def _cached(request: HttpRequest, build: Callable[[], HttpResponse]) -> HttpResponse:
    key = f"core:sitemap:{_etag(request, getattr(request, 'sitemap_section', None))}"
    cached = cache.get(key)
    if cached is not None:
        return HttpResponse(cached, content_type="application/xml")
    response = build()
    if hasattr(response, "render"):
        response.render()
    if response.status_code == 200:
        cache.set(key, response.content, CACHE_SECONDS)
    return response


def _public(response: HttpResponse) -> HttpResponse:
    if response.status_code in (200, 304):
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    else:
        del response["ETag"]
    return response


@require_safe
@condition(etag_func=lambda request: _etag(request))
def _index(request: HttpRequest) -> HttpResponse:
    sitemaps = {name: section.sitemap(request) for name, section in _SECTIONS.items()}
    return _cached(
        request,
        lambda: sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap_section"),
    )


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Public: the index of every section and page of the sitemap."""
    return _public(_index(request))


def urlset_xml(urls: list[dict]) -> str:
    """A <urlset> of the entries Sitemap.get_urls() gives, as Django's sitemap.xml template
    writes it, but built as a string: the template took 5 s for 10,000 addresses with their
    language alternates."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
        'sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        lastmod = url.get("lastmod")
        if lastmod:
            parts.append(f"<lastmod>{lastmod.strftime('%Y-%m-%d')}</lastmod>")
        if url.get("changefreq"):
            parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
        if url.get("priority"):
            parts.append(f"<priority>{escape(str(url['priority']))}</priority>")
        for alternate in url.get("alternates") or ():
            parts.append(
                f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                f'href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts)


def _urlset(request: HttpRequest, sitemap: Sitemap) -> HttpResponse:
    page = request.GET.get("p", "1")
    try:
        urls = sitemap.get_urls(page=page, site=RequestSite(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger) as error:
        raise Http404 from error
    return HttpResponse(urlset_xml(urls), content_type="application/xml")


@require_safe
@condition(etag_func=lambda request, section: _etag(request, section))
def _section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in _SECTIONS:
        raise Http404
    request.sitemap_section = section
    return _cached(request, lambda: _urlset(request, _SECTIONS[section].sitemap(request)))


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """Public: one section (one page of it with ?p=N). Unknown section or page: 404."""
    return _public(_section(request, section))


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Public: crawlers may read the public pages, not the back office, accounts or work pages;
    the sitemap is named."""
    sitemap = request.build_absolute_uri(reverse("sitemap_index"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /*/konto/",
        "Disallow: /*/aktivitaet/",
        "Disallow: /*/aenderungen/",
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response
