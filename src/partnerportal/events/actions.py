"""The events app's actions in the audit trail, with their labels (registered with audit in
EventsConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventsAction(models.TextChoices):
    EVENT_CREATED = "events.event_created", _("event created")
    EVENT_CHANGED = "events.event_changed", _("event changed")
    # Calendar and staff management (evcal)
    EVENT_INVITED = "events.municipality_invited", _("municipality invited to an event")
    SERIES_CREATED = "events.series_created", _("event series created")
    SERIES_CHANGED = "events.series_changed", _("event series changed")
    EVENT_HISTORY_LOADED = "events.history_loaded", _("event stored from the series history")


class EventsOrganiserAction(models.TextChoices):
    """What the organisers do with participants (organising.py)."""

    MESSAGE_SCHEDULED = "events.message_scheduled", _("message to participants written")
    MESSAGE_WITHDRAWN = "events.message_withdrawn", _("message to participants withdrawn")
