"""Background work of the notifications. Tasks take ids and plain values only: they may run on
another machine later, when objects passed in would be stale or unpicklable."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .events import ROUTES, Event
from .mail import email_send, message_send
from .models import Activity

logger = logging.getLogger(__name__)

#: Read feed entries older than this are deleted; unread ones are kept until read.
ACTIVITY_RETENTION = timedelta(days=365)


@task()
def activity_email_send(activity_id: int) -> bool:
    """Send the e-mail for one feed entry to its recipient, in the recipient's language."""
    activity = Activity.objects.select_related("recipient", "actor").filter(pk=activity_id).first()
    if activity is None:
        logger.info("Activity %s is gone; no e-mail sent.", activity_id)
        return False
    recipient = activity.recipient
    if not recipient.is_active or not recipient.email or recipient.anonymised_at is not None:
        # An anonymised account's address is a placeholder; nobody is there to read it.
        return False
    event = Event(activity.event)
    email_send(
        to_email=recipient.email,
        language=recipient.language or "de",
        template=ROUTES[event].template,
        context={
            **activity.context,
            "event": event.value,
            "recipient_name": recipient.display_name,
            "actor_name": activity.actor.display_name if activity.actor else "",
            "target": activity.target_repr,
        },
    )
    return True


@task()
def email_deliver(
    *,
    to_email: str,
    language: str,
    template: str,
    context: dict,
    attachments: list[list[str]] | None = None,
) -> None:
    """Send an e-mail to an address that has no feed entry behind it (an invitee without an
    account, a person whose account is being deleted). `context` must be JSON-serialisable;
    `attachments` are [filename, text, mimetype] triples."""
    email_send(
        to_email=to_email,
        language=language,
        template=template,
        context=context,
        attachments=attachments,
    )


@task()
def email_message_deliver(*, message: dict, kind: str) -> None:
    """Send a message rendered in the request by another library (allauth's confirmation,
    password reset and security notices), so that the request itself sends nothing."""
    message_send(message, kind=kind)


@task()
def activities_prune() -> int:
    """Feed entries are a notice, not a record (the audit trail is): drop old read ones."""
    cutoff = timezone.now() - ACTIVITY_RETENTION
    deleted, _ = Activity.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    logger.info("Old read activities deleted: %d", deleted)
    return deleted


#: How long a finished e-mail task keeps its arguments (the address, a reset or invitation link)
#: in the task table of the database worker: long enough to see that it ran, not longer.
EMAIL_TASK_RETENTION = timedelta(hours=1)
#: A failed one is kept a week, for staff to see what failed (its traceback may name the address).
EMAIL_TASK_FAILED_RETENTION = timedelta(days=7)
EMAIL_TASK_PATHS = (
    f"{__name__}.email_deliver",
    f"{__name__}.email_message_deliver",
)


@task()
def email_tasks_prune() -> int:
    """Delete finished e-mail tasks from the database worker's table: their arguments are
    personal data (addresses, links that sign someone in), which the mail itself no longer needs
    once sent. Other tasks carry ids only and are left to the worker's own pruning."""
    from django.db.models import Q
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    deleted, _ = (
        DBTaskResult.objects.filter(task_path__in=EMAIL_TASK_PATHS)
        .filter(
            Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - EMAIL_TASK_RETENTION)
            | Q(status=TaskResultStatus.FAILED, finished_at__lt=now - EMAIL_TASK_FAILED_RETENTION)
        )
        .delete()
    )
    logger.info("Finished e-mail tasks deleted: %d", deleted)
    return deleted
