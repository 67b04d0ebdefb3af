"""Periodic housekeeping of accounts (registered with core.schedule in AccountsConfig.ready).
Tasks take no objects and return a count, which the database backend stores with the result."""

import logging

from django.utils import timezone
from django_tasks import task

from .models import Invitation

logger = logging.getLogger(__name__)


@task()
def invitations_expire_cleanup() -> int:
    """Count invitations that ran out unused. They are kept for now (the accounts app decides
    later whether to delete them); the count shows in the logs whether that is worth doing."""
    expired = Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()
    ).count()
    logger.info("Expired open invitations: %d", expired)
    return expired
