"""Who calls the API: integrations of agency staff send `Authorization: Bearer <token>` with a
token made on their account page or by `partnerportal api_token` (accounts decides what a token
is worth, `accounts.services.api_token_check`; this module speaks HTTP about it).

A router or endpoint needs one line, e.g. `Router(auth=ApiTokenAuth(permission=can_edit_event))`:
- no token (or another scheme): 401, "authentication required";
- a token that is unknown, revoked or expired, or whose account is closed: 401, saying which;
  each such attempt counts against the caller's address, and past API_TOKEN_FAILURE_RATE every
  token from there gets 429 with Retry-After until the window has passed (not even a right one is
  checked, so guessing learns nothing);
- a genuine token whose holder is no longer agency staff, or who lacks `permission`: 403.
On success `request.user` and `request.auth` are the holder (`request.api_token` the token):
the rate limit per account, the permission functions and the audit trail all see the person,
with their permissions, never more.

Bodies are JSON, `{"detail": <words in the request's language>, "code": <stable code>}`. The
token never reaches a log: ninja's own HttpBearer logs the whole header of an unexpected scheme
in DEBUG, which `__call__` here does not do, and our log settings print no request headers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from partnerportal.accounts.services import api_token_check

REALM = "Partnerportal API"


class TokenRefused(AuthenticationError):
    """A token was sent and is worth nothing (401)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(401, message)
        self.code = code


class NotPermitted(AuthorizationError):
    """The token is genuine; its holder may not do this (403)."""

    def __init__(self, message: str, *, code: str = "not_permitted") -> None:
        super().__init__(403, message)
        self.code = code


class TooManyFailedAttempts(Throttled):
    """Too many refused tokens from one address (429)."""


def _refusal(problem: str) -> TokenRefused:
    messages = {
        "revoked": _("This API token has been revoked. Create a new one on your account page."),
        "expired": _("This API token has expired. Create a new one on your account page."),
    }
    return TokenRefused(
        messages.get(problem, _("This API token is not valid.")),
        code=f"token_{problem}" if problem in messages else "token_invalid",
    )


class FailedAttempts(SimpleRateThrottle):
    """Refused tokens per client address in a sliding window, in the shared cache (so the count
    holds across processes and app servers). Keeps nothing on the instance: one serves every
    thread. The rate is read per request (API_TOKEN_FAILURE_RATE), as core.throttling does."""

    scope = "api-token-failures"

    def __init__(self) -> None:  # the rate is read per request
        pass

    def _window(self, request: HttpRequest) -> tuple[str, int, int, float, list[float]]:
        count, seconds = self.parse_rate(settings.API_TOKEN_FAILURE_RATE)
        ident = self.get_ident(request) or "unknown"
        key = self.cache_format % {"scope": self.scope, "ident": ident}
        now = self.timer()
        history = [t for t in cache.get(key, []) if t > now - seconds]
        return key, count, seconds, now, history

    def wait(self, request: HttpRequest) -> float | None:
        """Seconds until this address may try again, or None if it may now."""
        _key, count, seconds, now, history = self._window(request)
        if len(history) < count:
            return None
        return max(1.0, seconds - (now - min(history)))

    def record(self, request: HttpRequest) -> None:
        key, _count, seconds, now, history = self._window(request)
        cache.set(key, [now, *history], seconds)


failed_attempts = FailedAttempts()


class ApiTokenAuth(HttpBearer):
    """Bearer authentication with a Partnerportal API token; `permission(user) -> bool` is the
    endpoint's own rule (e.g. a `can_<verb>_<noun>` of its app), asked once the holder is known."""

    openapi_bearerFormat = "pp_…"
    openapi_description = (
        "An API token of an agency staff member, made on their account page (Mein Konto → "
        "API-Tokens) or with `partnerportal api_token EMAIL`, sent as `Authorization: Bearer "
        "<token>`. It acts with its holder's permissions. 401: missing, unknown, revoked or "
        "expired token; 403: the holder may not do this; 429: too many refused tokens from "
        "the caller's address."
    )

    def __init__(self, permission: Callable[[Any], bool] | None = None) -> None:
        self.permission = permission
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any | None:
        value = request.headers.get(self.header) or ""
        scheme, _space, secret = value.partition(" ")
        if scheme.lower() != "bearer":
            return None  # nothing sent (or another scheme): "authentication required"
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        wait = failed_attempts.wait(request)
        if wait is not None:
            raise TooManyFailedAttempts(wait=wait)
        check = api_token_check(token)
        if check.problem == "not_permitted":
            raise NotPermitted(
                _("Your account may no longer use API tokens: they are for agency staff.")
            )
        if not check.ok:
            failed_attempts.record(request)
            raise _refusal(check.problem)
        if self.permission is not None and not self.permission(check.user):
            raise NotPermitted(_("Your account may not do this."))
        request.user = check.user
        request.api_token = check.token
        return check.user


def handle_unauthenticated(
    request: HttpRequest, exc: AuthenticationError, *, api: NinjaAPI
) -> HttpResponse:
    """401 in the request's language, with the challenge of RFC 6750."""
    if isinstance(exc, TokenRefused):
        body = {"detail": exc.message, "code": exc.code}
        challenge = f'Bearer realm="{REALM}", error="invalid_token"'
    else:
        body = {
            "detail": _("Authentication required: send an API token as “Authorization: Bearer …”."),
            "code": "authentication_required",
        }
        challenge = f'Bearer realm="{REALM}"'
    response = api.create_response(request, body, status=401)
    response["WWW-Authenticate"] = challenge
    return response


def handle_forbidden(
    request: HttpRequest, exc: AuthorizationError, *, api: NinjaAPI
) -> HttpResponse:
    code = getattr(exc, "code", "not_permitted")
    message = exc.message if isinstance(exc, NotPermitted) else _("Your account may not do this.")
    return api.create_response(request, {"detail": message, "code": code}, status=403)


def handle_too_many_failed(
    request: HttpRequest, exc: TooManyFailedAttempts, *, api: NinjaAPI
) -> HttpResponse:
    seconds = math.ceil(exc.wait) if exc.wait is not None else 60
    response = api.create_response(
        request,
        {
            "detail": _(
                "Too many refused API tokens from your address. Try again in %(seconds)s seconds."
            )
            % {"seconds": seconds},
            "code": "too_many_failed_attempts",
            "retry_after": seconds,
        },
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def handlers_register(api: NinjaAPI) -> None:
    """The answers above for every router of `api` (called once in api.api)."""
    from functools import partial

    api.add_exception_handler(AuthenticationError, partial(handle_unauthenticated, api=api))
    api.add_exception_handler(AuthorizationError, partial(handle_forbidden, api=api))
    api.add_exception_handler(TooManyFailedAttempts, partial(handle_too_many_failed, api=api))
