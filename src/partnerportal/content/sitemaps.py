"""The sitemap's section of Wagtail pages: every page the public may read now, in every language,
each with its translations as hreflang alternates (registered in ContentConfig.ready).

Wagtail's own sitemap lists the descendants of the site's root page, which is the German home
page: the English tree, a translation beside it, would be missing. Here every translation of the
root counts. Addresses are relative to the request's host, as Django's sitemaps make them."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.http import HttpRequest
from wagtail.models import Page, Site

from .publishing import visible_now


class PageSitemap(Sitemap):
    limit = 10_000

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def items(self):
        site = (
            Site.find_for_request(self.request) or Site.objects.filter(is_default_site=True).first()
        )
        if site is None:
            return Page.objects.none()
        roots = Page.objects.filter(translation_key=site.root_page.translation_key)
        in_tree = Q()
        for path in roots.values_list("path", flat=True):
            in_tree |= Q(path__startswith=path)
        return (
            visible_now(Page.objects.filter(in_tree))
            .select_related("locale")
            .only(
                "pk",
                "path",
                "depth",
                "url_path",
                "translation_key",
                "locale__language_code",
                "last_published_at",
                "latest_revision_created_at",
            )
            .order_by("path")
        )

    def lastmod(self, page: Page):
        return page.last_published_at or page.latest_revision_created_at

    def get_latest_lastmod(self):
        latest = self.items().order_by("-last_published_at").first()
        return self.lastmod(latest) if latest else None

    def _urls(self, page, protocol, domain):
        """Django's entries, with each page's live translations as alternates (one query per
        sitemap page for all of them)."""
        urls = super()._urls(page, protocol, domain)
        keys = {url["item"].translation_key for url in urls}
        translations: dict = {}
        for other in visible_now(Page.objects.filter(translation_key__in=keys)).select_related(
            "locale"
        ):
            translations.setdefault(other.translation_key, []).append(other)
        for url in urls:
            others = sorted(
                translations.get(url["item"].translation_key, []),
                key=lambda other: other.locale.language_code,
            )
            if len(others) < 2:
                continue
            url["alternates"] = [
                {
                    "lang_code": other.locale.language_code,
                    "location": f"{protocol}://{domain}{other.get_url(self.request)}",
                }
                for other in others
            ]
            default = [o for o in others if o.locale.language_code == settings.LANGUAGE_CODE]
            if default:
                url["alternates"].append(
                    {
                        "lang_code": "x-default",
                        "location": f"{protocol}://{domain}{default[0].get_url(self.request)}",
                    }
                )
        return urls

    def location(self, page: Page) -> str:
        return page.get_url(self.request)
