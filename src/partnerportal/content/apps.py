from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "partnerportal.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self) -> None:
        from . import signals  # noqa: F401
