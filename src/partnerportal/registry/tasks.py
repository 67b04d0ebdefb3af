"""Background work of the registry. Tasks take no objects and return a count."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def partnerships_remind_stale() -> int:
    """Daily: the next batch of every running reminder round (services.freshness)."""
    from .services.freshness import partnerships_remind_stale as remind

    count = remind()
    logger.info("Partnerships reminded about: %d", count)
    return count
