"""How often one client may register (EVENTS_REGISTRATION_RATE), through the page and the API
together: a form anyone may send is the first thing a script floods."""

from __future__ import annotations

from partnerportal.core.throttling import AddressRate


class RegistrationRate(AddressRate):
    """Registrations per caller's address, logged in or not; one counter for page and API."""

    scope = "events-registration"
    setting = "EVENTS_REGISTRATION_RATE"
