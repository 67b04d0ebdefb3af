"""What the organisers of an event do with its participants: read the list and its figures,
check people in on the day, and write to them (issue 12, "Organisers").

Registering, the waiting list and cancelling are `registrations.py`'s; this module only reads
registrations, sets their check-in and sends the organisers' messages. Check-in is idempotent:
a code scanned twice (two volunteers at two doors, a phone that submits twice) counts once,
because the row is locked and `checked_in_at` is only set when it is empty."""

from __future__ import annotations

import logging
import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from partnerportal.audit.services import attribute_change
from partnerportal.notifications.events import Event as Notice
from partnerportal.notifications.services import email_to_address

from .actions import EventsOrganiserAction, EventsRegistrationAction
from .models import Event, EventMessage, Registration
from .permissions import can_manage_event
from .registration_history import registration_record

logger = logging.getLogger(__name__)

#: Letters and digits that cannot be mistaken for each other when typed from a badge (no 0/O,
#: 1/I/L): 31 symbols, 8 places, about 8.5 * 10^11 codes per event.
CHECK_IN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_IN_CODE_LENGTH = 8
#: A message may be dated a little in the past (the form was open for a while): it goes at once.
MESSAGE_PAST_TOLERANCE = timedelta(minutes=10)


# --- Check-in codes --------------------------------------------------------------------------


def check_in_code_new() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_CODE_LENGTH))


