"""Optimistic concurrency: no edit silently overwrites another (ADR 0005).

A record that people edit carries an integer `version` (VersionedModel). A form remembers the
version it was read at; the one service that writes calls `version_claim` inside
`transaction.atomic()`, which moves the version on with a compare-and-set

    UPDATE … SET version = version + 1 WHERE id = %s AND version = %s

and raises EditConflict when no row matched: someone saved in between, and nothing is written.
The UPDATE also holds the row (PostgreSQL) or the database (SQLite, IMMEDIATE transactions) until
the transaction ends, so of two parallel saves on the same version exactly one lands.

Every other save() of a versioned record moves the version on as well (so a form read before an
import, a revert or a script is refused too); a save with `update_fields` that leaves out
`version` is bookkeeping and keeps it. Bulk writes bypass save(): they set `version` themselves.
"""

from __future__ import annotations

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "version"


class EditConflict(Exception):
    """The record changed (or went away) since the form was read; nothing was saved."""

    def __init__(self, obj: models.Model, *, expected_version: int, current_version: int | None):
        self.obj = obj
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"{type(obj).__name__} {obj.pk}: expected version {expected_version}, "
            f"found {current_version}"
        )

    @property
    def deleted(self) -> bool:
        return self.current_version is None


def is_versioned(model_or_obj) -> bool:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return issubclass(model, VersionedModel)


def version_claim(instance: models.Model, *, expected_version: int | None) -> int:
    """Move `instance`'s version on by one in the database, if it is still `expected_version`
    (None: whatever it is), and return the new version; the next save() of `instance` writes
    with it. Must run inside `transaction.atomic()` together with that save."""
    connection = transaction.get_connection(instance._state.db or "default")
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "version_claim() belongs inside transaction.atomic() with the save it guards."
        )
    manager = type(instance)._base_manager.using(instance._state.db or "default")
    rows = manager.filter(pk=instance.pk)
    if expected_version is not None:
        rows = rows.filter(**{VERSION_FIELD: expected_version})
    if rows.update(**{VERSION_FIELD: F(VERSION_FIELD) + 1}) != 1:
        current = manager.filter(pk=instance.pk).values_list(VERSION_FIELD, flat=True).first()
        raise EditConflict(instance, expected_version=expected_version, current_version=current)
    if expected_version is None:
        version = manager.filter(pk=instance.pk).values_list(VERSION_FIELD, flat=True).get()
    else:
        version = expected_version + 1
    setattr(instance, VERSION_FIELD, version)
    instance._version_claimed = True
    return version


def version_check(instance: models.Model, *, expected_version: int | None) -> None:
    """Like version_claim, but for a save that records something about the content without
    changing it (e.g. "still correct"): the row is held until the transaction ends and the
    version stays."""
    connection = transaction.get_connection(instance._state.db or "default")
    if not connection.in_atomic_block:
        raise transaction.TransactionManagementError(
            "version_check() belongs inside transaction.atomic() with the save it guards."
        )
    manager = type(instance)._base_manager.using(instance._state.db or "default")
    current = (
        manager.select_for_update()
        .filter(pk=instance.pk)
        .values_list(VERSION_FIELD, flat=True)
        .first()
    )
    if current is None or (expected_version is not None and current != expected_version):
        raise EditConflict(instance, expected_version=expected_version, current_version=current)


class VersionedModel(models.Model):
    """A record people edit in forms: see the module docstring."""

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts the saves; a form sent with an older version is refused."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        claimed = self.__dict__.pop("_version_claimed", False)
        bookkeeping = update_fields is not None and VERSION_FIELD not in update_fields
        if claimed or bookkeeping or self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using") or self._state.db):
            version_claim(self, expected_version=None)
            self.__dict__.pop("_version_claimed", None)
            super().save(*args, **kwargs)
