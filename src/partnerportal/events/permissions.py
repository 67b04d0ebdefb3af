"""Who may see and do what with events (issue 12). Views, API and templates ask here.

- Published public events, their series and the calendar: everyone.
- Drafts, cancelled and non-public events: agency staff who manage events.
- Creating and changing events and series, inviting municipalities: the agency's
  administrators and editors (accounts.roles.MANAGING_ROLES), behind their second factor.
evreg and evorg define the same two names identically where they need them."""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, has_role


def can_manage_event(user, event=None) -> bool:
    """Agency administrators and editors manage every event (there are no event-specific
    organisers yet); `event` is accepted so that a later rule per event needs no new callers."""
    return has_role(user, *MANAGING_ROLES)


def can_view_event(user, event) -> bool:
    from .models import Event

    if event.status == Event.Status.PUBLISHED and event.is_public:
        return True
    return can_manage_event(user, event)


def can_register_for_event(user, event) -> bool:
    """Anyone, without an account, may register for a published public event; an event that is
    not public (an invitation-only meeting) takes registrations only through the people who
    manage events. Whether registration is open at this moment is the service's guard
    (`registrations.registration_closed_reason`), not a permission."""
    if event.status != event.Status.PUBLISHED:
        return can_manage_event(user, event)
    return event.is_public or can_manage_event(user, event)
