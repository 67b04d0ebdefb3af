from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "partnerportal.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from .actions import history_record_check

        # Every history record's action must be one an app registered, with its label.
        pre_create_historical_record.connect(
            history_record_check, dispatch_uid="partnerportal.audit.action_check"
        )
