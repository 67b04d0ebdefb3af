"""The partnership status workflow as data: one table of transitions, read by one service
(`services.partnerships.partnership_transition`) and by the page that draws the buttons
(`available_actions`). Nothing else changes a partnership's status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Partnership, PartnershipStatus

S = PartnershipStatus


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str | Promise
    #: who may: a function (user, partnership) -> bool from registry.permissions
    allowed: Callable[[object, Partnership], bool] = field(compare=False, default=None)  # type: ignore[assignment]
    #: whether the editors of the other side are told (the side effect every transition has)
    notify_other_side: bool = True


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


def transition_get(action: str) -> Transition | None:
    return BY_ACTION.get(action)


def transitions_from(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if status in t.sources]


def available_actions(partnership: Partnership, user) -> list[Transition]:
    """The transitions `user` may perform on `partnership` now, for the page's buttons."""
    decided: dict = {}  # one permission check per distinct rule, not per button

    def allowed(transition: Transition) -> bool:
        if transition.allowed not in decided:
            decided[transition.allowed] = transition.allowed(user, partnership)
        return decided[transition.allowed]

    return [t for t in transitions_from(partnership.status) if allowed(t)]
