from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "partnerportal.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from . import signals

        post_migrate.connect(
            signals.site_after_migrate, sender=self, dispatch_uid="partnerportal.content.site"
        )
