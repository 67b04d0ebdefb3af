from datetime import timedelta

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        # A locale changed here: forget the codes read so far (core.i18n.locale_language).
        for signal in (post_save, post_delete):
            signal.connect(
                _locale_codes_forget,
                sender="wagtailcore.Locale",
                dispatch_uid=f"partnerportal.core.locale_codes.{signal is post_save}",
            )


def _locale_codes_forget(**kwargs) -> None:
    from .i18n import locale_language

    locale_language.cache_clear()
