"""Periodic housekeeping of accounts (registered with core.schedule in AccountsConfig.ready).
Tasks take no objects and return a count, which the database backend stores with the result."""

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .models import ApiToken, Invitation

logger = logging.getLogger(__name__)

#: How long an invitation nobody used is kept after it ran out or was revoked: long enough for
#: staff to answer "my link does not work", short enough not to keep the address of someone who
#: never joined (DSGVO Art. 5(1)(e)). Accepted invitations stay: they record how a membership began.
UNUSED_INVITATION_RETENTION = timedelta(days=30)


@task()
def invitations_purge_unused() -> int:
    """Delete invitations that were never accepted and ran out or were revoked a while ago."""
    cutoff = timezone.now() - UNUSED_INVITATION_RETENTION
    deleted, _ = Invitation.objects.filter(
        Q(expires_at__lte=cutoff) | Q(revoked_at__lte=cutoff), accepted_at__isnull=True
    ).delete()
    logger.info("Unused invitations deleted: %d", deleted)
    return deleted


#: How long a revoked or expired API token stays listed on its holder's page ("revoked on …")
#: before it is deleted: long enough to answer "why does my program fail?", then it is of no use
#: (the audit trail keeps that it existed).
DEAD_API_TOKEN_RETENTION = timedelta(days=90)


@task()
def api_tokens_purge_dead() -> int:
    """Delete API tokens revoked or expired a while ago."""
    cutoff = timezone.now() - DEAD_API_TOKEN_RETENTION
    deleted, _ = ApiToken.objects.filter(
        Q(expires_at__lte=cutoff) | Q(revoked_at__lte=cutoff)
    ).delete()
    logger.info("Dead API tokens deleted: %d", deleted)
    return deleted
