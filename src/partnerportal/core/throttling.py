"""Rate limits of the API and of the atlas's downloads: anonymous callers per address
(API_ANON_RATE), logged-in people per account (API_USER_RATE), counted in Django's shared cache
so the limit holds across processes and app servers. A caller over the limit gets a JSON 429
with Retry-After."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from ninja import NinjaAPI, Schema
from ninja.errors import Throttled
from ninja.throttling import SimpleRateThrottle


class _SettingRate(SimpleRateThrottle):
    """The rate is read from settings on every request rather than once at import, so that
    tests and a changed environment take effect without a new process."""

    setting = ""

    def __init__(self) -> None:  # the rate is parsed per request, in allow_request
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def wait(self) -> float:
        """Seconds until the oldest counted request leaves the window: then one more is allowed.
        Always a number, so that every 429 carries Retry-After."""
        if not getattr(self, "history", None):
            return float(self.duration or 1)
        return max(1.0, self.duration - (self.now - self.history[-1]))


def _is_authenticated(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class AnonymousRate(_SettingRate):
    scope = "api-anon"
    setting = "API_ANON_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _is_authenticated(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRate(_SettingRate):
    scope = "api-user"
    setting = "API_USER_RATE"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if not _is_authenticated(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class AddressRate(_SettingRate):
    """Per client address, logged in or not: for forms anyone may send (registrations, contact
    requests), which are the first thing a script floods. Subclasses name `scope` and the
    `setting` that holds the rate."""

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ThrottledOut(Schema):
    detail: str
    retry_after: int


def handle_throttled(request: HttpRequest, exc: Throttled, *, api: NinjaAPI) -> HttpResponse:
    """The body says what happened and when to try again; ninja adds the Retry-After header
    from the same wait."""
    seconds = math.ceil(exc.wait) if exc.wait is not None else 60
    return api.create_response(
        request,
        {
            "detail": (
                f"Too many requests. Try again in {seconds} seconds, or log in for a higher "
                "limit. Conditional requests (If-None-Match) answered 304 do not count."
            ),
            "retry_after": seconds,
        },
        status=429,
    )


def page_rate_limited(scope: str, message: Callable[[int], str]) -> Callable:
    """The API's limits (API_ANON_RATE per address, API_USER_RATE per account) for an HTML
    view, in counters of their own (`scope`-anon, `scope`-user): a page that costs what an API
    call costs (the search) is no way around the API's limit. Over it: the 429 page with
    `message(seconds)` and Retry-After."""

    class _Anonymous(AnonymousRate):
        pass

    class _User(UserRate):
        pass

    _Anonymous.scope = f"{scope}-anon"
    _User.scope = f"{scope}-user"

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
            for throttle in (_Anonymous(), _User()):
                if not throttle.allow_request(request):
                    seconds = math.ceil(throttle.wait())
                    response = render(
                        request, "429.html", {"message": message(seconds)}, status=429
                    )
                    response["Retry-After"] = str(seconds)
                    return response
            return view(request, *args, **kwargs)

        return limited

    return decorate
