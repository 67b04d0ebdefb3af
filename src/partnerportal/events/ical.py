"""iCalendar (RFC 5545) feeds of events with the icalendar library (issue 12).

Every VEVENT carries its times in the event's own zone (DTSTART;TZID=Africa/Lagos:…) and the
calendar a VTIMEZONE for each zone used, so calendar programs show the right local time
whichever zone they are in. An event known only to its year or month (the series history) is an
all-day entry over that span. evreg attaches `event_ical` to the confirmation e-mails."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings

from .models import DatePrecision, Event

if TYPE_CHECKING:
    from icalendar import Event as VEvent

PRODID = "-//Partnerportal//Veranstaltungen//DE"


def _uid(event: Event) -> str:
    host = getattr(settings, "ICAL_UID_DOMAIN", "") or "partnerportal"
    return f"event-{event.pk}@{host}"


def _location(event: Event) -> str:
    parts = [event.venue, event.address, event.place]
    if event.country_id and event.country is not None:
        parts.append(event.country.name)
    text = ", ".join(p for p in parts if p)
    return text or event.online_url


def _vevent(event: Event, *, url: str = "") -> VEvent:
    from icalendar import Event as VEvent

    entry = VEvent()
    entry.add("uid", _uid(event))
    entry.add("dtstamp", event.updated_at or event.created_at)
    entry.add("summary", event.title)
    zone = zoneinfo.ZoneInfo(event.timezone)
    if event.date_precision == DatePrecision.DAY:
        entry.add("dtstart", event.starts_at.astimezone(zone))
        entry.add("dtend", event.ends_at.astimezone(zone))
    else:  # a whole month or year: all-day, the end exclusive
        entry.add("dtstart", event.starts_at.astimezone(zone).date())
        entry.add("dtend", event.ends_at.astimezone(zone).date() + dt.timedelta(days=1))
    description = "\n\n".join(p for p in (event.summary, url) if p)
    if description:
        entry.add("description", description)
    location = _location(event)
    if location:
        entry.add("location", location)
    if url:
        entry.add("url", url)
    if event.status == Event.Status.CANCELLED:
        entry.add("status", "CANCELLED")
    else:
        entry.add("status", "CONFIRMED")
    entry.add("sequence", max(event.version - 1, 0))
    return entry


def calendar_ical(events: Iterable[Event], *, name: str, url_for=None, method: str = "") -> bytes:
    """A VCALENDAR of `events` with one VTIMEZONE per zone used; `url_for(event)` gives each
    event's page address. The icalendar library is loaded here, when a calendar is asked for
    (a `migrate` in an environment made before it was pinned still runs)."""
    from icalendar import Calendar, Timezone

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", name)
    events = list(events)
    zones = sorted({e.timezone for e in events if e.date_precision == DatePrecision.DAY})
    for zone_name in zones:
        mine = [e for e in events if e.timezone == zone_name]
        first = min(e.starts_at for e in mine)
        last = max(e.ends_at for e in mine)
        cal.add_component(
            Timezone.from_tzinfo(
                zoneinfo.ZoneInfo(zone_name),
                first_date=(first - dt.timedelta(days=366)).date(),
                last_date=(last + dt.timedelta(days=366)).date(),
            )
        )
    for event in events:
        cal.add_component(_vevent(event, url=url_for(event) if url_for else ""))
    return cal.to_ical()


def event_ical(event: Event, *, url: str = "", method: str = "PUBLISH") -> bytes:
    """One event as a calendar (the event page's link; an e-mail attachment)."""
    return calendar_ical([event], name=event.title, url_for=lambda e: url, method=method)
