from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AtlasConfig(AppConfig):
    name = "partnerportal.atlas"
    label = "atlas"
    verbose_name = _("Atlas and statistics")

    def ready(self) -> None:
        from partnerportal.registry.figures import network_figures_register
        from partnerportal.registry.views.public import municipality_context_register

        from .selectors.figures import network_figures
        from .views.places import municipality_place_context

        # The municipality page shows the atlas's small charts of its partnerships.
        municipality_context_register(municipality_place_context)
        # The home page shows the head of the statistics page (registry/figures.py).
        network_figures_register(network_figures)
        # sitemap.xml lists the map, the statistics, the Land and the country pages.
        from partnerportal.core.sitemaps import sitemap_register
        from partnerportal.registry.changes import registry_version

        from .sitemaps import PlaceSitemap

        sitemap_register("orte", PlaceSitemap, version=registry_version)
