"""Who may do what with accounts, memberships and invitations. Views, API and templates ask here."""

from .roles import Role, has_role


def can_manage_memberships(user) -> bool:
    return has_role(user, Role.AGENCY_ADMIN, Role.AGENCY_EDITOR)
