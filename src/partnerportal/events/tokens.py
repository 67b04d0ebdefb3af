"""The secret of a registration's self-service link (see registrations.py): derived from the
registration with the server's key, never stored; the database keeps its SHA-256 only."""

from __future__ import annotations

import hashlib

from django.utils.crypto import salted_hmac

from .models import Registration

TOKEN_SALT = "partnerportal.events.registration"  # noqa: S105 - a salt, not a secret


def access_token_for(registration: Registration) -> str:
    """The secret of the self-service link: derived from the registration with SECRET_KEY, so
    it is never stored and every e-mail can carry it again."""
    value = f"{registration.pk}:{registration.created_at.isoformat()}"
    return salted_hmac(TOKEN_SALT, value, algorithm="sha256").hexdigest()[:43]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
