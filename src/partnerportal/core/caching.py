"""ETag and Last-Modified for the API's reads and the atlas's pages, from a change version.

The app that owns the data registers its version here (the registry, in its AppConfig.ready:
`change_version_register`), so that core does not import it. The version (registry/changes.py)
moves whenever the registry changes, so an answer stays valid until then: a client that sends
If-None-Match (or If-Modified-Since) gets 304 without the database being asked. The ETag hashes
the version, the software version and the full address with its query, so two URLs never share
one; the answers do not depend on the caller's language or login, so nothing else goes into
it. The site's downloads of the list use the same."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from partnerportal import __version__

_SOURCE: dict[str, Callable] = {}


def change_version_register(
    *, version: Callable[[], float], last_modified: Callable[[float], datetime]
) -> None:
    """Let the app that owns the data say what its change version is and when it last changed
    (called from its ready())."""
    _SOURCE["version"] = version
    _SOURCE["last_modified"] = last_modified


def change_version() -> float:
    return _SOURCE["version"]()


def _last_modified(version: float) -> datetime:
    return _SOURCE["last_modified"](version)


def etag_for(request: HttpRequest, version: float | None = None) -> str:
    """The answer's identity: software, registry version and the full address (with the host:
    the exports write absolute page addresses; with the /de/ or /en/ prefix: the atlas answers
    in the reader's language). Within `conditional` the ETag is kept on the request."""
    known = getattr(request, "registry_etag", None)
    if known is not None:
        return known
    if version is None:
        version = change_version()
    key = f"{__version__}|{version!r}|{request.build_absolute_uri()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def conditional(
    view: Callable[..., HttpResponseBase] | None = None, *, max_age: int | None = None
) -> Callable:
    """Django's `condition` with the change version as ETag and Last-Modified: a matching
    If-None-Match/If-Modified-Since gets 304 without the view being run. 200 and 304 answers
    also say "no-cache" (a cache may keep the answer, but must revalidate it), or allow
    `max_age` seconds of public reuse before revalidating (the atlas's map answers). The version
    is read once per request."""
    if view is None:
        return lambda function: conditional(function, max_age=max_age)

    def version(request: HttpRequest) -> float:
        if not hasattr(request, "change_version"):
            request.change_version = change_version()
        return request.change_version

    def etag(request: HttpRequest, *args, **kwargs) -> str | None:
        if request.method not in ("GET", "HEAD"):
            return None
        request.registry_etag = etag_for(request, version(request))
        return request.registry_etag

    def last_modified(request: HttpRequest, *args, **kwargs) -> datetime | None:
        if request.method not in ("GET", "HEAD"):
            return None
        return _last_modified(version(request))

    checked = condition(etag_func=etag, last_modified_func=last_modified)(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = checked(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return response
        if response.status_code not in (200, 304):
            # An error (400, 404, 429) is no version of the resource: no validators, so that
            # neither a cache nor a client keeps it as one.
            del response["ETag"]
            del response["Last-Modified"]
            return response
        if max_age is None:
            patch_cache_control(response, no_cache=True)
        else:
            patch_cache_control(response, public=True, max_age=max_age)
        return response

    return wrapper
