"""`{% registration_state event as box %}`: what the registration box of an event page shows
(seats free, places on the waiting list, why registration is closed), so that the page that
includes the box needs only `event` in its context."""

from django import template

from ..registrations import event_seat_summary, registration_closed_reason

register = template.Library()


@register.simple_tag
def registration_state(event, summary=None) -> dict:
    """`summary`: the event's seat summary if the page counted it already (the event page)."""
    return {
        "closed": registration_closed_reason(event),
        "seats": summary or event_seat_summary(event),
    }
