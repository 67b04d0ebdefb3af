"""Registering for events, cancelling, and the waiting list moving up (issue 12).

Every change of seats goes through one transaction that first locks the event row
(`_event_locked`): `SELECT … FOR UPDATE` on PostgreSQL; on SQLite the project's transactions are
IMMEDIATE (settings: `transaction_mode`), so the transaction holds the database's write lock from
its first statement. Inside it the seats are counted from the rows (`waitlist.seats_count`),
decided and written; no second registration can count in between, so the last seat is taken
once. The rules of the waiting list (strict order, delegations as one unit) are in
`waitlist.py`.

The self-service link carries a secret derived from the registration with the server's key
(HMAC, `access_token_for`); the database keeps only its SHA-256 (`access_token_hash`), so a copy
of the database opens no registration, while every later e-mail (an offer, a promotion) can
carry the same link again.

E-mails leave after the commit, through the notifications catalogue (`emails.py`); the signal
`signals.travel_support_requested` likewise (ADR 0012).
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.services import attribute_change
from partnerportal.core.dates import display_datetime

from .actions import EventsRegistrationAction as Action
from .models import Delegation, Event, ParticipantGroup, Registration, RegistrationQuestion
from .signals import travel_support_requested
from .tokens import access_token_for, token_hash
from .waitlist import Seats, seats_count, unit_place, waitlist_advance, waitlist_position

logger = logging.getLogger(__name__)

#: Letters and digits that cannot be mistaken for each other when typed at the door.
CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RegistrationClosed(Exception):
    """Registration is not possible now; the message says why, for the person."""


class RegistrationInvalid(Exception):
    """Input the service refuses; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))


class RegistrationStateError(Exception):
    """The action does not fit the registration's state (e.g. accepting an expired offer)."""


@dataclass
class Person:
    """One person to register, as the form or the API parsed them."""

    name: str
    email: str
    language: str = "de"
    municipality: Any = None
    municipality_text: str = ""
    role: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    dietary_needs: str = ""
    interpretation_needs: str = ""
    needs_visa_letter: bool = False
    nationality: Any = None
    passport_number: str = ""
    birth_date: date | None = None
    travel_support_requested: bool = False
    travel_support_note: str = ""
    consent: bool = False
    group: ParticipantGroup | None = None
    user: Any = None


@dataclass
class DelegationInfo:
    registrant_name: str
    registrant_email: str
    language: str = "de"
    municipality: Any = None
    allow_split: bool = False


# --- Tokens -----------------------------------------------------------------------------------


def registration_by_token(token: str) -> Registration | None:
    if not token or len(token) > 100:
        return None
    return (
        Registration.objects.select_related("event", "delegation", "municipality", "nationality")
        .filter(access_token_hash=token_hash(token), anonymised_at__isnull=True)
        .first()
    )


def _check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(8))


# --- Guards -----------------------------------------------------------------------------------


