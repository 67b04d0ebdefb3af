"""The shape every workflow table shares (STYLE.md, "Workflows are data with one way in"): a
state machine is a `TextChoices` of states plus one tuple of `Transition` rows. Each app keeps
its table beside its models (registry/workflows.py, accounts/workflows.py) and its one service
`<noun>_transition(*, obj, action, actor)`; this module only answers the questions every table
is asked, so that the tables read alike and are checked alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    #: the state afterwards; None where the transition removes the row (a withdrawn request)
    target: str | None
    label: str | Promise
    #: who may: a function (user, obj) -> bool from the app's permissions
    allowed: Callable[[Any, Any], bool] = field(compare=False, default=None)  # type: ignore[assignment]


class TransitionRefused(ValidationError, PermissionDenied):
    """The table has no such transition from the object's current state.

    A ValidationError, so that pages show its message; also a PermissionDenied, because for a
    caller that only asks "may this person do this now?" the state is part of the answer (the
    membership rules answered no for a decided request long before there was a table)."""


def transition_find(table: Iterable[Transition], action: str) -> Transition | None:
    return next((t for t in table if t.action == action), None)


def transitions_from(table: Iterable[Transition], state: str) -> list[Transition]:
    return [t for t in table if state in t.sources]


def transition_permitted(table: Iterable[Transition], *, action: str, obj, actor) -> Transition:
    """The row for `action` if `actor` may take it on `obj` at all, whatever the state: what a
    service asks before it locks or compares anything, so an outsider learns nothing."""
    transition = transition_find(table, action)
    if transition is None:
        raise TransitionRefused(_("Unknown action."), code="unknown_action")
    if not transition.allowed(actor, obj):
        raise PermissionDenied
    return transition


def transition_check(
    table: Iterable[Transition],
    *,
    action: str,
    obj,
    actor,
    state: str,
    state_label: str = "",
    wrong_state_message: str | None = None,
) -> Transition:
    """The row that lets `actor` perform `action` on `obj` in `state`, or the refusal: an
    unknown action, then who may (PermissionDenied: an outsider learns nothing of the state),
    then the state, with a message that names it."""
    transition = transition_permitted(table, action=action, obj=obj, actor=actor)
    if state not in transition.sources:
        raise TransitionRefused(
            wrong_state_message
            or _("“%(action)s” is not possible while the status is “%(status)s”.")
            % {"action": transition.label, "status": state_label or state},
            code="wrong_state",
        )
    return transition


def actions_available(table: Iterable[Transition], *, obj, user, state: str) -> list[Transition]:
    """The transitions `user` may perform on `obj` in `state`, in table order, for the page's
    buttons; one permission check per distinct rule, not per button."""
    decided: dict = {}

    def allowed(transition: Transition) -> bool:
        if transition.allowed not in decided:
            decided[transition.allowed] = bool(transition.allowed(user, obj))
        return decided[transition.allowed]

    return [t for t in transitions_from(table, state) if allowed(t)]
