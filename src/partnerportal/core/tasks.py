"""Periodic housekeeping, run through the same task path as every other background job (see
`core.schedule` for when). Tasks take no objects and return a count, which the database backend
stores with the result."""

import logging
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

#: Read feed entries older than this are deleted; unread ones are kept until read.
ACTIVITY_RETENTION = timedelta(days=365)


@task()
def sessions_clear() -> int:
    """Expired sessions hold personal data (the user id) and only grow the table."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("Expired sessions deleted: %d", deleted)
    return deleted


@task()
def invitations_expire_cleanup() -> int:
    """Count invitations that ran out unused. They are kept for now (the accounts app decides
    later whether to delete them); the count shows in the logs whether that is worth doing."""
    from partnerportal.accounts.models import Invitation

    expired = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()
    ).count()
    logger.info("Expired open invitations: %d", expired)
    return expired


@task()
def activities_prune() -> int:
    """Feed entries are a notice, not a record (the audit trail is): drop old read ones."""
    from partnerportal.notifications.models import Activity

    cutoff = timezone.now() - ACTIVITY_RETENTION
    deleted, _ = Activity.objects.filter(read_at__isnull=False, created_at__lt=cutoff).delete()
    logger.info("Old read activities deleted: %d", deleted)
    return deleted
