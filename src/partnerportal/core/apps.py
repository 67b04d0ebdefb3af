from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "partnerportal.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import tasks
        from .schedule import job_register
        from .setup import cache_tables_after_migrate, locales_after_migrate

        job_register("sessions_clear", timedelta(days=1), tasks.sessions_clear)

        post_migrate.connect(
            cache_tables_after_migrate, sender=self, dispatch_uid="partnerportal.core.cache_tables"
        )
        post_migrate.connect(
            locales_after_migrate, sender=self, dispatch_uid="partnerportal.core.locales"
        )
