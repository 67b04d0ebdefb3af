"""Writes of events, series and invitations (issue 12: calendar and staff management).

The staff pages, the API (`POST/PATCH /api/v1/events`) and the demo command call the same
functions: guard (events.permissions), one transaction, validation by the model, save, audit
entry (an EventsAction code as the history record's reason). Changing an event claims the version
the form or the caller read (core.concurrency): of two editors who saved the same version, the
second gets EditConflict and nothing of theirs is lost or overwrites the first.

Registrations are evreg's (`registration_create` and the waiting list); they are not here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerportal.audit.history import history_deferred
from partnerportal.audit.services import attribute_change
from partnerportal.core.concurrency import version_claim
from partnerportal.core.text import ascii_slug

from .actions import EventsAction
from .models import Event, EventInvitation, EventSeries, ParticipantGroup, RegistrationQuestion
from .permissions import can_manage_event
from .rules import partner_municipality_admissible

#: What staff set on an event besides its relations (the form's and the API's fields).
EVENT_FIELDS = (
    "title",
    "slug",
    "series",
    "format",
    "status",
    "is_public",
    "summary",
    "starts_at",
    "ends_at",
    "timezone",
    "date_precision",
    "venue",
    "place",
    "address",
    "country",
    "latitude",
    "longitude",
    "online_url",
    "languages",
    "interpretation",
    "target_group",
    "programme",
    "agenda",
    "results",
    "report",
    "capacity",
    "registration_open",
    "registration_closes_at",
    "waitlist_mode",
    "offer_hours",
    "consent_text",
)
RELATIONS = ("host_municipalities", "co_host_municipalities", "partner_countries")
SERIES_FIELDS = (
    "slug",
    "name",
    "format",
    "description",
    "world_region",
    "country",
    "programme",
    "rotation_years",
    "oda_recipients_only",
    "retention_days",
)


def _guard(actor, event: Event | None = None) -> None:
    if not can_manage_event(actor, event):
        raise PermissionDenied


#: Addresses below /veranstaltungen/ that are not events (events/urls.py).
RESERVED_SLUGS = frozenset({"regionalkonferenzen", "reihen", "verwaltung", "kalender-ics"})


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = ascii_slug(title, max_length=100) or "veranstaltung"
    taken = set(RESERVED_SLUGS) | set(
        Event.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _check_times(fields: dict[str, Any]) -> None:
    """Stored times are aware: a naive one would be read in the server's zone, not the event's."""
    problems = {}
    for name in ("starts_at", "ends_at", "registration_closes_at"):
        value = fields.get(name)
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            problems[name] = _("Give the time with its offset from UTC (e.g. +01:00).")
    if problems:
        raise ValidationError(problems)


def _rows_save(model, event: Event, rows: list[dict[str, Any]] | None) -> None:
    """Participant groups or questions as the formset sent them: dicts with the model's fields,
    `id` for an existing row, `delete` to remove one. Rows of other events are refused."""
    if rows is None:
        return
    existing = {obj.pk: obj for obj in model.objects.filter(event=event)}
    for position, row in enumerate(rows):
        row = dict(row)
        pk = row.pop("id", None)
        delete = row.pop("delete", False)
        if pk is not None:
            pk = getattr(pk, "pk", pk)
            obj = existing.get(pk)
            if obj is None:
                raise PermissionDenied
            if delete:
                obj.delete()
                continue
        elif delete:
            continue
        else:
            obj = model(event=event)
        for name, value in row.items():
            setattr(obj, name, value)
        if not row.get("order"):
            obj.order = position
        obj.full_clean()
        obj.save()


def _groups_fit(event: Event) -> None:
    if event.capacity is None:
        return
    seats = sum(ParticipantGroup.objects.filter(event=event).values_list("seats", flat=True))
    if seats > event.capacity:
        raise ValidationError(
            {
                "capacity": _(
                    "The participant groups keep %(seats)s seats, more than the %(capacity)s "
                    "of the event."
                )
                % {"seats": seats, "capacity": event.capacity}
            }
        )


def _relations_set(event: Event, relations: dict[str, Iterable | None]) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(event, name).set(values)


def _validated_save(event: Event) -> None:
    try:
        event.full_clean(exclude=["source_key"])
    except ValidationError:
        raise
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:  # the slug taken in between, or the database's time check
        raise ValidationError({"slug": _("This short name is already taken.")}) from error


def event_create(
    *,
    actor,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    host_municipalities: Iterable | None = None,
    co_host_municipalities: Iterable | None = None,
    partner_countries: Iterable | None = None,
    documents: Iterable | None = None,
    groups: list[dict[str, Any]] | None = None,
    questions: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Event:
    """A new event (published unless `status` says otherwise). Without a `format` the series'
    format is taken; without a `slug` one is made from the title. ValidationError names the
    fields that are wrong (times without offset, an unknown zone, an end before the start)."""
    _guard(actor)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not settable: {sorted(unknown)}")
    fields.update(title=title, starts_at=starts_at, ends_at=ends_at)
    _check_times(fields)
    with transaction.atomic():
        event = Event(created_by=actor if getattr(actor, "is_authenticated", False) else None)
        for name, value in fields.items():
            setattr(event, name, value)
        if not event.slug:
            event.slug = _unique_slug(title)
        if not event.format and event.series is not None:
            event.format = event.series.format
        attribute_change(event, actor=actor, action=EventsAction.EVENT_CREATED)
        _validated_save(event)
        with history_deferred(event):
            _relations_set(
                event,
                {
                    "host_municipalities": host_municipalities,
                    "co_host_municipalities": co_host_municipalities,
                    "partner_countries": partner_countries,
                    "documents": documents,
                },
            )
        _rows_save(ParticipantGroup, event, groups)
        _rows_save(RegistrationQuestion, event, questions)
        _groups_fit(event)
    return event


def event_update(
    *,
    actor,
    event: Event,
    expected_version: int | None,
    host_municipalities: Iterable | None = None,
    co_host_municipalities: Iterable | None = None,
    partner_countries: Iterable | None = None,
    documents: Iterable | None = None,
    groups: list[dict[str, Any]] | None = None,
    questions: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Event:
    """Change an event, its groups and questions in one transaction. `expected_version` is the
    version the form (or the API caller) read; None: no check, for scripts. EditConflict when
    someone saved in between; then nothing changes."""
    _guard(actor, event)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"Not settable: {sorted(unknown)}")
    _check_times(fields)
    with transaction.atomic():
        version_claim(event, expected_version=expected_version)
        for name, value in fields.items():
            setattr(event, name, value)
        if not event.slug:
            event.slug = _unique_slug(event.title, exclude_pk=event.pk)
        attribute_change(event, actor=actor, action=EventsAction.EVENT_CHANGED)
        with history_deferred(event):
            _relations_set(
                event,
                {
                    "host_municipalities": host_municipalities,
                    "co_host_municipalities": co_host_municipalities,
                    "partner_countries": partner_countries,
                    "documents": documents,
                },
            )
        _validated_save(event)
        _rows_save(ParticipantGroup, event, groups)
        _rows_save(RegistrationQuestion, event, questions)
        _groups_fit(event)
    return event


def series_create(*, actor, slug: str, name: str, format: str, **fields: Any) -> EventSeries:
    _guard(actor)
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise ValueError(f"Not settable: {sorted(unknown)}")
    with transaction.atomic():
        series = EventSeries(slug=slug, name=name, format=format, **fields)
        series.full_clean()
        attribute_change(series, actor=actor, action=EventsAction.SERIES_CREATED)
        series.save()
    return series


def series_update(
    *, actor, series: EventSeries, expected_version: int | None, **fields: Any
) -> EventSeries:
    _guard(actor)
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise ValueError(f"Not settable: {sorted(unknown)}")
    with transaction.atomic():
        version_claim(series, expected_version=expected_version)
        for name, value in fields.items():
            setattr(series, name, value)
        series.full_clean()
        attribute_change(series, actor=actor, action=EventsAction.SERIES_CHANGED)
        series.save()
    return series


def series_history_entry_save(
    *,
    actor,
    series: EventSeries,
    event: Event | None = None,
    expected_version: int | None = None,
    title: str,
    year: int,
    month: int | None = None,
    day: int | None = None,
    end_day: int | None = None,
    place: str = "",
    summary: str = "",
) -> Event:
    """Add or change a past event of a series' history, dated as far as it is known (a year,
    a month, or days: `date_precision`). Only the past: an event to come has a registration
    and belongs on the event form. A change claims the version read (ADR 0005)."""
    from .history import BERLIN, history_period

    _guard(actor)
    if event is not None and event.series_id != series.pk:
        raise PermissionDenied
    if event is not None and (event.ends_at >= timezone.now() or event.registrations.exists()):
        # An event to come, or one people registered for, is changed on its own page (the
        # registrants are told); the history form would move it without a word.
        raise PermissionDenied
    if day is not None and end_day is not None and end_day < day:
        raise ValidationError({"end_day": _("The last day lies before the first.")})
    try:
        starts_at, ends_at = history_period(year, month, day, end_day)
    except ValueError as error:
        raise ValidationError({"day": _("This date does not exist.")}) from error
    if ends_at >= timezone.now():
        raise ValidationError(
            {"year": _("The history holds past events; create events to come as events.")}
        )
    precision = "day" if day is not None else "month" if month is not None else "year"
    with transaction.atomic():
        if event is None:
            event = Event(
                series=series,
                slug=_unique_slug(title),
                registration_open=False,
                timezone=BERLIN,
                created_by=actor,
            )
            action = EventsAction.EVENT_CREATED
        else:
            version_claim(event, expected_version=expected_version)
            action = EventsAction.EVENT_CHANGED
        event.title = title.strip()
        event.format = series.format
        event.starts_at, event.ends_at = starts_at, ends_at
        event.date_precision = precision
        event.place = place.strip()
        event.summary = summary.strip()
        attribute_change(event, actor=actor, action=action)
        _validated_save(event)
    return event


def event_invite(*, actor, event: Event, municipality) -> EventInvitation:
    """Invite a municipality to an event. Refused (ValidationError with the reason) where the
    series admits partner municipalities only from DAC-list countries (events.rules), and when
    the municipality is invited already."""
    _guard(actor, event)
    admissible, reason = partner_municipality_admissible(event, municipality)
    if not admissible:
        raise ValidationError(reason)
    with transaction.atomic():
        if EventInvitation.objects.filter(event=event, municipality=municipality).exists():
            raise ValidationError(
                _("%(municipality)s is invited already.") % {"municipality": municipality.name}
            )
        invitation = EventInvitation(event=event, municipality=municipality, invited_by=actor)
        attribute_change(invitation, actor=actor, action=EventsAction.EVENT_INVITED)
        invitation.save()
    return invitation
