from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "partnerportal.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register

        from .actions import FundingAction

        actions_register(FundingAction)
