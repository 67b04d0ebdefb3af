"""Helpers of the calendar's tests (evcal): events made through the service, as staff would."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

from django.utils import timezone

from partnerportal.events.models import Event, Registration

_numbers = itertools.count(1)


def make_event(**fields) -> Event:
    """A published public event in ten days (Berlin time) unless `fields` say otherwise; made
    directly (services are tested on their own)."""
    number = next(_numbers)
    zone = zoneinfo.ZoneInfo(fields.pop("timezone", "Europe/Berlin"))
    start = fields.pop("starts_at", None) or (
        timezone.now().astimezone(zone).replace(hour=9, minute=0, second=0, microsecond=0)
        + dt.timedelta(days=10)
    )
    end = fields.pop("ends_at", None) or start + dt.timedelta(hours=8)
    hosts = fields.pop("hosts", [])
    partner_countries = fields.pop("partner_countries", [])
    event = Event.objects.create(
        title=fields.pop("title", f"Testveranstaltung {number}"),
        slug=fields.pop("slug", f"test-{number}"),
        starts_at=start,
        ends_at=end,
        timezone=str(zone),
        **fields,
    )
    if hosts:
        event.host_municipalities.set(hosts)
    if partner_countries:
        event.partner_countries.set(partner_countries)
    return event


def register(event: Event, count: int, status: str = Registration.Status.CONFIRMED) -> None:
    Registration.objects.bulk_create(
        Registration(event=event, status=status, name=f"P{i}", email=f"p{i}@example.org")
        for i in range(count)
    )
