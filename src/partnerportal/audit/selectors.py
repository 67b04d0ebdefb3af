"""Reads of the audit trail. One query for the records of an object (with their users); the
before/after of each change is computed in memory against the next older record, so a long
history does not cost one query per row."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

#: simple-history's history_type, shown when a change carries no action name of ours.
HISTORY_TYPE_ACTIONS = {"+": "create", "~": "update", "-": "delete"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ChangeView:
    history_id: int
    who: str
    when: datetime
    action: str
    history_type: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        return self.history_type == "+"


def history_model_for(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model named by a URL, but only if simple-history tracks it. The lookup goes through
    Django's app registry, so a URL can never make us import an arbitrary path."""
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    if not hasattr(model._meta, "simple_history_manager_attribute"):
        return None
    return model


def history_manager(obj_or_model):
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return getattr(obj_or_model, model._meta.simple_history_manager_attribute)


def _display(model: type[models.Model], field_name: str, value: Any) -> Any:
    """Choice fields show their label instead of the stored key."""
    try:
        model_field = model._meta.get_field(field_name)
    except FieldDoesNotExist:  # a field removed since the record was written
        return value
    if value is None:
        return None
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def _verbose_name(model: type[models.Model], field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name


def object_history(obj: models.Model) -> list[ChangeView]:
    """The trail of one object, newest first: who, when, which action, and what changed."""
    model = type(obj)
    records = list(
        history_manager(obj).select_related("history_user").order_by("-history_date", "-history_id")
    )
    views: list[ChangeView] = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if older is not None:
            delta = record.diff_against(older)
            for change in sorted(delta.changes, key=lambda c: c.field):
                changes.append(
                    FieldChange(
                        label=_verbose_name(model, change.field),
                        before=_display(model, change.field, change.old),
                        after=_display(model, change.field, change.new),
                    )
                )
        user = record.history_user
        views.append(
            ChangeView(
                history_id=record.history_id,
                who=str(user) if user is not None else str(_("system")),
                when=record.history_date,
                action=record.history_change_reason
                or HISTORY_TYPE_ACTIONS.get(record.history_type, ""),
                history_type=record.history_type,
                changes=changes,
            )
        )
    return views
