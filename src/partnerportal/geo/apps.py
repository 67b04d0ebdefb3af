from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "partnerportal.geo"
    label = "geo"
    verbose_name = _("Countries and regions")

    def ready(self) -> None:
        from .signals import countries_after_migrate

        post_migrate.connect(
            countries_after_migrate, sender=self, dispatch_uid="partnerportal.geo.countries"
        )
