"""After migrate, the series history is stored (events.history), as content sets up the site's
pages: a fresh installation has the regional conferences' history without a further command.

Signals the app sends for other capabilities to connect to (ADR 0012: capabilities do not
import each other; the one that offers the edge sends a signal).
`travel_support_requested`
    Sent once per registration that asks for travel cost support, after the transaction that
    saved it has committed (so a receiver sees the row and may enqueue work for it), with
    ``sender=Registration`` and ``registration=<Registration>``. The funding app connects a
    receiver that turns the request into a funding request; until it does, the request is
    kept on the registration (`travel_support_requested`, `travel_support_note`) and nothing
    else happens. A receiver that fails does not undo the registration (the signal is sent with
    `send_robust`; failures are logged).
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.dispatch import Signal

from partnerportal.core.setup import migrated

travel_support_requested = Signal()


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
