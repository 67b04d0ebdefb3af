"""The atlas's section of sitemap.xml (registered with core in AtlasConfig.ready): the pages of
the Länder and of every country with a public partnership, the map and the statistics, in every
language with the others as hreflang alternates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from partnerportal.geo.models import Country
from partnerportal.registry.models import Municipality, Partnership
from partnerportal.registry.selectors.places import state_slug
from partnerportal.registry.selectors.public import FEDERAL_STATES


class PlaceSitemap(Sitemap):
    limit = 10_000
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, request=None) -> None:
        self.request = request
        self.languages = [code for code, _name in settings.LANGUAGES]

    def items(self) -> list[tuple[str, tuple]]:
        public = Partnership.objects.public()
        involved = Municipality.objects.filter(
            Q(pk__in=public.values("municipality_a")) | Q(pk__in=public.values("municipality_b"))
        )
        known = Country.objects.filter(pk__in=involved.order_by().values("country_id"))
        known = known.order_by("pk").values_list("pk", flat=True)
        return [
            ("atlas:map", ()),
            ("atlas:statistics", ()),
            *(("registry:state_detail", (state_slug(state),)) for state in FEDERAL_STATES),
            *(("registry:country_detail", (iso2,)) for iso2 in known),
        ]

    def location(self, item: tuple[str, tuple]) -> str:
        name, args = item
        return reverse(name, args=args)

    def get_latest_lastmod(self):
        return None