def check_in_code_normalise(text: str) -> str:
    """What a person types from a badge: lower case, spaces and dashes are forgiven."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def check_in_code_ensure(registration: Registration) -> str:
    """Give `registration` its check-in code if it has none, and return it.

    Called by the confirmation (registrations.py) and lazily wherever a code is shown (badges,
    the check-in page), so that every confirmed registration has one whichever way it got its
    seat. The (event, code) constraint is the guard: on the rare clash a new code is drawn."""
    if registration.check_in_code:
        return registration.check_in_code
    for _attempt in range(5):
        code = check_in_code_new()
        try:
            with transaction.atomic():
                updated = Registration.objects.filter(pk=registration.pk, check_in_code="").update(
                    check_in_code=code
                )
        except IntegrityError:
            continue
        if not updated:
            # Someone else gave it a code meanwhile: use theirs.
            code = Registration.objects.values_list("check_in_code", flat=True).get(
                pk=registration.pk
            )
        registration.check_in_code = code
        return code
    raise RuntimeError("No free check-in code after five attempts")


def check_in_codes_ensure(event: Event) -> int:
    """Codes for every confirmed registration of `event` that lacks one (before badges print).
    Returns how many were given."""
    missing = list(
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, check_in_code=""
        ).only("pk", "check_in_code")
    )
    for registration in missing:
        check_in_code_ensure(registration)
    return len(missing)


# --- Reads -----------------------------------------------------------------------------------


def participants(
    event: Event, *, status: str | None = None, group_id: int | None = None
) -> models.QuerySet[Registration]:
    """The registrations of `event` as the organisers' list shows them: delegations together,
    then by name. Everything a row shows is joined here, so the page's queries do not grow
    with the number of participants."""
    queryset = Registration.objects.filter(event=event, anonymised_at__isnull=True).select_related(
        "municipality", "group", "delegation", "delegation__municipality"
    )
    if status:
        queryset = queryset.filter(status=status)
    if group_id:
        queryset = queryset.filter(group_id=group_id)
    return queryset.order_by(
        models.F("delegation__created_at").asc(nulls_last=True), "delegation_id", "name", "pk"
    )


@dataclass(frozen=True)
class ParticipantCounts:
    confirmed: int
    waitlisted: int
    offered: int
    cancelled: int
    checked_in: int


def participant_counts(event: Event) -> ParticipantCounts:
    """All figures of the list in one query."""
    status = Registration.Status
    figures = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
        offered=Count("pk", filter=Q(status=status.OFFERED)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
        checked_in=Count("pk", filter=Q(status=status.CONFIRMED, checked_in_at__isnull=False)),
    )
    return ParticipantCounts(**figures)


# --- Check-in --------------------------------------------------------------------------------


class CheckInOutcome(models.TextChoices):
    CHECKED_IN = "checked_in", _("Checked in")
    ALREADY = "already", _("Already checked in")
    REFUSED = "refused", _("Refused")


@dataclass(frozen=True)
class CheckInResult:
    outcome: CheckInOutcome
    message: str
    registration: Registration | None = None


def _refusal_reason(registration: Registration) -> str:
    status = Registration.Status
    if registration.anonymised_at is not None:
        return _("This registration has been anonymised.")
    if registration.status == status.CANCELLED:
        return _("This registration was cancelled.")
    if registration.status == status.WAITLISTED:
        return _("This person is on the waiting list and has no seat.")
    if registration.status == status.OFFERED:
        return _("This person was offered a seat but has not accepted it yet.")
    return _("This registration is not confirmed.")


def _guard(actor, event: Event) -> None:
    if not can_manage_event(actor, event):
        raise PermissionDenied


def registration_check_in(*, actor, event: Event, code: str) -> CheckInResult:
    """Check in the person with `code` at `event`. Twice is once: the second scan is answered
    with the time of the first. People without a confirmed seat are refused with the reason."""
    _guard(actor, event)
    code = check_in_code_normalise(code)
    if not code:
        return CheckInResult(CheckInOutcome.REFUSED, _("Please enter a check-in code."))
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update().filter(event=event, check_in_code=code).first()
        )
        if registration is None:
            return CheckInResult(
                CheckInOutcome.REFUSED, _("No registration for this event has this code.")
            )
        if registration.status != Registration.Status.CONFIRMED or registration.anonymised_at:
            return CheckInResult(
                CheckInOutcome.REFUSED, _refusal_reason(registration), registration
            )
        claimed = 0
        if registration.checked_in_at is None:
            # A conditional write as well as the lock: SQLite has no row locks, and of two
            # doors scanning the same badge at once only one may count it.
            now = timezone.now()
            claimed = Registration.objects.filter(
                pk=registration.pk, checked_in_at__isnull=True
            ).update(checked_in_at=now, updated_at=now)
            if claimed:
                registration.checked_in_at = now
                registration.updated_at = now
                registration_record(
                    registration,
                    actor=actor,
                    action=EventsRegistrationAction.CHECKED_IN,
                    fields=["checked_in_at", "updated_at"],
                )
            else:
                registration.refresh_from_db(fields=["checked_in_at"])
        if not claimed:
            # The time at the door is the event's local time, not the portal's.
            time = timezone.localtime(
                registration.checked_in_at, zoneinfo.ZoneInfo(event.timezone)
            ).strftime("%H:%M")
            return CheckInResult(
                CheckInOutcome.ALREADY,
                _("%(name)s is already checked in at %(time)s.")
                % {"name": registration.name, "time": time},
                registration,
            )
    logger.info("Registration %s checked in by user %s", registration.pk, actor.pk)
    return CheckInResult(
        CheckInOutcome.CHECKED_IN,
        _("%(name)s is checked in.") % {"name": registration.name},
        registration,
    )


def registration_check_in_undo(*, actor, registration: Registration) -> Registration:
    """For a mistake at the door: the person counts as not (yet) arrived."""
    _guard(actor, registration.event)
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.checked_in_at is None:
            return registration
        registration.checked_in_at = None
        attribute_change(registration, actor=actor, action=EventsRegistrationAction.CHECK_IN_UNDONE)
        registration.save(update_fields=["checked_in_at", "updated_at"])
    logger.info("Check-in of registration %s undone by user %s", registration.pk, actor.pk)
    return registration


# --- Changes on the organisers' part ----------------------------------------------------------


def registration_cancel_by_organiser(*, actor, registration: Registration) -> list[Registration]:
    """The organisers cancel a registration (the person told them by phone, a duplicate): the
    same cancellation as the participant's, recorded as the organisers'. Returns who moved up."""
    from .registrations import registration_cancel

    _guard(actor, registration.event)
    return registration_cancel(
        registration=registration,
        actor=actor,
        action=EventsRegistrationAction.CANCELLED_BY_ORGANISER,
    )


# --- Certificates ----------------------------------------------------------------------------


def certificate_check(registration: Registration) -> None:
    """A certificate of attendance is only for someone who was there."""
    if registration.anonymised_at is not None:
        raise ValidationError(_("This registration has been anonymised."))
    if registration.checked_in_at is None or registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            _("A certificate of attendance is only issued to people who were checked in.")
        )


# --- Messages to participants ----------------------------------------------------------------


def _audience_filter(audience: str) -> Q:
    status = Registration.Status
    if audience == EventMessage.Audience.WAITLIST:
        return Q(status__in=[status.WAITLISTED, status.OFFERED])
    if audience == EventMessage.Audience.CONFIRMED:
        return Q(status=status.CONFIRMED)
    return Q(status__in=[status.CONFIRMED, status.WAITLISTED, status.OFFERED])


def message_recipients(message: EventMessage) -> list[Registration]:
    """One registration per address (a person registered twice hears it once)."""
    seen: set[str] = set()
    recipients = []
    queryset = (
        Registration.objects.filter(event_id=message.event_id, anonymised_at__isnull=True)
        .filter(_audience_filter(message.audience))
        .exclude(email="")
        .only("pk", "name", "email", "language")
        .order_by("queued_at", "pk")
    )
    for registration in queryset:
        key = registration.email.casefold()
        if key not in seen:
            seen.add(key)
            recipients.append(registration)
    return recipients


def event_message_create(
    *,
    actor,
    event: Event,
    audience: str,
    subject: str,
    body: str,
    send_at: datetime | None = None,
) -> EventMessage:
    """Write a message to the participants; it goes at `send_at` (now if empty) through the
    scheduled job, or at once after the commit when it is due already."""
    _guard(actor, event)
    now = timezone.now()
    send_at = send_at or now
    if send_at < now - MESSAGE_PAST_TOLERANCE:
        raise ValidationError({"send_at": _("The time to send lies in the past.")})
    if audience not in EventMessage.Audience.values:
        raise ValidationError({"audience": _("Please choose who receives the message.")})
    message = EventMessage(
        event=event,
        audience=audience,
        subject=subject.strip(),
        body=body.strip(),
        send_at=send_at if send_at > now else now,
        created_by=actor,
    )
    message.full_clean()
    with transaction.atomic():
        attribute_change(message, actor=actor, action=EventsOrganiserAction.MESSAGE_SCHEDULED)
        message.save()
        if message.send_at <= now:
            transaction.on_commit(lambda: event_message_send.enqueue(message_id=message.pk))
    return message


def event_message_withdraw(*, actor, message: EventMessage) -> None:
    """A scheduled message that has not gone yet can be withdrawn."""
    _guard(actor, message.event)
    with transaction.atomic():
        locked = EventMessage.objects.select_for_update().get(pk=message.pk)
        if locked.sent_at is not None:
            raise ValidationError(_("This message has been sent already."))
        attribute_change(locked, actor=actor, action=EventsOrganiserAction.MESSAGE_WITHDRAWN)
        locked.delete()


def event_message_deliver(message: EventMessage) -> int | None:
    """Send `message` to its recipients, once: the row is claimed (`sent_at`) before anything
    is queued, so two overlapping runs of the job cannot both send it. Returns the number of
    e-mails queued (None if another run had it)."""
    now = timezone.now()
    with transaction.atomic():
        claimed = EventMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            sent_at=now
        )
        if not claimed:
            return None
        event = Event.objects.get(pk=message.event_id)
        recipients = message_recipients(message)
        for registration in recipients:
            email_to_address(
                event=Notice.EVENT_MESSAGE,
                to_email=registration.email,
                language=registration.language or "de",
                context={
                    "subject": message.subject,
                    "body": message.body,
                    "event_title": event.title,
                    "recipient_name": registration.name,
                },
            )
        EventMessage.objects.filter(pk=message.pk).update(recipient_count=len(recipients))
    logger.info("Event message %s sent to %d people", message.pk, len(recipients))
    return len(recipients)


@task()
def event_message_send(message_id: int) -> int:
    """Send one message now (one that was due when it was written)."""
    message = EventMessage.objects.filter(pk=message_id).first()
    if message is None:
        return 0
    return event_message_deliver(message) or 0


@task()
def event_messages_send_due() -> int:
    """The scheduled job: send every message whose time has come. Returns how many messages."""
    due = list(
        EventMessage.objects.filter(sent_at__isnull=True, send_at__lte=timezone.now()).order_by(
            "send_at", "pk"
        )
    )
    sent = 0
    for message in due:
        if event_message_deliver(message) is not None:
            sent += 1
    return sent
