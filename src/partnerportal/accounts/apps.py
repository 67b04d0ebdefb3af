from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partnerportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register
        from partnerportal.audit.permissions import auditors_register
        from partnerportal.audit.restore import restorer_register
        from partnerportal.core.schedule import job_register

        from . import signals, tasks  # noqa: F401
        from .actions import AccountsAction
        from .models import Membership
        from .roles import MANAGING_ROLES, has_role
        from .services import membership_restore

        actions_register(AccountsAction)
        # Memberships change only through their workflow: the audit trail's revert is refused.
        restorer_register(Membership, membership_restore)
        # The agency's administrators and editors may see the audit trail and undo changes.
        auditors_register(lambda user: has_role(user, *MANAGING_ROLES))

        job_register("invitations_purge_unused", timedelta(days=1), tasks.invitations_purge_unused)
