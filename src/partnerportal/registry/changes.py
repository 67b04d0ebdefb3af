"""When the registry last changed, kept in the shared cache.

The atlas caches its clusters and statistics under this version, and the API answers
ETag/Last-Modified from it, so a change anywhere in the registry (a save, a delete, an import)
makes every cached view stale at once, on every app server. Signals catch single saves; bulk
writes (the importers) call `registry_changed()` themselves. If the cache loses the entry, the
version restarts at "now", which is later than anything handed out before: callers refetch once
rather than see stale data.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "registry:changed-at"
#: Keep the version far longer than anything cached under it.
VERSION_TIMEOUT = 60 * 60 * 24 * 30


def registry_changed() -> None:
    """Mark the registry as changed once the current transaction commits."""
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    now = datetime.now(UTC).timestamp()
    previous = cache.get(VERSION_KEY) or 0.0
    # Two app servers writing in the same microsecond must still move the version forward.
    cache.set(VERSION_KEY, max(now, previous + 1e-6), VERSION_TIMEOUT)


def registry_version() -> float:
    """A number that grows whenever the registry changes (seconds since the epoch, UTC)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = datetime.now(UTC).timestamp()
        if not cache.add(VERSION_KEY, version, VERSION_TIMEOUT):
            version = cache.get(VERSION_KEY) or version
    return version


def registry_last_modified(version: float | None = None) -> datetime:
    """The version (read now unless given) as a moment, for Last-Modified headers (whole
    seconds, rounded up)."""
    if version is None:
        version = registry_version()
    return datetime.fromtimestamp(int(version) + (version % 1 > 0), tz=UTC)
