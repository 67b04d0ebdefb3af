"""The secret of a registration's self-service link (see registrations.py): derived from the
registration with the server's key, never stored; the database keeps its SHA-256 only. The
registration's `access_token_version` enters the HMAC, so a new link (the version moved on)
makes every older one invalid."""

from __future__ import annotations

import hashlib

from django.utils.crypto import salted_hmac

from .models import Registration

TOKEN_SALT = "partnerportal.events.registration"  # noqa: S105 - a salt, not a secret


def access_token_for(registration: Registration) -> str:
    """The secret of the self-service link: derived from the registration with SECRET_KEY, so
    it is never stored and every e-mail can carry it again."""
    value = f"{registration.pk}:{registration.created_at.isoformat()}"
    if registration.access_token_version > 1:
        # A renewed link (registrations.registration_link_renew); version 1 keeps the form of
        # the links already sent.
        value += f":{registration.access_token_version}"
    return salted_hmac(TOKEN_SALT, value, algorithm="sha256").hexdigest()[:43]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
