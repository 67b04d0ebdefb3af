"""The membership workflow as data: one table of transitions (sources, target, who may, what is
recorded and who is told), read by one service (`services.membership_transition`) and by the
pages that draw the buttons (`available_actions`). The named services (membership_request,
_confirm, ...) are thin wrappers over it; nothing else changes a membership's status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from partnerportal.core import workflows as core_workflows
from partnerportal.notifications.events import Event

from . import permissions, selectors
from .actions import AccountsAction
from .models import Membership

M = Membership.Status
#: The state of a membership nobody has asked for yet (no row): where "request" starts.
NEW = ""


@dataclass(frozen=True)
class Transition(core_workflows.Transition):
    #: what the audit trail calls the change
    audit_action: AccountsAction | str = ""
    #: who is told, after the commit, and of which event ("" tells nobody)
    event: str = ""
    recipients: Callable[[Membership], list] | None = field(compare=False, default=None)


def _deciders(membership: Membership) -> list:
    return selectors.membership_deciders(municipality=membership.municipality)


def _the_person(membership: Membership) -> list:
    return [membership.user]


TRANSITIONS: tuple[Transition, ...] = (
    Transition("request", frozenset({NEW, M.DECLINED, M.ENDED}), M.REQUESTED,
               _("Ask to edit for a municipality"), permissions.is_membership_holder,
               audit_action=AccountsAction.MEMBERSHIP_REQUESTED, event=Event.MEMBERSHIP_REQUESTED,
               recipients=_deciders),
    Transition("confirm", frozenset({M.REQUESTED}), M.ACTIVE, _("Confirm"),
               permissions.may_decide_membership, audit_action=AccountsAction.MEMBERSHIP_CONFIRMED,
               event=Event.MEMBERSHIP_CONFIRMED, recipients=_the_person),
    Transition("decline", frozenset({M.REQUESTED}), M.DECLINED, _("Decline"),
               permissions.may_decide_membership, audit_action=AccountsAction.MEMBERSHIP_DECLINED,
               event=Event.MEMBERSHIP_DECLINED, recipients=_the_person),
    # A request taken back leaves nothing to keep: the row is deleted (target None).
    Transition("withdraw", frozenset({M.REQUESTED}), None, _("Withdraw request"),
               permissions.is_membership_holder, audit_action=AccountsAction.MEMBERSHIP_WITHDRAWN),
    # A membership left or ended is kept: edits made under it must stay traceable.
    Transition("leave", frozenset({M.ACTIVE}), M.ENDED, _("Leave"),
               permissions.is_membership_holder, audit_action=AccountsAction.MEMBERSHIP_LEFT),
    Transition("end", frozenset({M.ACTIVE}), M.ENDED, _("End membership"),
               permissions.may_end_membership, audit_action=AccountsAction.MEMBERSHIP_ENDED),
)  # fmt: skip


def state_of(membership: Membership) -> str:
    return membership.status if membership.pk else NEW


def available_actions(membership: Membership, user) -> list[Transition]:
    """The transitions `user` may perform on `membership` now, for the page's buttons."""
    return core_workflows.actions_available(
        TRANSITIONS, obj=membership, user=user, state=state_of(membership)
    )
