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


class EventsRegistrationAction(models.TextChoices):
    """The life of a registration, in its history (ADR 0013): the record holds the state and
    ids; the code says what happened and, for a cancellation, on whose part."""

    REGISTERED = "events.registration_registered", _("registered")
    PROMOTED = "events.registration_promoted", _("moved up from the waiting list")
    OFFER_ACCEPTED = "events.registration_offer_accepted", _("offered seat accepted")
    OFFER_DECLINED = "events.registration_offer_declined", _("offered seat declined")
    OFFER_EXPIRED = "events.registration_offer_expired", _("offered seat expired")
    CANCELLED = "events.registration_cancelled", _("cancelled by the participant")
    CANCELLED_BY_ORGANISER = (
        "events.registration_cancelled_by_organiser",
        _("cancelled by the organisers"),
    )
    CANCELLED_ON_ERASURE = (
        "events.registration_cancelled_on_erasure",
        _("cancelled when the person's data was erased"),
    )
    CHECKED_IN = "events.registration_checked_in", _("checked in")
    CHECK_IN_UNDONE = "events.registration_check_in_undone", _("check-in undone")
    LINK_RENEWED = "events.registration_link_renewed", _("self-service link renewed")
    CERTIFICATE_SENT = "events.registration_certificate_sent", _("certificate of attendance sent")
