"""Who may do what with events and their registrations (one place per app, STYLE.md)."""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, has_role


def can_manage_event(user, event=None) -> bool:
    """The agency's administrators and editors run events and their registrations."""
    return has_role(user, *MANAGING_ROLES)


def can_register_for_event(user, event) -> bool:
    """Anyone, without an account, may register for a published public event; an event that is
    not public (an invitation-only meeting) takes registrations only through the people who
    manage events. Whether registration is open at this moment is the service's guard
    (`registrations.registration_closed_reason`), not a permission."""
    if event.status != event.Status.PUBLISHED:
        return can_manage_event(user, event)
    return event.is_public or can_manage_event(user, event)
