"""Travel cost support asked for with an event registration becomes a draft funding application
(ADR 0012: funding connects to events' `travel_support_requested`; events imports nothing of
funding). The draft belongs to the registrant's municipality: its editors find it under
"My applications", complete the cost plan and submit it like any other."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from partnerportal.audit.services import attribute_change

from .actions import FundingAction
from .models import Application, ApplicationState, FundingInstrument
from .permissions import can_apply

logger = logging.getLogger(__name__)


def registration_origin(registration) -> str:
    return f"events.registration:{registration.pk}"


def application_from_travel_support(*, registration) -> Application | None:
    """The draft for one registration, made once (a second signal finds the first draft).
    Nothing is made when the installation names no open travel-cost instrument
    (`FUNDING_TRAVEL_SUPPORT_INSTRUMENT`), or the registrant is not logged in as an editor of
    the municipality they named (anyone may register and name any municipality; only its own
    editors may start its applications): then the request stays on the registration for the
    organisers to see."""
    instrument = FundingInstrument.objects.filter(
        slug=settings.FUNDING_TRAVEL_SUPPORT_INSTRUMENT, is_active=True
    ).first()
    municipality = registration.municipality
    user = registration.user
    if instrument is None or municipality is None or user is None:
        return None
    if not can_apply(user, municipality):
        return None
    origin = registration_origin(registration)
    event = registration.event
    with transaction.atomic():
        existing = Application.objects.select_for_update().filter(origin=origin).first()
        if existing is not None:
            return existing
        with override(settings.LANGUAGE_CODE):
            title = _("Travel to “%(event)s”") % {"event": event.title}
        application = Application(
            instrument=instrument,
            applicant=municipality,
            created_by=user,
            state=ApplicationState.DRAFT,
            step="partnership",
            origin=origin,
            title=title[:200],
            measure=registration.travel_support_note,
            starts_on=timezone.localdate(event.starts_at),
            ends_on=timezone.localdate(event.ends_at),
        )
        attribute_change(application, actor=None, action=FundingAction.APPLICATION_CREATED)
        application.save()
    return application


def travel_support_requested_receiver(sender, *, registration, **kwargs) -> None:
    application = application_from_travel_support(registration=registration)
    if application is None:
        logger.info("travel support of registration %s: no draft application", registration.pk)
