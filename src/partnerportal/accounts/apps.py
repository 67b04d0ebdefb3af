from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partnerportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from partnerportal.core.schedule import job_register

        from . import signals, tasks  # noqa: F401

        job_register(
            "invitations_expire_cleanup", timedelta(hours=1), tasks.invitations_expire_cleanup
        )
