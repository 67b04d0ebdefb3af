"""Telling people what happened: one entry per recipient in the activity feed, and an e-mail for
events that are routed there. Every e-mail leaves through a background task (`tasks.py`), never
inside a request: a slow or failing mail server never slows or breaks a page. Three ways in:
`notify` (people with an account, feed and e-mail), `email_to_address` (an event's e-mail to an
address without an account behind it) and `email_message_enqueue` (a message another library
rendered, e.g. allauth's)."""

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from .events import ROUTES, Channel, Event
from .mail import message_payload
from .models import Activity
from .tasks import activity_email_send, email_deliver, email_message_deliver

__all__ = ["activities_mark_read", "email_message_enqueue", "email_to_address", "notify"]


def _reachable(user, actor) -> bool:
    """Who is told: not the person who did it (they know), and nobody whose account is
    deactivated or anonymised (nobody reads it; an anonymised address is a placeholder)."""
    if user is None or not user.is_active or getattr(user, "anonymised_at", None) is not None:
        return False
    return actor is None or user.pk != actor.pk


def notify(
    *,
    event: Event | str,
    recipients: Iterable,
    actor=None,
    target: models.Model | None = None,
    context: dict[str, Any] | None = None,
) -> list[Activity]:
    """Record `event` for each recipient and queue their e-mails.

    The feed entry is written even for e-mail-only events: it is what the e-mail task loads (the
    task gets only its id) and what shows that a person was told. Entries of e-mail-only events
    are created already read, so they do not clutter the feed's unread count.
    """
    event = Event(event)
    route = ROUTES[event]
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    unique_recipients = {user.pk: user for user in recipients if _reachable(user, actor)}
    activities = [
        Activity(
            recipient=user,
            event=event,
            actor=actor if (actor is not None and actor.is_authenticated) else None,
            content_type=content_type,
            object_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:255] if target is not None else "",
            context=context or {},
            created_at=now,
            read_at=None if Channel.FEED in route.channels else now,
        )
        for user in unique_recipients.values()
    ]
    with transaction.atomic():
        activities = Activity.objects.bulk_create(activities)
        if Channel.EMAIL in route.channels:
            for activity in activities:
                transaction.on_commit(
                    lambda pk=activity.pk: activity_email_send.enqueue(activity_id=pk)
                )
    return activities


def email_to_address(
    *,
    event: Event | str,
    to_email: str,
    language: str,
    context: dict[str, Any],
    attachments: list[list[str]] | None = None,
) -> None:
    """An event's e-mail to an address with no account behind it (an invitee, a person whose
    account is being deleted, a participant of an event), queued after the commit. `context`
    must be plain JSON values: the task may run later on another machine; a value that is not
    is refused here, in the request that made it, not in the worker. `attachments` are
    [filename, text, mimetype] triples of text (an iCal file), which travel as JSON too; a binary
    file (a PDF) as `mail.attachment_binary` makes it, base64 with a fourth item saying so."""
    event = Event(event)
    route = ROUTES[event]
    if Channel.EMAIL not in route.channels:
        raise ValueError(f"{event.value} is not routed to e-mail")
    context = json.loads(json.dumps(context))
    extra = {"attachments": json.loads(json.dumps(attachments))} if attachments else {}
    transaction.on_commit(
        lambda: email_deliver.enqueue(
            to_email=to_email, language=language, template=route.template, context=context, **extra
        )
    )


def email_message_enqueue(*, message: EmailMessage, kind: str) -> None:
    """Queue a message another library rendered in the request (allauth: it needs the request
    to render). Queued at once rather than after the commit: the message needs no row to be
    committed. With the database task queue (production) the task shares the transaction, so a
    rollback drops it; with the immediate backend (development) it is sent at once."""
    email_message_deliver.enqueue(message=message_payload(message), kind=kind)


def activities_mark_read(*, user) -> int:
    """Mark all of a person's unread entries as read; returns how many."""
    return Activity.objects.for_user(user).unread().update(read_at=timezone.now())
