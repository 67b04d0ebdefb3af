"""The registry's sections of sitemap.xml (registered with core in RegistryConfig.ready): the
pages of the municipalities that have public partnerships, and of the public partnerships, in
every language with the others as hreflang alternates. A full installation has some 14,000 such
municipalities and 21,000 partnerships; a file holds at most `limit` addresses (each item
appears once per language), the index lists every file.

Items are (id, updated) pairs, not model instances, and the address is the detail page's prefix
plus the id (as the long tables build them): one reverse() per language, not per row."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from .models import Municipality, Partnership

#: Addresses per sitemap file (the protocol allows 50,000; smaller files are built faster).
LIMIT = 10_000


class _RegistrySitemap(Sitemap):
    limit = LIMIT
    i18n = True
    alternates = True
    x_default = True
    url_name = ""

    def __init__(self, request=None) -> None:
        self.request = request
        self.languages = [code for code, _name in settings.LANGUAGES]
        self._prefixes: dict[str, str] = {}

    def location(self, item: tuple) -> str:
        return f"{self._prefix(get_language())}{item[0]}/"

    def _prefix(self, language: str) -> str:
        if language not in self._prefixes:
            with translation.override(language):
                self._prefixes[language] = reverse(self.url_name, args=[0])[: -len("0/")]
        return self._prefixes[language]

    def _urls(self, page, protocol, domain):
        """What Django's Sitemap._urls gives, without a language switch and a reverse() for
        every address and alternate (that took 5 s for 10,000 partnerships)."""
        origin = f"{protocol}://{domain}"
        prefixes = {language: origin + self._prefix(language) for language in self.languages}
        default = settings.LANGUAGE_CODE
        neutral = origin + self._prefix(default).replace(f"/{default}/", "/", 1)
        urls = []
        for item, language in self.paginator.page(page).object_list:
            pk = item[0]
            alternates = [
                {"lang_code": code, "location": f"{prefixes[code]}{pk}/"} for code in self.languages
            ]
            alternates.append({"lang_code": "x-default", "location": f"{neutral}{pk}/"})
            urls.append(
                {
                    "item": item,
                    "location": f"{prefixes[language]}{pk}/",
                    "lastmod": self.lastmod(item),
                    "changefreq": None,
                    "priority": "",
                    "alternates": alternates,
                }
            )
        return urls


class MunicipalitySitemap(_RegistrySitemap):
    url_name = "registry:municipality_detail"

    def items(self) -> list[tuple]:
        public = Partnership.objects.public()
        involved = Exists(public.filter(municipality_a=OuterRef("pk"))) | Exists(
            public.filter(municipality_b=OuterRef("pk"))
        )
        return list(
            Municipality.objects.filter(involved).order_by("pk").values_list("pk", "updated_at")
        )

    def lastmod(self, item: tuple):
        return None  # its page changes with its partnerships, which its own date does not tell

    def get_latest_lastmod(self):
        return None


class PartnershipSitemap(_RegistrySitemap):
    url_name = "registry:partnership_detail"

    def items(self) -> list[tuple]:
        return list(Partnership.objects.public().order_by("pk").values_list("pk", "updated_at"))

    def lastmod(self, item: tuple):
        return item[1]

    def get_latest_lastmod(self):
        latest = Partnership.objects.public().order_by("-updated_at").first()
        return latest.updated_at if latest else None
