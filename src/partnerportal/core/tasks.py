"""Periodic housekeeping of core, run through the same task path as every other background job
(see `core.schedule` for when; the apps keep and register their own). Tasks take no objects and
return a count, which the database backend stores with the result."""

import logging

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def sessions_clear() -> int:
    """Expired sessions hold personal data (the user id) and only grow the table."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    logger.info("Expired sessions deleted: %d", deleted)
    return deleted
