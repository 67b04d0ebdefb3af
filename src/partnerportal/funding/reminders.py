"""Reminders before final-report deadlines: applicants are told FUNDING_REPORT_REMINDER_DAYS
before the date in the decision, once per application and deadline (a ReportReminder row; a
deadline moved by a change request is a new deadline and is reminded of again)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Application, ApplicationState, ReportReminder, ReportState
from .selectors import applicant_people, application_url


def reminder_days() -> int:
    return int(getattr(settings, "FUNDING_REPORT_REMINDER_DAYS", 14))


def report_reminders_send(*, today: date | None = None) -> int:
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    today = today or timezone.localdate()
    horizon = today + timedelta(days=reminder_days())
    due = (
        Application.objects.filter(
            state=ApplicationState.APPROVED,
            decision__report_due_on__gte=today,
            decision__report_due_on__lte=horizon,
        )
        .exclude(final_report__state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED])
        .select_related("decision", "created_by")
    )
    sent = 0
    for application in due:
        due_on = application.decision.report_due_on
        try:
            with transaction.atomic():
                ReportReminder.objects.create(application=application, due_on=due_on)
                notify(
                    event=Event.FUNDING_REPORT_DUE,
                    recipients=applicant_people(application),
                    target=application,
                    context={
                        "due_on": due_on.isoformat(),
                        "url": application_url(application, "funding:final_report"),
                    },
                )
        except IntegrityError:  # reminded of this deadline already
            continue
        sent += 1
    return sent
