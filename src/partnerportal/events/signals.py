"""After migrate, the series history is stored (events.history), as content sets up the site's
pages: a fresh installation has the regional conferences' history without a further command."""

from __future__ import annotations

from django.apps import apps as global_apps

from partnerportal.core.setup import migrated


def history_after_migrate(sender, *, using: str, apps=global_apps, **kwargs) -> None:
    if not migrated(apps, "events.Event", "events.EventSeries", "geo.Country"):
        return
    # The migration state must have the calendar's fields (not so after migrating back).
    try:
        apps.get_model("events.Event")._meta.get_field("date_precision")
    except Exception:
        return
    from .history import history_ensure

    history_ensure(using=using)
