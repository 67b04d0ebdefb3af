from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisoryConfig(AppConfig):
    name = "partnerportal.advisory"
    label = "advisory"
    verbose_name = _("Advice and experts")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register

        from .actions import AdvisoryAction

        actions_register(AdvisoryAction)
