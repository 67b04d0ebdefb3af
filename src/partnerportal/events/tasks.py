"""Scheduled jobs of the registrations (registered in EventsConfig.ready with job_register):
offers nobody accepted in time are passed on, and participants are reminded before the event.
Both are safe to run twice: an expired offer is cancelled once (under the event's lock), a
reminder is claimed with a compare-and-set before it is sent."""

from django_tasks import task

from . import registrations


@task()
def registration_offers_expire() -> int:
    return registrations.offers_expire()


@task()
def registration_reminders_send() -> int:
    return registrations.reminders_send()
