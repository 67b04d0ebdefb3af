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
        # Organisers (issue 12): audit labels, messages sent at their time, retention, DSGVO.
        from datetime import timedelta

        from partnerportal.accounts.personal_data import personal_data_register
        from partnerportal.core.schedule import job_register

        from .actions import EventsOrganiserAction, EventsRegistrationAction
        from .organising import event_messages_send_due
        from .personal_data import PROVIDER
        from .retention import registrations_retention_run

        actions_register(EventsOrganiserAction)
        actions_register(EventsRegistrationAction)
        # A registration's state changes only through its services (seats, waiting list,
        # e-mails): its history is shown, never reverted (ADR 0013).
        from partnerportal.audit.restore import restorer_register

        from .models import Registration
        from .registration_history import registration_restore_refuse

        restorer_register(Registration, registration_restore_refuse)
        job_register("event_messages_send_due", timedelta(minutes=5), event_messages_send_due)
        job_register(
            "event_registrations_retention", timedelta(days=1), registrations_retention_run
        )
        personal_data_register(PROVIDER)

        # Calendar (evcal): the series history after migrate, the events of a municipality or
        # a country on its page (registry/sections.py).
        from django.db.models.signals import post_migrate

        from partnerportal.registry.sections import section_provider_register

        from .signals import history_after_migrate
        from .views.calendar import events_section

        post_migrate.connect(
            history_after_migrate, sender=self, dispatch_uid="partnerportal.events.history"
        )
        section_provider_register(events_section)

        # Speed (evspeed): what the calendar and event pages cache lasts until events change.
        from .changes import change_receivers_connect

        change_receivers_connect()
