"""Telling people what happened: one entry per recipient in the activity feed, and an e-mail for
events that are routed there. E-mails go out through a background task after the transaction
commits, so a rolled-back change never mails anyone and a slow mail server never slows a page.
`email_send` (mail.py) is offered here too, for the apps that mail someone without a feed entry."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .events import ROUTES, Channel, Event
from .mail import email_send
from .models import Activity
from .tasks import activity_email_send

__all__ = ["activities_mark_read", "email_send", "notify"]


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
    unique_recipients = {user.pk: user for user in recipients if user is not None}
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
                if activity.recipient.is_active and activity.recipient.anonymised_at is None:
                    transaction.on_commit(
                        lambda pk=activity.pk: activity_email_send.enqueue(activity_id=pk)
                    )
    return activities


def activities_mark_read(*, user) -> int:
    """Mark all of a person's unread entries as read; returns how many."""
    return Activity.objects.for_user(user).unread().update(read_at=timezone.now())
