"""Scheduled publishing: Wagtail keeps pages with a future "go live" date as approved revisions
and pages with an "expiry" date live until `publish_scheduled` runs. Registered with core's
scheduled jobs (ContentConfig.ready), so `partnerportal run_scheduled` from cron publishes and
unpublishes them within minutes of their time."""

import io
import logging

from django.core.management import call_command
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def pages_publish_scheduled() -> int:
    """Publish the pages whose time has come and unpublish the expired ones; returns the number
    of lines Wagtail reported (it prints one per page)."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    logger.info("Scheduled publishing: %s", " / ".join(lines) or "nothing due")
    return len(lines)
