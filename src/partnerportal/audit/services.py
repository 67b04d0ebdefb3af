"""Attribution of changes: who did what. Services call `attribute_change` before they save, so
that django-simple-history writes one history record naming the actor and the action."""

from django.db import models


def attribute_change(obj: models.Model, *, actor, action: str) -> None:
    """Mark the next save of `obj` as done by `actor` for `action` (e.g. 'membership.confirmed')."""
    obj._history_user = actor if (actor is not None and actor.is_authenticated) else None
    obj._change_reason = action
