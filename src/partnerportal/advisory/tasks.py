"""Scheduled jobs of advisory cases (registered in AdvisoryConfig.ready with core.schedule):
reminders of due dates to the advisor, and the anonymisation of closed cases once their
retention period (ADVISORY_CASE_RETENTION_DAYS) has passed. Both may run twice without harm."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

#: How many days before the due date the advisor is reminded.
REMINDER_LEAD_DAYS = 2


@task()
def advisory_cases_remind_due() -> int:
    """Remind each advisor once per due date of open cases due within two days (or overdue).
    Without an advisor, nobody is reminded: the dashboard lists those cases as unassigned."""
    from partnerportal.notifications.events import Event
    from partnerportal.notifications.services import notify

    from .cases import case_url
    from .models import Case
    from .models.cases import OPEN_STATES

    today = timezone.localdate()
    due = (
        Case.objects.filter(
            state__in=OPEN_STATES,
            advisor__isnull=False,
            anonymised_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=REMINDER_LEAD_DAYS),
        )
        .exclude(reminder_sent_for=F("due_on"))
        .select_related("advisor")
    )
    sent = 0
    for case in due:
        with transaction.atomic():
            notify(
                event=Event.ADVISORY_CASE_DUE,
                recipients=[case.advisor],
                target=case,
                context={
                    "url": case_url(case, language=case.advisor.language or "de"),
                    "due_on": case.due_on.isoformat(),
                },
            )
            Case.objects.filter(pk=case.pk).update(reminder_sent_for=case.due_on)
        sent += 1
    logger.info("Advisory due-date reminders sent: %d", sent)
    return sent


@task()
def advisory_cases_anonymise_expired() -> int:
    """Anonymise closed cases whose retention period has passed; their statistics stay."""
    from .cases import case_anonymise
    from .models import Case

    days = getattr(settings, "ADVISORY_CASE_RETENTION_DAYS", 730)
    cutoff = timezone.now() - dt.timedelta(days=days)
    done = 0
    for case in Case.objects.filter(
        state="closed", closed_at__lt=cutoff, anonymised_at__isnull=True
    ).only("pk"):
        case_anonymise(case=case, actor=None)
        done += 1
    logger.info("Closed advisory cases anonymised after %d days: %d", days, done)
    return done
