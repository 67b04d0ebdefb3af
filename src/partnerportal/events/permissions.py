"""Who may do what with events: one place per app (STYLE.md)."""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, has_role


def can_manage_event(user, event=None) -> bool:
    """The agency's administrators and editors organise events: participant lists, badges,
    check-in, certificates, messages. (They pass the second factor in the middleware.)"""
    return has_role(user, *MANAGING_ROLES)
