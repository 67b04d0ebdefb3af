"""Who may see and undo changes: the agency's administrators and editors."""

from partnerportal.accounts.roles import MANAGING_ROLES, has_role

AUDIT_ROLES = MANAGING_ROLES


def can_view_history(user, obj) -> bool:
    return has_role(user, *AUDIT_ROLES)


def can_revert_change(user, obj) -> bool:
    return has_role(user, *AUDIT_ROLES)
