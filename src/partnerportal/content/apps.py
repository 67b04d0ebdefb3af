from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "partnerportal.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from partnerportal.core.i18n import translations_register
        from partnerportal.registry.sections import (
            MapLayer,
            map_layer_register,
            section_provider_register,
            theme_url_register,
        )

        from . import signals, views
        from .models import ArticleIndexPage, HomePage, page_context_register
        from .selectors import page_translation_urls

        # The language links of a Wagtail page lead to its translations.
        translations_register(page_translation_urls)
        # The article list and the home page read through content's selectors.
        page_context_register(ArticleIndexPage, views.article_index_context)
        page_context_register(HomePage, views.home_context)
        # "News and practice examples" on the registry's and atlas's pages, theme links, and
        # the practice examples as a layer of the atlas's map (registry/sections.py).
        section_provider_register(views.related_articles_section)
        theme_url_register(views.theme_url_resolver)
        map_layer_register(
            MapLayer(
                key="practice",
                label=_("Practice examples"),
                url_name="content:practice_examples_geojson",
                empty_label=_("No practice examples yet."),
            )
        )
        post_migrate.connect(
            signals.site_after_migrate, sender=self, dispatch_uid="partnerportal.content.site"
        )
