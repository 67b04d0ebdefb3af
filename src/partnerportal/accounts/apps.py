from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partnerportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from . import signals  # noqa: F401
