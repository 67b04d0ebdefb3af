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

        # The language links of a Wagtail page lead to its translations.
        translations_register(page_translation_urls)
        # Live public pages are found by the site's search.
        from .search import search_register

        search_register()
        post_migrate.connect(
            signals.site_after_migrate, sender=self, dispatch_uid="partnerportal.content.site"
        )
