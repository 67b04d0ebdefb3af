"""Accounts' actions in the audit trail, with their labels (registered with audit in
AccountsConfig.ready)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountsAction(models.TextChoices):
    MEMBERSHIP_REQUESTED = "membership.requested", _("membership requested")
    MEMBERSHIP_CONFIRMED = "membership.confirmed", _("membership confirmed")
    MEMBERSHIP_DECLINED = "membership.declined", _("membership declined")
    MEMBERSHIP_WITHDRAWN = "membership.withdrawn", _("request withdrawn")
    MEMBERSHIP_LEFT = "membership.left", _("membership left")
    MEMBERSHIP_ENDED = "membership.ended", _("membership ended")
    MEMBERSHIP_CHANGED = "membership.changed", _("membership changed")
    INVITATION_SENT = "invitation.sent", _("invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("invitation accepted")
    INVITATION_REVOKED = "invitation.revoked", _("invitation revoked")
    PROFILE_UPDATED = "user.profile_updated", _("profile changed")
    USER_ANONYMISED = "user.anonymised", _("account deleted and anonymised")
    API_TOKEN_CREATED = "api_token.created", _("API token created")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    API_TOKEN_DELETED = "api_token.deleted", _("API token deleted with the account")
