from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "partnerportal.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register

        from .actions import EventsAction

        actions_register(EventsAction)
