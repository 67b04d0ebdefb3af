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

        # Registration (evreg): offers that expired are passed on; reminders before events.
        from datetime import timedelta

        from partnerportal.core.schedule import job_register

        from . import tasks

        job_register(
            "events_registration_offers_expire",
            timedelta(minutes=10),
            tasks.registration_offers_expire,
        )
        job_register(
            "events_registration_reminders_send",
            timedelta(hours=1),
            tasks.registration_reminders_send,
        )
