"""The one way dates and times are shown to people: in the portal's time zone (TIME_ZONE,
Europe/Berlin), in the reader's language. Templates use the `local_date` and `local_datetime`
filters (core.templatetags.partnerportal); code that writes text (e-mails, the audit trail's
values, the back office) calls these functions. Never `|date:` or `strftime` on a stored
datetime: those showed UTC in some places and local time in others."""

from __future__ import annotations

from datetime import date, datetime

from babel import dates as babel_dates
from django.utils import timezone

from .i18n import babel_locale

#: "22.11.2026" / "Nov 22, 2026": tables and short notes.
SHORT = "medium"
#: "22. November 2026" / "November 22, 2026": running text.
LONG = "long"


def local(value: datetime) -> datetime:
    """A stored (aware, UTC) datetime in the portal's time zone; a naive one as it is."""
    return timezone.localtime(value) if timezone.is_aware(value) else value


def display_date(value: date | datetime | None, format: str = LONG) -> str:
    """A date, or the local date of a datetime. `format`: "long" (default) or "short"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return babel_dates.format_date(
        value, format=SHORT if format == "short" else LONG, locale=babel_locale()
    )


def display_datetime(value: datetime | None) -> str:
    """A moment with its local time to the minute: "22.11.2026, 14:05" / "Nov 22, 2026, 2:05 PM"."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return display_date(value, "short")
    value = local(value)
    locale = babel_locale()
    day = babel_dates.format_date(value.date(), format=SHORT, locale=locale)
    time = babel_dates.format_time(value.time(), format="short", locale=locale)
    return (
        babel_dates.get_datetime_format(SHORT, locale=locale)
        .replace("{1}", day)
        .replace("{0}", time)
    )
