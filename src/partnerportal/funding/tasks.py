"""Background work of the funding app. Tasks take no objects and return a count."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def report_deadlines_remind() -> int:
    """Daily: remind the applicants whose final report falls due soon (once per deadline and
    application; reports.report_reminders_send)."""
    from .reminders import report_reminders_send

    count = report_reminders_send()
    logger.info("Funding report reminders sent: %d", count)
    return count
