from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "partnerportal.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from partnerportal.core.i18n import translations_register
        from partnerportal.core.schedule import job_register
        from partnerportal.registry.editor_tools import (
            partnership_editor_actions_register,
            work_page_section_register,
        )
        from partnerportal.registry.sections import (
            MapLayer,
            map_layer_register,
            section_provider_register,
            theme_url_register,
        )

        from . import editor_tools, signals, tasks, views
        from .models import ArticleIndexPage, HomePage, page_context_register
        from .selectors import page_translation_urls
        from .slugs import slug_widget_register

        # The language links of a Wagtail page lead to its translations.
        translations_register(page_translation_urls)
        # Slugs from titles read "fuer", not "für" or "fur" (content/slugs.py).
        slug_widget_register()
        # sitemap.xml lists the pages in every language; they follow the layout's version.
        from partnerportal.core.sitemaps import sitemap_register

        from .selectors import LAYOUT_VERSION
        from .sitemaps import PageSitemap

        sitemap_register("seiten", PageSitemap, version=LAYOUT_VERSION.current)
        # Pages with a "go live" or "expiry" date: published and unpublished within minutes
        # (cron calls run_scheduled every 5 minutes; a shorter interval makes every call do it).
        job_register("pages_publish_scheduled", timedelta(minutes=1), tasks.pages_publish_scheduled)
        # Municipal editors submit practice examples from their work page and partnership pages.
        work_page_section_register(editor_tools.work_page_section)
        partnership_editor_actions_register(editor_tools.partnership_actions)
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
        # Live public pages are found by the site's search.
        from .search import search_register

        search_register()
        post_migrate.connect(
            signals.site_after_migrate, sender=self, dispatch_uid="partnerportal.content.site"
        )
