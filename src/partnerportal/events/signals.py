"""Signals the events app sends for other capabilities to connect to (ADR 0012: capabilities do
not import each other; the one that offers the edge sends a signal).

`travel_support_requested`
    Sent once per registration that asks for travel cost support, after the transaction that
    saved it has committed (so a receiver sees the row and may enqueue work for it), with
    ``sender=Registration`` and ``registration=<Registration>``. The funding app connects a
    receiver that turns the request into a funding request; until it does, the request is
    kept on the registration (`travel_support_requested`, `travel_support_note`) and nothing
    else happens. A receiver that fails does not undo the registration (the signal is sent with
    `send_robust`; failures are logged).
"""

from django.dispatch import Signal

travel_support_requested = Signal()