def registration_closed_reason(event: Event, *, at: datetime | None = None) -> str | None:
    """Why nobody can register now, for the person; None while registration is open."""
    at = at or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("The event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return _("The event is not published.")
    if event.ends_at < at:
        return _("The event is over.")
    if not event.registration_open:
        return _("Registration for this event is closed.")
    if event.registration_closes_at is not None and event.registration_closes_at < at:
        return _("Registration for this event closed on %(date)s.") % {
            "date": display_datetime(event.registration_closes_at)
        }
    return None


def answers_clean(
    event: Event, answers: dict[str, Any], *, questions: list[RegistrationQuestion] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The organisers' questions answered: keyed by question id (as text), checked for kind and
    requiredness. Returns (clean answers, errors by `q_<id>`)."""
    questions = questions if questions is not None else list(event.questions.all())
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for question in questions:
        key = str(question.pk)
        value = answers.get(key, answers.get(question.pk))
        name = f"q_{question.pk}"
        if question.kind == RegistrationQuestion.Kind.YES_NO:
            if value in (None, ""):
                if question.required:
                    errors[name] = [_("Please answer this question.")]
                continue
            if isinstance(value, str):
                value = value.lower() in {"yes", "true", "1", "ja", "on"}
            clean[key] = bool(value)
            continue
        value = "" if value is None else str(value).strip()
        if not value:
            if question.required:
                errors[name] = [_("Please answer this question.")]
            continue
        if question.kind == RegistrationQuestion.Kind.CHOICE and value not in question.choices:
            errors[name] = [_("Please choose one of the options.")]
            continue
        clean[key] = value[:2000]
    return clean, errors


def _person_check(event: Event, person: Person, questions) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not person.name.strip():
        errors["name"] = [_("Please enter the name.")]
    if not person.email.strip():
        errors["email"] = [_("Please enter the e-mail address.")]
    if person.language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Please choose one of the site's languages.")]
    if event.consent_text and not person.consent:
        errors["consent"] = [_("Please agree to take part under these terms.")]
    if person.needs_visa_letter:
        for name, value in (
            ("nationality", person.nationality),
            ("passport_number", person.passport_number),
            ("birth_date", person.birth_date),
        ):
            if not value:
                errors[name] = [_("Needed for the visa invitation letter.")]
    if person.travel_support_requested and not person.travel_support_note.strip():
        errors["travel_support_note"] = [_("Please say what the support is for.")]
    clean, answer_errors = answers_clean(event, person.answers, questions=questions)
    person.answers = clean
    errors.update(answer_errors)
    return errors


# --- Locking ----------------------------------------------------------------------------------


def _event_locked(event_id: int) -> Event:
    """The event row, held until the transaction ends (see the module docstring)."""
    return Event.objects.select_for_update().get(pk=event_id)


def _test_seat_check_gap() -> float:
    """The control run of the concurrency test (EVENTS_TEST_SEAT_CHECK_GAP seconds): the seats
    are counted without the lock and outside the writing transaction, and the write waits that
    long, so parallel registrations overbook. Honoured only under the test settings; anywhere
    else the setting is ignored."""
    gap = float(getattr(settings, "EVENTS_TEST_SEAT_CHECK_GAP", 0) or 0)
    # The environment, not settings.SETTINGS_MODULE: override_settings hides that one.
    if gap and os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".test"):
        return gap
    return 0.0


# --- Registering ------------------------------------------------------------------------------


@dataclass
class Registered:
    registration: Registration
    position: int | None


def registration_create(
    *,
    event: Event,
    people: list[Person],
    delegation_info: DelegationInfo | None = None,
    actor=None,
) -> list[Registered]:
    """Register one person, or a delegation of several (`delegation_info`), in one step.

    Seats are taken in strict waiting-list order (waitlist.py): a newcomer gets a seat only if
    one is free in a pool no waiting unit holds. A delegation is confirmed whole or waits whole,
    unless `delegation_info.allow_split` lets the people who fit be confirmed now. Raises
    RegistrationClosed (nothing saved) when registration is closed, RegistrationInvalid for
    input the forms should have refused (the API relies on it)."""
    if not people:
        raise RegistrationInvalid({"people": [_("Nobody to register.")]})
    questions = list(event.questions.all())
    errors: dict[str, list[str]] = {}
    for index, person in enumerate(people):
        for name, messages in _person_check(event, person, questions).items():
            errors[name if len(people) == 1 else f"{index}.{name}"] = messages
    if errors:
        raise RegistrationInvalid(errors)
    if delegation_info is None and len(people) > 1:
        raise RegistrationInvalid({"people": [_("Several people register as a delegation.")]})

    gap = _test_seat_check_gap()
    if gap:
        return _registration_create_unlocked(event, people, delegation_info, actor, gap)

    with transaction.atomic():
        locked = _event_locked(event.pk)
        reason = registration_closed_reason(locked)
        if reason:
            raise RegistrationClosed(reason)
        seats = seats_count(locked)
        promoted = _seat(locked, waitlist_advance(locked, seats))
        rows = _rows_write(locked, people, delegation_info, actor, seats)
    # After the commit, not under the lock: the places on the waiting list (later
    # registrations queue behind these rows, so the place can only have improved) and the
    # e-mails' context and calendar file would otherwise make every other registration for
    # the event wait for them.
    result = [Registered(row, waitlist_position(row)) for row in rows]
    _after_commit(promoted, rows, positions={r.registration.pk: r.position for r in result})
    return result


def _registration_create_unlocked(event, people, delegation_info, actor, gap) -> list[Registered]:
    """The control run only (`_test_seat_check_gap`): count, wait, then write."""
    reason = registration_closed_reason(event)
    if reason:
        raise RegistrationClosed(reason)
    seats = seats_count(event)
    time.sleep(gap)
    with transaction.atomic():
        rows = _rows_write(event, people, delegation_info, actor, seats)
        result = [Registered(row, waitlist_position(row)) for row in rows]
    _after_commit([], rows)
    return result


def _rows_write(
    event: Event,
    people: list[Person],
    delegation_info: DelegationInfo | None,
    actor,
    seats: Seats,
) -> list[Registration]:
    now = timezone.now()
    delegation = None
    if delegation_info is not None:
        delegation = Delegation.objects.create(
            event=event,
            municipality=delegation_info.municipality,
            registrant_name=delegation_info.registrant_name,
            registrant_email=delegation_info.registrant_email,
            language=delegation_info.language,
            allow_split=delegation_info.allow_split,
            created_at=now,
        )
    rows = [
        Registration(
            event=event,
            delegation=delegation,
            group=person.group,
            status=Registration.Status.WAITLISTED,
            queued_at=now,
            user=person.user if getattr(person.user, "is_authenticated", False) else None,
            name=person.name.strip(),
            email=person.email.strip(),
            language=person.language,
            municipality=person.municipality,
            municipality_text=person.municipality_text.strip(),
            role=person.role.strip(),
            answers=person.answers,
            dietary_needs=person.dietary_needs.strip(),
            interpretation_needs=person.interpretation_needs.strip(),
            needs_visa_letter=person.needs_visa_letter,
            nationality=person.nationality if person.needs_visa_letter else None,
            passport_number=person.passport_number.strip() if person.needs_visa_letter else "",
            birth_date=person.birth_date if person.needs_visa_letter else None,
            travel_support_requested=person.travel_support_requested,
            travel_support_note=(
                person.travel_support_note.strip() if person.travel_support_requested else ""
            ),
            consent_at=now if person.consent else None,
            check_in_code=_check_in_code(),
            created_at=now,
        )
        for person in people
    ]
    placed = unit_place(
        rows, seats, allow_split=bool(delegation_info and delegation_info.allow_split)
    )
    for index, pool in placed.items():
        row = rows[index]
        row.status = Registration.Status.CONFIRMED
        row.confirmed_at = now
        if row.group_id is None and pool != "open":
            row.group_id = pool
    for row in rows:
        attribute_change(row, actor=actor, action=Action.REGISTERED)
        row.save()
        row.access_token_hash = token_hash(access_token_for(row))
        Registration.objects.filter(pk=row.pk).update(access_token_hash=row.access_token_hash)
    return rows


def _seat(event: Event, seated: list[tuple[Registration, object]]) -> list[Registration]:
    """Give the seats waitlist_advance found to their people: confirmed at once, or offered for
    the event's offer_hours."""
    now = timezone.now()
    changed = []
    for registration, pool in seated:
        if pool != "open" and registration.group_id is None:
            registration.group_id = pool
        if event.waitlist_mode == Event.WaitlistMode.OFFER:
            registration.status = Registration.Status.OFFERED
            registration.offered_until = now + timedelta(hours=event.offer_hours)
        else:
            registration.status = Registration.Status.CONFIRMED
            registration.confirmed_at = now
        # Moved up by someone else's step (a cancellation, an expired offer): nobody's act.
        attribute_change(registration, actor=None, action=Action.PROMOTED)
        registration.save(update_fields=["status", "group", "offered_until", "confirmed_at"])
        changed.append(registration)
    return changed


def _after_commit(
    promoted: list[Registration],
    created: list[Registration],
    *,
    positions: dict[int, int | None] | None = None,
) -> None:
    """E-mails and the travel support signal, once the rows are committed. `positions`: the
    places on the waiting list already counted for the answer (not counted twice)."""
    from . import emails

    positions = positions or {}
    for registration in promoted:
        emails.registration_email(registration, promoted=True)
    for registration in created:
        emails.registration_email(registration, position=positions.get(registration.pk))
    for registration in created:
        if registration.travel_support_requested:
            transaction.on_commit(lambda r=registration: _travel_support_signal(r), robust=True)


def _travel_support_signal(registration: Registration) -> None:
    for receiver, response in travel_support_requested.send_robust(
        sender=Registration, registration=registration
    ):
        if isinstance(response, Exception):
            logger.error("travel_support_requested receiver %r failed: %r", receiver, response)


# --- Changing, cancelling, offers -------------------------------------------------------------


def registration_update(
    *, registration: Registration, actor=None, changes: dict[str, Any]
) -> Registration:
    """Change what a person told about themselves (not their seat). The caller has proved the
    right to (the self-service token, or can_manage_event)."""
    allowed = {
        "name",
        "role",
        "municipality_text",
        "dietary_needs",
        "interpretation_needs",
        "answers",
        "language",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"not changeable here: {sorted(unknown)}")
    if "answers" in changes:
        clean, errors = answers_clean(registration.event, changes["answers"])
        if errors:
            raise RegistrationInvalid(errors)
        changes = {**changes, "answers": clean}
    if "language" in changes and changes["language"] not in dict(settings.LANGUAGES):
        raise RegistrationInvalid({"language": [_("Please choose one of the site's languages.")]})
    with transaction.atomic():
        for name, value in changes.items():
            setattr(registration, name, value.strip() if isinstance(value, str) else value)
        # Only what the person told about themselves changes, none of it in the history.
        registration.skip_history_when_saving = True
        try:
            registration.save(update_fields=[*changes, "updated_at"])
        finally:
            del registration.skip_history_when_saving
    return registration


def registration_cancel(
    *,
    registration: Registration,
    actor=None,
    notify: bool = True,
    action: str = Action.CANCELLED,
) -> list[Registration]:
    """Cancel a registration (self-service or staff; the caller has proved the right). Leaving
    the waiting list is the same. A seat it held is given on at once, in strict order; returns
    the registrations that moved up. `notify=False` spares the person the cancellation e-mail
    (the erasure of their data: they asked for it, and their address is about to go); the
    people who move up are always told. `action` records on whose part (the participant, the
    organisers, an erasure, a declined offer)."""
    with transaction.atomic():
        event = _event_locked(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Registration.Status.CANCELLED:
            raise RegistrationStateError(_("This registration is already cancelled."))
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.offered_until = None
        attribute_change(registration, actor=actor, action=action)
        registration.save(update_fields=["status", "cancelled_at", "offered_until", "updated_at"])
        promoted = _seat(event, waitlist_advance(event, seats_count(event)))
        from . import emails

        if notify:
            emails.registration_email(registration)
        for other in promoted:
            emails.registration_email(other, promoted=True)
    return promoted


# --- Self-service links ---------------------------------------------------------------------


def _link_renew(registration: Registration, *, actor) -> Registration:
    """Move the link's version on (every older link dies, tokens.py) and send the new link in
    the e-mail of the registration's state, after the commit."""
    from . import emails

    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
        )
        if locked.anonymised_at is not None:
            raise RegistrationStateError(_("This registration has been anonymised."))
        locked.access_token_version += 1
        locked.access_token_hash = token_hash(access_token_for(locked))
        attribute_change(locked, actor=actor, action=Action.LINK_RENEWED)
        locked.save(update_fields=["access_token_version", "access_token_hash", "updated_at"])
        emails.registration_email(locked, link_renewed=True)
    return locked


def registration_link_renew(*, actor, registration: Registration) -> Registration:
    """The organisers revoke a registration's link (it was forwarded, or the person lost it)
    and send the person a new one."""
    from .permissions import can_manage_event

    if not can_manage_event(actor, registration.event):
        raise PermissionDenied
    return _link_renew(registration, actor=actor)


def registration_links_request(*, email: str, at: datetime | None = None) -> int:
    """A participant lost their link: each registration under `email` for an event still to
    come (not cancelled, not anonymised) has its current link sent again, by e-mail to that
    address only. It revokes nothing (only organisers do, `registration_link_renew`): whoever
    knows an address could otherwise kill that person's links. At most one sending per address
    in LINK_RESEND_SECONDS, whoever asks. The caller answers the same whatever this returns
    (no one learns who is registered); the count is for the log and the tests."""
    import hashlib

    from django.core.cache import cache

    from . import emails

    email = (email or "").strip()
    if not email:
        return 0
    digest = hashlib.sha256(email.casefold().encode()).hexdigest()[:32]
    if not cache.add(f"events:link-resend:{digest}", 1, LINK_RESEND_SECONDS):
        return 0
    at = at or timezone.now()
    rows = list(
        Registration.objects.filter(
            email__iexact=email,
            anonymised_at__isnull=True,
            event__ends_at__gte=at,
        )
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("event")
        .order_by("pk")[:20]
    )
    for row in rows:
        emails.registration_email(row)  # the e-mail of its state, with its current link
    return len(rows)


#: One sending of the links per address in this many seconds (registration_links_request).
LINK_RESEND_SECONDS = 600


def registration_offer_accept(*, registration: Registration, actor=None) -> Registration:
    """Take an offered seat while the offer is open."""
    with transaction.atomic():
        _event_locked(registration.event_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Registration.Status.OFFERED:
            raise RegistrationStateError(_("There is no open offer for this registration."))
        if registration.offered_until and registration.offered_until < timezone.now():
            raise RegistrationStateError(_("The offer has expired."))
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.offered_until = None
        attribute_change(registration, actor=actor, action=Action.OFFER_ACCEPTED)
        registration.save(update_fields=["status", "confirmed_at", "offered_until", "updated_at"])
        from . import emails

        emails.registration_email(registration, promoted=True)
    return registration


def registration_offer_decline(*, registration: Registration, actor=None) -> list[Registration]:
    """Decline an offered seat: the registration is cancelled and the seat passed on."""
    if registration.status != Registration.Status.OFFERED:
        raise RegistrationStateError(_("There is no open offer for this registration."))
    return registration_cancel(registration=registration, actor=actor, action=Action.OFFER_DECLINED)


def offers_expire(*, at: datetime | None = None) -> int:
    """Pass on offers nobody accepted in time (the scheduled job): each is cancelled and its
    seat offered to the next unit. Returns how many expired."""
    at = at or timezone.now()
    expired = 0
    event_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offered_until__lt=at)
        .values_list("event_id", flat=True)
        .distinct()
    )
    from . import emails

    for event_id in list(event_ids):
        with transaction.atomic():
            event = _event_locked(event_id)
            rows = list(
                Registration.objects.select_for_update().filter(
                    event=event, status=Registration.Status.OFFERED, offered_until__lt=at
                )
            )
            for row in rows:
                row.status = Registration.Status.CANCELLED
                row.cancelled_at = at
                attribute_change(row, actor=None, action=Action.OFFER_EXPIRED)
                row.save(update_fields=["status", "cancelled_at", "updated_at"])
                emails.registration_email(row, expired=True)
            expired += len(rows)
            for other in _seat(event, waitlist_advance(event, seats_count(event))):
                emails.registration_email(other, promoted=True)
    return expired


def reminders_send(*, at: datetime | None = None) -> int:
    """Remind confirmed participants of events starting within EVENTS_REMINDER_HOURS, once per
    registration (`reminder_sent_at`). Returns how many were sent."""
    at = at or timezone.now()
    hours = getattr(settings, "EVENTS_REMINDER_HOURS", 48)
    rows = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        anonymised_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__starts_at__gt=at,
        event__starts_at__lte=at + timedelta(hours=hours),
    ).select_related("event")
    from . import emails

    sent = 0
    for row in rows.iterator(chunk_size=200):
        with transaction.atomic():
            # Claimed with a compare-and-set, so two overlapping runs remind once.
            if not Registration.objects.filter(pk=row.pk, reminder_sent_at__isnull=True).update(
                reminder_sent_at=at
            ):
                continue
            emails.registration_email(row, reminder=True)
            sent += 1
    return sent


def event_seat_summary(event: Event) -> dict[str, int | None]:
    """For the registration box and the API: capacity, seats taken and free, people waiting."""
    from .waitlist import waitlist_units_count

    seats = seats_count(event)  # one grouped query (and the groups unless prefetched)
    return {
        "capacity": event.capacity,
        "taken": seats.taken,
        "free": seats.total_free(),
        "waitlisted": seats.waiting,
        "waitlist_units": waitlist_units_count(event) if seats.waiting else 0,
    }
