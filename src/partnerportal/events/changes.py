"""When the public face of the events last changed (a `core.versions.ChangeVersion`), so that
the calendar and the event pages can keep what they render in the shared cache until then.

What the version covers: events, series, participant groups, the events' links to hosts,
co-hosts, partner countries and documents, and documents themselves. Registrations do not
move it: seats are counted live on every page, so a flood of registrations never empties the
cache. Municipality, country and programme names are the registry's: pages key on
`registry.changes.REGISTRY_VERSION` as well.

A change moves the version at once and again when its transaction commits: a page rendered
in between (from the data before the commit) is cached under the intermediate version only,
which the commit leaves behind; and code that never commits (a test's transaction) still sees
its own change."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from partnerportal.core.versions import ChangeVersion

EVENTS_VERSION = ChangeVersion("events:changed-at")


def events_changed() -> None:
    """Mark the events as changed now and once the current transaction commits."""
    EVENTS_VERSION.bump()
    EVENTS_VERSION.changed()


def events_version() -> float:
    return EVENTS_VERSION.current()


def _record_changed(sender, **kwargs) -> None:
    events_changed()


def _relation_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        events_changed()


def change_receivers_connect() -> None:
    """Called from the app's ready(): saves and deletes of what the pages show."""
    from wagtail.documents import get_document_model

    from .models import Event, EventSeries, ParticipantGroup

    for model in (Event, EventSeries, ParticipantGroup, get_document_model()):
        uid = f"events-version-{model._meta.label}"
        post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
    for relation in (
        Event.host_municipalities,
        Event.co_host_municipalities,
        Event.partner_countries,
        Event.documents,
    ):
        m2m_changed.connect(
            _relation_changed,
            sender=relation.through,
            dispatch_uid=f"events-version-{relation.through._meta.label}",
        )
