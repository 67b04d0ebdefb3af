"""Helpers of the registration tests (evreg): an open event and people to register."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from django.test import TestCase
from django.utils import timezone

from partnerportal.events.models import Event
from partnerportal.events.registrations import DelegationInfo, Person, registration_create

_numbers = count(1)


def event_make(**fields) -> Event:
    number = next(_numbers)
    start = timezone.now() + timedelta(days=30)
    values = {
        "title": f"Partnerschaftskonferenz {number}",
        "slug": f"konferenz-{number}-{timezone.now().timestamp():.0f}",
        "starts_at": start,
        "ends_at": start + timedelta(days=2),
        "timezone": "Europe/Berlin",
        "place": "Dresden",
        "venue": "Internationales Congress Center",
        "capacity": 2,
        "registration_open": True,
    }
    values.update(fields)
    return Event.objects.create(**values)


def person(name: str = "", **fields) -> Person:
    number = next(_numbers)
    name = name or f"Person {number}"
    return Person(name=name, email=f"p{number}@example.org", **fields)


def committed():
    """Run the on-commit callbacks (e-mails, signals) of the block, as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def register(event: Event, *people: Person, **delegation):
    with committed():
        return _register(event, *people, **delegation)


def _register(event: Event, *people: Person, **delegation):
    if len(people) > 1 or delegation:
        info = DelegationInfo(
            registrant_name="Amt für Partnerschaften",
            registrant_email="amt@example.org",
            **delegation,
        )
        return registration_create(event=event, people=list(people), delegation_info=info)
    return registration_create(event=event, people=list(people))
