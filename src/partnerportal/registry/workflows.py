"""The registry's workflows as data: the partnership status and the import review queue, each one
table of transitions (core.workflows.Transition), read by one service
(`services.partnerships.partnership_transition`, `services.review.review_item_transition`) and
by the pages that draw the buttons (`available_actions`). Nothing else changes those states."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partnerportal.core import workflows as core_workflows

from .models import Partnership, PartnershipStatus, ReviewItem

S = PartnershipStatus
R = ReviewItem.Status


#: Every status transition tells the editors of the other side (services.partnerships).
Transition = core_workflows.Transition


def _editors_and_staff(user, partnership: Partnership) -> bool:
    from .permissions import can_change_partnership_status

    return can_change_partnership_status(user, partnership)


TRANSITIONS: tuple[Transition, ...] = (
    Transition("activate", frozenset({S.INITIATION}), S.ACTIVE, _("Activate"), _editors_and_staff),
    Transition("pause", frozenset({S.ACTIVE, S.REACTIVATED}), S.DORMANT, _("Mark as dormant"),
               _editors_and_staff),
    Transition("reactivate", frozenset({S.DORMANT, S.ENDED}), S.REACTIVATED, _("Reactivate"),
               _editors_and_staff),
    Transition("end", frozenset({S.INITIATION, S.ACTIVE, S.DORMANT, S.REACTIVATED}), S.ENDED,
               _("End the partnership"), _editors_and_staff),
)  # fmt: skip

BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def _reviewers(user, item: ReviewItem) -> bool:
    from .permissions import can_review_imports

    return can_review_imports(user)


#: A review item is settled once: resolved with a municipality that exists ("resolve") or that
#: staff create for it ("create"; the partnership follows once both sides are known), or
#: dismissed. Staff who review imports do all three.
REVIEW_ITEM_TRANSITIONS: tuple[core_workflows.Transition, ...] = (
    core_workflows.Transition("resolve", frozenset({R.OPEN}), R.RESOLVED, _("This one"),
                              _reviewers),
    core_workflows.Transition("create", frozenset({R.OPEN}), R.RESOLVED, _("Create and use"),
                              _reviewers),
    core_workflows.Transition("dismiss", frozenset({R.OPEN}), R.DISMISSED, _("Dismiss this row"),
                              _reviewers),
)  # fmt: skip


def transition_get(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def transitions_from(status: str) -> list[Transition]:
    return core_workflows.transitions_from(TRANSITIONS, status)


def table_for(obj) -> tuple[core_workflows.Transition, ...]:
    """The table that governs `obj`: one per model."""
    if isinstance(obj, ReviewItem):
        return REVIEW_ITEM_TRANSITIONS
    return TRANSITIONS


def available_actions(obj: Partnership | ReviewItem, user) -> list[core_workflows.Transition]:
    """The transitions `user` may perform on `obj` (a partnership or a review item) now, for the
    page's buttons."""
    return core_workflows.actions_available(table_for(obj), obj=obj, user=user, state=obj.status)
