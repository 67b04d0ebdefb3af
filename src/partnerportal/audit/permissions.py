"""Who may see and undo changes: the agency's administrators and editors.

Whether someone may know that an object exists at all is the owning app's question: it registers
its `can_view_<noun>` here (`visibility_register`), and the trail of an object hidden from a
person answers 404, as the object's own page does, instead of a 403 that tells it exists.
Who holds those roles is accounts' knowledge: it registers the check here (`auditors_register`),
so that audit, which accounts writes to, does not import accounts."""

from collections.abc import Callable

from django.db import models

#: Who may see and undo changes (accounts registers it; nobody until then).
_AUDITORS: list[Callable[[object], bool]] = []

_VISIBILITY: dict[type[models.Model], Callable[[object, models.Model], bool]] = {}


def auditors_register(check: Callable[[object], bool]) -> None:
    """Let accounts say who may see the trail and undo changes (called from its ready())."""
    _AUDITORS[:] = [check]


def _is_auditor(user) -> bool:
    return any(check(user) for check in _AUDITORS)


def visibility_register(model: type[models.Model], check: Callable[[object, models.Model], bool]):
    """Let the app that owns `model` decide who may see its objects (called from its ready())."""
    _VISIBILITY[model] = check


def can_see_object(user, obj) -> bool:
    check = _VISIBILITY.get(type(obj))
    return check is None or check(user, obj)


def can_view_history(user, obj) -> bool:
    return _is_auditor(user)


def can_revert_change(user, obj) -> bool:
    return _is_auditor(user)
