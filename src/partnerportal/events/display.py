"""How an event's time reads (issue 12): in the event's own time zone, and in German time
(the portal's zone) where that differs; by the precision the date is known to, so an event of
the history known only by its year reads "2013", never "1 January 2013"."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from babel import dates as babel_dates
from django.conf import settings

from partnerportal.core.i18n import babel_locale

from .models import DatePrecision, Event


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def span_text(starts_at: dt.datetime, ends_at: dt.datetime, zone_name: str) -> str:
    """ "12. März 2027, 09:00–17:00" or "12. März 2027, 09:00 – 14. März 2027, 12:30"."""
    zone = _zone(zone_name)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    locale = babel_locale()
    day = babel_dates.format_date(start.date(), format="long", locale=locale)
    start_time = babel_dates.format_time(start.time(), format="short", locale=locale)
    end_time = babel_dates.format_time(end.time(), format="short", locale=locale)
    if start.date() == end.date():
        return f"{day}, {start_time}–{end_time}"
    end_day = babel_dates.format_date(end.date(), format="long", locale=locale)
    return f"{day}, {start_time} – {end_day}, {end_time}"


def zone_label(zone_name: str, at: dt.datetime) -> str:
    """ "Europe/Berlin (UTC+01:00)": the zone's name and its offset at that moment."""
    offset = at.astimezone(_zone(zone_name)).strftime("%z")
    return f"{zone_name} (UTC{offset[:3]}:{offset[3:]})"


def event_when(event: Event, *, times: bool = False) -> str:
    """The event's date as far as it is known, in its own zone and the current language (babel):
    "12. März 2027 – 14. März 2027" for lists and pages; with `times` (the e-mails) also the
    hours and the zone, "12. März 2027, 09:00 – 14. März 2027, 17:00 (Europe/Berlin)". A date
    known only to the month or year reads "September 2022" or "2013" either way."""
    locale = babel_locale()
    start = event.starts_at.astimezone(_zone(event.timezone))
    if event.date_precision == DatePrecision.YEAR:
        return str(start.year)
    if event.date_precision == DatePrecision.MONTH:
        return babel_dates.format_skeleton("yMMMM", start, locale=locale)
    if times:
        return f"{span_text(event.starts_at, event.ends_at, event.timezone)} ({event.timezone})"
    end = event.ends_at.astimezone(_zone(event.timezone))
    first = babel_dates.format_date(start.date(), format="long", locale=locale)
    if start.date() == end.date():
        return first
    return f"{first} – {babel_dates.format_date(end.date(), format='long', locale=locale)}"


def event_times(event: Event) -> list[dict[str, str]]:
    """The lines of "When" on the event page: in the event's zone, then in German time if it
    differs. Nothing for a date known only to the month or year."""
    if event.date_precision != DatePrecision.DAY:
        return []
    lines = [
        {
            "text": span_text(event.starts_at, event.ends_at, event.timezone),
            "zone": zone_label(event.timezone, event.starts_at),
            "kind": "event",
        }
    ]
    home = settings.TIME_ZONE
    if _offsets(event.timezone, event) != _offsets(home, event):
        lines.append(
            {
                "text": span_text(event.starts_at, event.ends_at, home),
                "zone": zone_label(home, event.starts_at),
                "kind": "portal",
            }
        )
    return lines


def _offsets(zone_name: str, event: Event) -> tuple:
    zone = _zone(zone_name)
    return (
        event.starts_at.astimezone(zone).utcoffset(),
        event.ends_at.astimezone(zone).utcoffset(),
    )
