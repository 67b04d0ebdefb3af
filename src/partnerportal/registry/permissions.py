"""Who may see and do what in the registry. Views, API and templates ask here.

- Municipalities, confirmed partnerships and public contacts: everyone.
- A partnership: its editors (active members of either municipality) edit it; agency staff
  edit every partnership, confirm proposed ones and revert changes.
- Contact persons: by their visibility (public / editors of both sides and staff / staff only).
- The import review queue, the list of stale entries and its reminder rounds: agency staff.
- Two kinds of "confirmed", kept apart: an editor of either side confirms that the entry is
  still current (for the municipality); agency staff mark it as checked by the agency.
"""

from __future__ import annotations

from partnerportal.accounts.roles import MANAGING_ROLES, edited_municipality_ids, has_role

from .models import ContactPerson, Municipality, Partnership


def is_registry_staff(user) -> bool:
    return has_role(user, *MANAGING_ROLES)


def edits_for(user, municipality: Municipality) -> bool:
    """Whether `user` is an active editor of `municipality` (no query after the first)."""
    return municipality.pk in edited_municipality_ids(user)


def can_view_partnership(user, partnership: Partnership) -> bool:
    if partnership.is_confirmed:
        return True
    return can_edit_partnership(user, partnership)


def can_edit_partnership(user, partnership: Partnership) -> bool:
    if is_registry_staff(user):
        return True
    edited = edited_municipality_ids(user)  # ids: no query for the two sides
    return partnership.municipality_a_id in edited or partnership.municipality_b_id in edited


def can_edit_municipality(user, municipality: Municipality) -> bool:
    return is_registry_staff(user) or edits_for(user, municipality)


def can_propose_partnership(user, municipality: Municipality) -> bool:
    return can_edit_municipality(user, municipality)


def can_confirm_proposed_partnership(user, partnership: Partnership) -> bool:
    return is_registry_staff(user) and not partnership.is_confirmed


def can_view_contact(user, contact: ContactPerson) -> bool:
    if contact.visibility == ContactPerson.Visibility.PUBLIC:
        return True
    if is_registry_staff(user):
        return True
    if contact.visibility == ContactPerson.Visibility.EDITORS:
        return can_edit_partnership(user, contact.partnership)
    return False


def can_review_imports(user) -> bool:
    return is_registry_staff(user)


def can_view_stale_partnerships(user) -> bool:
    return is_registry_staff(user)


def can_change_partnership_status(user, partnership: Partnership) -> bool:
    """The status workflow (see registry.workflows) is open to whoever edits the partnership."""
    return can_edit_partnership(user, partnership)


def can_confirm_partnership_current(user, partnership: Partnership) -> bool:
    """'Still correct' is the municipality's word: an editor of either side says it, for a
    published partnership (a proposal has nothing to confirm yet). Staff check instead
    (can_check_partnership)."""
    if not partnership.is_confirmed:
        return False
    edited = edited_municipality_ids(user)
    return partnership.municipality_a_id in edited or partnership.municipality_b_id in edited


def can_check_partnership(user, partnership: Partnership) -> bool:
    """'Checked by the agency': staff looked at a published entry (a proposal is checked by
    accepting it)."""
    return partnership.is_confirmed and is_registry_staff(user)


def can_run_reminder_rounds(user) -> bool:
    return is_registry_staff(user)


def can_reject_proposed_partnership(user, partnership: Partnership) -> bool:
    return can_confirm_proposed_partnership(user, partnership)


def can_view_partnership_history(user, partnership: Partnership) -> bool:
    """The audit trail (who changed what, and revert) is for staff, as in the audit app."""
    return is_registry_staff(user)


def partnership_abilities(user, partnership: Partnership) -> dict[str, bool]:
    """All the partnership page's editing questions at once, each rule asked only once (the
    page's query budget counts)."""
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(
            ("edit", "confirm_current", "check", "decide_proposal", "history"), False
        )
    staff = is_registry_staff(user)
    edited = edited_municipality_ids(user)
    municipal = partnership.municipality_a_id in edited or partnership.municipality_b_id in edited
    return {
        "edit": staff or municipal,
        "confirm_current": municipal and partnership.is_confirmed,
        "check": staff and partnership.is_confirmed,
        "decide_proposal": staff and not partnership.is_confirmed,
        "history": staff,
    }
