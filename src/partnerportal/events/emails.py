"""The e-mails of a registration, in the participant's language, through the notifications
catalogue (`email_to_address`, sent by the `email_deliver` task after the commit).

Each e-mail is chosen from the registration's state: confirmed, waitlisted (with the position),
offered (with the deadline), promoted (a seat after waiting), cancelled (also: an offer that
expired), and the reminder before the event. Where the person has (or is offered) a seat the
e-mail carries the event as an iCal file with its time zone (VTIMEZONE), so that calendars show
the right local time. Every e-mail carries the self-service link."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from partnerportal.core.i18n import babel_locale
from partnerportal.notifications.events import Event as Notification
from partnerportal.notifications.services import email_to_address

from .display import event_when
from .ical import event_ical
from .models import Event, Registration
from .tokens import access_token_for

ICAL_FILENAME = "event.ics"
ICAL_MIMETYPE = "text/calendar"


def event_where(event: Event) -> str:
    parts = [p for p in (event.venue, event.address, event.place) if p]
    if event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def event_ical_attachment(event: Event) -> str:
    """The event as an iCal file (events.ical, the same as the event page's link)."""
    return event_ical(event, url=_absolute(_event_path(event))).decode()


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _event_path(event: Event) -> str:
    return reverse("events:event_detail", kwargs={"slug": event.slug})


def manage_url(registration: Registration) -> str:
    return _absolute(
        reverse("events:registration_manage", kwargs={"token": access_token_for(registration)})
    )


def registration_email(
    registration: Registration,
    *,
    promoted: bool = False,
    reminder: bool = False,
    expired: bool = False,
    link_renewed: bool = False,
    position: int | None = None,
) -> None:
    """Queue the e-mail that fits the registration's state (see the module docstring).
    `position`: the place on the waiting list if the caller has just counted it."""
    from .waitlist import waitlist_position

    status = registration.status
    Status = Registration.Status
    if reminder:
        kind = Notification.EVENT_REGISTRATION_REMINDER
    elif status == Status.CANCELLED:
        kind = Notification.EVENT_REGISTRATION_CANCELLED
    elif status == Status.OFFERED:
        kind = Notification.EVENT_REGISTRATION_OFFERED
    elif status == Status.WAITLISTED:
        kind = Notification.EVENT_REGISTRATION_WAITLISTED
    elif promoted:
        kind = Notification.EVENT_REGISTRATION_PROMOTED
    else:
        kind = Notification.EVENT_REGISTRATION_CONFIRMED
    event = registration.event
    language = registration.language or "de"
    with translation.override(language):
        context = {
            "name": registration.name,
            "event_title": event.title,
            "event_when": event_when(event, times=True),
            "event_where": event_where(event),
            "event_url": _absolute(_event_path(event)),
            "manage_url": manage_url(registration),
            "check_in_code": registration.check_in_code,
            "position": (
                (position or waitlist_position(registration)) if status == Status.WAITLISTED else ""
            )
            or "",
            "offered_until": (
                babel_dates.format_datetime(
                    registration.offered_until,
                    format="medium",
                    tzinfo=ZoneInfo(event.timezone),
                    locale=babel_locale(),
                )
                if registration.offered_until
                else ""
            ),
            "expired": expired,
            "link_renewed": link_renewed,
            "visa_letter": registration.needs_visa_letter and status == Status.CONFIRMED,
        }
    attachments = None
    if status in (Status.CONFIRMED, Status.OFFERED):
        attachments = [[ICAL_FILENAME, event_ical_attachment(event), ICAL_MIMETYPE]]
    email_to_address(
        event=kind,
        to_email=registration.email,
        language=language,
        context=context,
        attachments=attachments,
    )
