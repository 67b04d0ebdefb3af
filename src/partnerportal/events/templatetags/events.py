"""Template filters of the events pages: an event's date as far as it is known."""

from django import template

from ..display import event_when

register = template.Library()


@register.filter(name="event_when")
def event_when_filter(event) -> str:
    return event_when(event)
