"""ETag and Last-Modified for the API's reads, from the registry's change version.

The version (registry/changes.py) moves whenever the registry changes, so an answer stays valid
until then: a client that sends If-None-Match (or If-Modified-Since) gets 304 without the
database being asked. The ETag hashes the version, the software version and the full address
with its query, so two URLs never share one; the answers do not depend on the caller's language
or login, so nothing else goes into it. The site's downloads of the list use the same."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from partnerportal import __version__
from partnerportal.registry.changes import registry_last_modified, registry_version


def etag_for(request: HttpRequest) -> str:
    """The answer's identity: software, registry version and the full address (with the host:
    the exports write absolute page addresses)."""
    key = f"{__version__}|{registry_version()!r}|{request.build_absolute_uri()}"
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def conditional(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Answer 304 to a matching If-None-Match/If-Modified-Since; stamp 200 answers with ETag,
    Last-Modified and "no-cache" (a cache may keep the answer, but must revalidate it)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = etag_for(request)
        modified_at = int(registry_last_modified().timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=modified_at)
        if response is None:
            response = view(request, *args, **kwargs)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            response["Last-Modified"] = http_date(modified_at)
            patch_cache_control(response, no_cache=True)
        return response

    return wrapper
