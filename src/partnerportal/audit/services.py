"""Attribution of changes: who did what. Services call `attribute_change` before they save, so
that django-simple-history writes one history record naming the actor and the action."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from partnerportal.core.concurrency import is_versioned, version_claim

from .actions import AuditAction
from .permissions import can_revert_change
from .restore import fields_restore, m2m_restore, restorer_for

REVERT_ACTION = AuditAction.REVERTED


def attribute_change(obj: models.Model, *, actor, action: str) -> None:
    """Mark the next save of `obj` as done by `actor` for `action` (e.g. 'membership.confirmed')."""
    obj._history_user = actor if (actor is not None and actor.is_authenticated) else None
    obj._change_reason = action


def change_revert(*, actor, history_record, expected_version: int | None) -> models.Model:
    """Undo one change by restoring the object to the state recorded just before it.

    The revert is itself a change and is saved through `attribute_change`, so the trail shows who
    undid what; nothing is ever deleted from the history. Fields the history does not track (e.g.
    a membership's message) keep their current value. A creation cannot be undone this way: that
    would be a deletion, which belongs to the owning app's own service and its checks.

    The app that owns the model restores it where it registered a restorer (audit.restore: a
    partnership's status goes through its workflow); otherwise `generic_restore` writes the
    tracked fields back. A refusal (ValidationError) changes nothing.

    A versioned object (core.concurrency) is only restored while it is still at
    `expected_version`, the version the person saw (None: no check, for scripts); otherwise
    EditConflict. The restore never brings back an old version number: it moves the version on.
    """
    model = history_record.instance_type
    if history_record.history_type == "+":
        raise ValidationError(_("The creation of an object cannot be reverted."))
    previous = history_record.prev_record
    if previous is None:
        raise ValidationError(_("There is no earlier state to restore."))
    try:
        return _restore(
            model=model, previous=previous, actor=actor, expected_version=expected_version
        )
    except IntegrityError as error:
        # E.g. the old value of a unique field has since been given to another object.
        raise ValidationError(
            _("The earlier state conflicts with other data and cannot be restored.")
        ) from error


def _restore(
    *, model: type[models.Model], previous, actor, expected_version: int | None
) -> models.Model:
    with transaction.atomic():
        pk = getattr(previous, model._meta.pk.attname)
        obj = model._default_manager.select_for_update().filter(pk=pk).first()
        if obj is None:
            # The change was a deletion: bring the object back as it was.
            obj = previous.instance
        if not can_revert_change(actor, obj):
            raise PermissionDenied
        restore = restorer_for(model) or generic_restore
        return restore(obj=obj, previous=previous, actor=actor, expected_version=expected_version)


def generic_restore(
    *, obj: models.Model, previous, actor, expected_version: int | None
) -> models.Model:
    """Every tracked field back as it was, saved as one change by `actor` (the revert action);
    a versioned object only while it is still at `expected_version`. For models whose app
    registered no restorer (audit.restore), and for restorers to fall back on."""
    with transaction.atomic():
        restoring_deleted = obj._state.adding
        if is_versioned(obj) and not restoring_deleted:
            version_claim(obj, expected_version=expected_version)
        fields_restore(obj, previous)
        if not restoring_deleted:  # a deleted object's relations went with it
            m2m_restore(obj, previous)
        attribute_change(obj, actor=actor, action=REVERT_ACTION)
        obj.save()
    return obj
