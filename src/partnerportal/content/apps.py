from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "partnerportal.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from partnerportal.core.i18n import translations_register

        from . import signals
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
        post_migrate.connect(
            signals.site_after_migrate, sender=self, dispatch_uid="partnerportal.content.site"
        )
