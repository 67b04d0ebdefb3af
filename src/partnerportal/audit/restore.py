"""Restoring an earlier version of an object, for the revert (`services.change_revert`).

The app that owns a model knows its rules (a partnership's status changes only through its
workflow, which records the status change and tells people): it registers a restorer here from
its `AppConfig.ready()` (`restorer_register`), so audit, which every app writes to, imports none
of them. A model without one gets its tracked fields written back as they were
(`services.generic_restore`). A restorer runs inside the revert's transaction, with the object
locked, and refuses with a ValidationError that says why (the revert then changes nothing)."""

from __future__ import annotations

from typing import Protocol

from django.db import models
from simple_history.utils import get_m2m_reverse_field_name

from partnerportal.core.concurrency import VERSION_FIELD

from .history import history_deferred


class Restorer(Protocol):
    def __call__(
        self, *, obj: models.Model, previous, actor, expected_version: int | None
    ) -> models.Model: ...


_RESTORERS: dict[type[models.Model], Restorer] = {}


def restorer_register(model: type[models.Model], restorer: Restorer) -> None:
    """Let the app that owns `model` restore its versions (called from its ready())."""
    _RESTORERS[model] = restorer


def restorer_for(model: type[models.Model]) -> Restorer | None:
    return _RESTORERS.get(model)


def fields_restore(obj: models.Model, previous, *, exclude: frozenset[str] = frozenset()) -> bool:
    """Write the tracked field values of the history record `previous` onto `obj`, except the
    key, the version (never brought back: ADR 0005) and `exclude`. Whether anything differed."""
    changed = False
    for model_field in previous.tracked_fields:
        if model_field.primary_key or model_field.name == VERSION_FIELD:
            continue
        if model_field.name in exclude:
            continue
        old = getattr(previous, model_field.attname)
        if getattr(obj, model_field.attname) != old:
            setattr(obj, model_field.attname, old)
            changed = True
    return changed


def m2m_restore(obj: models.Model, previous) -> bool:
    """Set `obj`'s tracked many-to-many fields (a partnership's themes) to what the history
    record `previous` holds, recorded by the next save of `obj` (history_deferred). Whether
    anything differed. `obj` must exist."""
    changed = False
    with history_deferred(obj):
        for model_field in getattr(previous, "_history_m2m_fields", ()):
            name = get_m2m_reverse_field_name(model_field)
            old = set(getattr(previous, model_field.name).values_list(f"{name}_id", flat=True))
            manager = getattr(obj, model_field.name)
            if set(manager.values_list("pk", flat=True)) != old:
                manager.set(old)
                changed = True
    return changed
