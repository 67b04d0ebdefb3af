"""The life of a registration for its organisers (ADR 0013): every change of its state is a
record in the registration's history table (django-simple-history, through
`audit.services.attribute_change`), under an action code of `EventsRegistrationAction`.

The table holds states, times and ids only (`models.REGISTRATION_PERSONAL_FIELDS` are left
out), so the retention job and the erasure of a person never need to touch it. Who acted is the
record's `history_user`: an organiser, the participant's account, or nobody (a participant
through the secret link, the waiting list moving up, an offer that expired)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from partnerportal.audit.actions import action_label

from .models import Registration


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    action: str
    label: str
    status: str
    status_label: str
    who: str


def registration_record(
    registration: Registration, *, actor, action: str, fields: list[str]
) -> None:
    """A history record for a change another statement already wrote with a conditional
    UPDATE (check-in: the compare-and-set is the guard against two doors): `fields` are written
    once more with the values `registration` holds, and the record names `actor` and
    `action`."""
    user = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    bulk_update_with_history(
        [registration],
        Registration,
        fields,
        default_user=user,
        default_change_reason=action,
    )


def registration_timelines(registrations: list[Registration]) -> dict[int, list[TimelineEntry]]:
    """The timelines of several registrations, oldest step first, in one query."""
    ids = [registration.pk for registration in registrations]
    records = (
        Registration.history.filter(id__in=ids)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    statuses = dict(Registration.Status.choices)
    timelines: dict[int, list[TimelineEntry]] = {pk: [] for pk in ids}
    for record in records:
        action = record.history_change_reason or ""
        user = record.history_user
        timelines[record.id].append(
            TimelineEntry(
                when=record.history_date,
                action=action,
                label=action_label(action) if action else _("changed"),
                status=record.status,
                status_label=str(statuses.get(record.status, record.status)),
                who=(getattr(user, "display_name", "") or str(user)) if user is not None else "",
            )
        )
    return timelines


def registration_timeline(registration: Registration) -> list[TimelineEntry]:
    return registration_timelines([registration])[registration.pk]


def registration_restore_refuse(*, obj, previous, actor, expected_version):
    """The audit trail's revert does not apply to registrations: a seat is taken and given
    only by the registration services, which keep the waiting list in order and tell people."""
    raise ValidationError(
        _(
            "A registration cannot be reverted: cancel it or register again, so that the "
            "waiting list stays in order."
        )
    )
