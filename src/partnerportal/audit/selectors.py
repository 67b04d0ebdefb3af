"""Reads of the audit trail. One query for the records of an object (with their users); the
before/after of each change is computed in memory against the next older record, so a long
history does not cost one query per row."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.utils import get_m2m_reverse_field_name

from partnerportal.audit.actions import AuditAction, action_label
from partnerportal.core.concurrency import VERSION_FIELD
from partnerportal.core.dates import display_date, display_datetime

#: Fields the trail keeps for its own use (which version a record is) but does not show.
HIDDEN_FIELDS = frozenset({VERSION_FIELD})

#: simple-history's history_type, shown when a change carries no action name of ours.
HISTORY_TYPE_ACTIONS = {
    "+": AuditAction.CREATED,
    "~": AuditAction.CHANGED,
    "-": AuditAction.DELETED,
}


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
    action_label: str
    history_type: str
    changes: list[FieldChange] = field(default_factory=list)
    user_id: int | None = None
    #: what the change was made to, where that is not the page's object (e.g. an actor)
    subject: str = ""

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


def _field(model: type[models.Model], field_name: str):
    try:
        return model._meta.get_field(field_name)
    except FieldDoesNotExist:  # a field removed since the record was written
        return None


def _m2m_ids(model_field, rows) -> list:
    """The related ids in simple-history's rows of a many-to-many field ({side: id, ...})."""
    name = get_m2m_reverse_field_name(model_field)
    return [row[name] for row in rows or () if row.get(name) is not None]


def _display(model_field, value: Any, related: dict) -> Any:
    """A value as people read it: choice fields show their label, foreign keys and many-to-many
    fields the objects they point to, yes/no for booleans, dates and decimals in the active
    language's format, lists (e.g. alternate names) as text. Integers stay as they are (a year
    is not "1.999")."""
    if value is None:
        return value
    if model_field is None:
        return _readable(value)
    if model_field.many_to_many:
        names = [
            str(related.get((model_field.related_model, pk), _("#%(pk)s (deleted)") % {"pk": pk}))
            for pk in _m2m_ids(model_field, value)
        ]
        return ", ".join(sorted(names)) or None
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.many_to_one:
        obj = related.get((model_field.related_model, value))
        return str(obj) if obj is not None else _("#%(pk)s (deleted)") % {"pk": value}
    return _readable(value)


def _readable(value: Any) -> Any:
    """A plain value in the active language's words and formats."""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return display_datetime(value)
    if isinstance(value, date):
        return display_date(value, "short")
    if isinstance(value, Decimal | float):
        return number_format(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(_readable(item)) for item in value) or None
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_readable(item)}" for key, item in value.items()) or None
    return value


def _related_objects(model: type[models.Model], deltas) -> dict:
    """Load the objects foreign keys in the trail point to: one query per related model, however
    long the trail."""
    wanted: dict[type[models.Model], set] = {}
    for delta in deltas:
        for change in delta.changes:
            model_field = _field(model, change.field)
            if model_field is not None and model_field.many_to_one:
                pks = wanted.setdefault(model_field.related_model, set())
                pks.update(v for v in (change.old, change.new) if v is not None)
            elif model_field is not None and model_field.many_to_many:
                pks = wanted.setdefault(model_field.related_model, set())
                pks.update(_m2m_ids(model_field, change.old))
                pks.update(_m2m_ids(model_field, change.new))
    related = {}
    for related_model, pks in wanted.items():
        for pk, obj in related_model._default_manager.in_bulk(pks).items():
            related[(related_model, pk)] = obj
    return related


def _verbose_name(model: type[models.Model], field_name: str) -> str:
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:
        return field_name


def object_history(obj: models.Model) -> list[ChangeView]:
    """The trail of one object, newest first: who, when, which action, and what changed."""
    records = list(
        history_manager(obj).select_related("history_user").order_by("-history_date", "-history_id")
    )
    pairs = [
        (record, records[i + 1] if i + 1 < len(records) else None)
        for i, record in enumerate(records)
    ]
    return change_views(type(obj), pairs)


