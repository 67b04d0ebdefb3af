from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "partnerportal.geo"
    label = "geo"
    verbose_name = _("Countries and regions")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register

        from .actions import GeoAction
        from .signals import countries_after_migrate

        actions_register(GeoAction)

        post_migrate.connect(
            countries_after_migrate, sender=self, dispatch_uid="partnerportal.geo.countries"
        )
