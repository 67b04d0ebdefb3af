"""Small factories for the organisers' tests: events and registrations made with the ORM
directly (registering through the form and the waiting list is registrations.py's, tested
there)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from partnerportal.events.models import Delegation, Event, EventSeries, Registration

_numbers = itertools.count(1)


def event_make(**fields) -> Event:
    number = next(_numbers)
    starts_at = fields.pop("starts_at", timezone.now() + timedelta(days=30))
    values = {
        "title": f"Partnerschaftskonferenz {number}",
        "slug": f"konferenz-{number}",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=8),
        "place": "Bonn",
        "venue": "World Conference Center",
        "capacity": 100,
        "registration_open": True,
    }
    values.update(fields)
    return Event.objects.create(**values)


def series_make(**fields) -> EventSeries:
    number = next(_numbers)
    values = {"slug": f"reihe-{number}", "name": f"Reihe {number}", "format": "round_table"}
    values.update(fields)
    return EventSeries.objects.create(**values)


def registration_make(event: Event, **fields) -> Registration:
    number = next(_numbers)
    values = {
        "event": event,
        "status": Registration.Status.CONFIRMED,
        "name": f"Teilnehmerin {number}",
        "email": f"teilnehmerin{number}@example.org",
        "language": "de",
        "role": "Referentin",
    }
    values.update(fields)
    if values["status"] == Registration.Status.CONFIRMED:
        values.setdefault("confirmed_at", timezone.now())
    return Registration.objects.create(**values)


def delegation_make(event: Event, size: int = 3, **fields) -> tuple[Delegation, list[Registration]]:
    number = next(_numbers)
    values = {
        "event": event,
        "registrant_name": f"Delegationsleitung {number}",
        "registrant_email": f"leitung{number}@example.org",
    }
    values.update(fields)
    status = values.pop("status", Registration.Status.CONFIRMED)
    delegation = Delegation.objects.create(**values)
    members = [
        registration_make(
            event, delegation=delegation, municipality=delegation.municipality, status=status
        )
        for _ in range(size)
    ]
    return delegation, members