def changes_since(obj: models.Model, *, version: int) -> list[ChangeView]:
    """What happened to a versioned object after `version` (the one a form was read at), newest
    first: the records of the later versions, each against the one before it."""
    records = list(
        history_manager(obj)
        .filter(**{f"{VERSION_FIELD}__gte": version})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    pairs = [
        (record, records[i + 1] if i + 1 < len(records) else record.prev_record)
        for i, record in enumerate(records)
        if getattr(record, VERSION_FIELD) > version
    ]
    return change_views(type(obj), pairs)


def change_views(
    model: type[models.Model], pairs, *, subject=None, fields=None, who=None
) -> list[ChangeView]:
    """One ChangeView per (history record, the record before it or None); `subject(record)`
    names what changed where that is not the page's object. Pages for people outside the
    agency pass `fields` (only these are shown) and `who(user)` (how the actor is named): the
    full trail, with its actors' addresses and import files, is for staff."""
    deltas = [
        record.diff_against(previous) if previous is not None else None
        for record, previous in pairs
    ]
    related = _related_objects(model, [d for d in deltas if d is not None])
    views: list[ChangeView] = []
    for (record, _previous), delta in zip(pairs, deltas, strict=True):
        changes = [
            FieldChange(
                label=_verbose_name(model, change.field),
                before=_display(_field(model, change.field), change.old, related),
                after=_display(_field(model, change.field), change.new, related),
            )
            for change in sorted(delta.changes if delta else [], key=lambda c: c.field)
            if change.field not in HIDDEN_FIELDS and (fields is None or change.field in fields)
        ]
        user = record.history_user
        action = record.history_change_reason or HISTORY_TYPE_ACTIONS.get(record.history_type, "")
        views.append(
            ChangeView(
                history_id=record.history_id,
                who=(who(user) if who else str(user)) if user is not None else str(_("system")),
                when=record.history_date,
                action=action,
                action_label=action_label(action),
                history_type=record.history_type,
                changes=changes,
                user_id=record.history_user_id,
                subject=subject(record) if subject else "",
            )
        )
    return views


def _tracked_models() -> list[type[models.Model]]:
    """Every model whose changes simple-history records (its history models excluded)."""
    from simple_history.models import registered_models

    return [
        model
        for model in registered_models.values()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def changes_made_by(user) -> list[dict[str, Any]]:
    """Every change `user` made to any tracked record, oldest first, with what changed: part of
    what is stored about a person (their right of access, Art. 15 GDPR). One query for their
    records and one for the earlier states of the same objects, per model."""
    rows: list[dict[str, Any]] = []
    for model in _tracked_models():
        manager = history_manager(model)
        pk_name = model._meta.pk.attname
        mine = list(manager.filter(history_user=user).order_by("history_date", "history_id"))
        if not mine:
            continue
        trail: dict[Any, list] = {}
        for record in manager.filter(
            **{f"{pk_name}__in": {getattr(r, pk_name) for r in mine}}
        ).order_by("history_date", "history_id"):
            trail.setdefault(getattr(record, pk_name), []).append(record)
        deltas = {}
        for records in trail.values():
            for earlier, later in pairwise(records):
                deltas[later.history_id] = later.diff_against(earlier)
        related = _related_objects(model, list(deltas.values()))
        for record in mine:
            delta = deltas.get(record.history_id)
            action = record.history_change_reason or HISTORY_TYPE_ACTIONS.get(
                record.history_type, ""
            )
            rows.append(
                {
                    "record": str(model._meta.verbose_name),
                    "object_id": getattr(record, pk_name),
                    "object": str(record.instance),
                    "when": record.history_date,
                    "action": str(action_label(action)),
                    "changes": [
                        {
                            "field": _verbose_name(model, change.field),
                            "before": _plain(
                                _display(_field(model, change.field), change.old, related)
                            ),
                            "after": _plain(
                                _display(_field(model, change.field), change.new, related)
                            ),
                        }
                        for change in sorted(delta.changes if delta else [], key=lambda c: c.field)
                    ],
                }
            )
    rows.sort(key=lambda row: row["when"])
    return rows


def _plain(value: Any) -> Any:
    """Lazy translations and other objects as text; what JSON knows stays as it is."""
    if value is None or isinstance(value, bool | int | float | str | datetime | list | dict):
        return value
    return str(value)
