"""What changed on a partnership since a form was read, for the message that refuses a stale
save (core.concurrency): the partnership's own later versions and the actors and contact persons
saved with them, as people read them (labels, choices and names, not ids)."""

from __future__ import annotations

from partnerportal.audit.selectors import ChangeView, change_views, changes_since

from .. import permissions
from ..models import Actor, ContactPerson, Partnership


def partnership_changes_since(partnership: Partnership, *, version: int, user) -> list[ChangeView]:
    """Newest first. Contact persons the person may not see are left out."""
    views = changes_since(partnership, version=version)
    if not views:
        return views
    since = min(view.when for view in views)
    for model in (Actor, ContactPerson):
        records = [
            record
            for record in model.history.filter(
                partnership_id=partnership.pk, history_date__gte=since
            )
            .select_related("history_user")
            .order_by("-history_date", "-history_id")
            if model is not ContactPerson
            or permissions.can_view_contact(user, _contact(record, partnership))
        ]
        pairs = [(record, record.prev_record) for record in records]
        views += change_views(model, pairs, subject=lambda record: record.name)
    return sorted(views, key=lambda view: view.when, reverse=True)


def _contact(record, partnership: Partnership) -> ContactPerson:
    contact = record.instance
    contact.partnership = partnership
    return contact
