from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "partnerportal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from partnerportal.audit.actions import actions_register
        from partnerportal.audit.permissions import auditors_register, visibility_register
        from partnerportal.audit.restore import restorer_register
        from partnerportal.core.schedule import job_register

        from . import signals, tasks  # noqa: F401
        from .actions import AccountsAction
        from .models import ApiToken, Membership
        from .permissions import can_view_api_token
        from .roles import MANAGING_ROLES, has_role
        from .services import api_token_restore, membership_restore

        actions_register(AccountsAction)
        # Memberships change only through their workflow: the audit trail's revert is refused.
        restorer_register(Membership, membership_restore)
        # Nor is a token's: a revoked one stays revoked. Its trail is its holder's and admins'.
        restorer_register(ApiToken, api_token_restore)
        visibility_register(ApiToken, can_view_api_token)
        # The agency's administrators and editors may see the audit trail and undo changes.
        auditors_register(lambda user: has_role(user, *MANAGING_ROLES))

        job_register("invitations_purge_unused", timedelta(days=1), tasks.invitations_purge_unused)
        job_register("api_tokens_purge_dead", timedelta(days=1), tasks.api_tokens_purge_dead)
