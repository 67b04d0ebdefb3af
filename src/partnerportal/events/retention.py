"""Personal data of participants is kept only as long as the event needs it (issue 12): after
the event's end plus its series' retention period (EVENTS_RETENTION_DAYS for an event without a
series), a scheduled job anonymises its registrations.

What stays is what the statistics count and nobody can be recognised by: the status, the
participant group, the municipality (a public body, not a person), the language and whether and
when the person was checked in. Everything that names or describes the person goes: name,
e-mail, account link, passport data, answers, needs, free text, the self-service link and the
check-in code. The same function serves the erasure of a person's data (personal_data.py).

Anonymising is idempotent: rows already anonymised are not touched again, so the job can run as
often as cron likes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task

from .models import Delegation, Event, Registration

logger = logging.getLogger(__name__)

#: The fields cleared, with the value they get. Kept: status, group, municipality, language,
#: checked_in_at, the dates of the registration's life (queued, confirmed, cancelled).
ANONYMISED_VALUES: dict[str, object] = {
    "name": "",
    "email": "",
    "user": None,
    "municipality_text": "",
    "role": "",
    "answers": {},
    "dietary_needs": "",
    "interpretation_needs": "",
    "nationality": None,
    "passport_number": "",
    "birth_date": None,
    "travel_support_note": "",
    "access_token_hash": None,
    "check_in_code": "",
}


def default_retention_days() -> int:
    return getattr(settings, "EVENTS_RETENTION_DAYS", 365)


def retention_days(event: Event) -> int:
    return event.series.retention_days if event.series_id else default_retention_days()


def retention_ends(event: Event) -> datetime:
    return event.ends_at + timedelta(days=retention_days(event))


def registrations_anonymise(queryset: models.QuerySet[Registration]) -> int:
    """Anonymise the registrations in `queryset` not yet anonymised; returns how many.

    One UPDATE, not a save per row: nothing here needs the model's logic, and a conference's
    thousand participants go in one statement. Delegations whose members are all anonymised
    lose their registrant's name and address too."""
    now = timezone.now()
    with transaction.atomic():
        pending = queryset.filter(anonymised_at__isnull=True)
        delegation_ids = set(
            pending.exclude(delegation_id=None).values_list("delegation_id", flat=True)
        )
        count = Registration.objects.filter(pk__in=pending.values("pk")).update(
            **ANONYMISED_VALUES, anonymised_at=now, updated_at=now
        )
        if delegation_ids:
            still_personal = Registration.objects.filter(
                delegation_id__in=delegation_ids, anonymised_at__isnull=True
            ).values("delegation_id")
            Delegation.objects.filter(pk__in=delegation_ids).exclude(pk__in=still_personal).update(
                registrant_name="", registrant_email=""
            )
    return count


def events_due_for_anonymisation(*, at: datetime | None = None) -> list[Event]:
    """Events past their retention period that still hold personal data. The shortest possible
    period narrows the query; each event's own period decides."""
    at = at or timezone.now()
    personal = Registration.objects.filter(event=models.OuterRef("pk"), anonymised_at__isnull=True)
    candidates = Event.objects.filter(models.Exists(personal), ends_at__lt=at).select_related(
        "series"
    )
    return [event for event in candidates if retention_ends(event) <= at]


def retention_apply(*, at: datetime | None = None) -> dict[str, int]:
    """Anonymise every registration whose retention period has ended. Returns the figures for
    the log: events concerned and registrations anonymised."""
    events = events_due_for_anonymisation(at=at)
    anonymised = 0
    for event in events:
        anonymised += registrations_anonymise(Registration.objects.filter(event=event))
    if anonymised:
        logger.info("Retention: %d registrations of %d events anonymised", anonymised, len(events))
    return {"events": len(events), "registrations": anonymised}


@task()
def registrations_retention_run() -> dict[str, int]:
    """The daily job (registered in EventsConfig.ready)."""
    return retention_apply()
