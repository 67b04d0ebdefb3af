"""A change version kept in the shared cache: one small mechanism for every "cached until the
data changes" in the project (the registry's, which the atlas, the statistics and the API's ETags
follow; the page layout's, which the footer links follow).

The version is a moment (seconds since the epoch, UTC) that only grows. A write marks it changed
once its transaction commits, so a rolled-back change invalidates nothing and a reader never
caches data older than the version it read. It lives in the shared cache, so every app server
sees a change at once. If the cache loses the entry, the version restarts at "now", which is later
than anything handed out before: readers refetch once rather than see stale data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import transaction

#: Keep a version far longer than anything cached under it.
VERSION_TIMEOUT = 60 * 60 * 24 * 30


@dataclass(frozen=True)
class ChangeVersion:
    """The change version stored under `key` in the default cache."""

    key: str

    def current(self) -> float:
        """A number that grows whenever the data changes."""
        version = cache.get(self.key)
        if version is None:
            version = datetime.now(UTC).timestamp()
            if not cache.add(self.key, version, VERSION_TIMEOUT):
                version = cache.get(self.key) or version
        return version

    def changed(self) -> None:
        """Mark the data as changed once the current transaction commits (at once outside one)."""
        transaction.on_commit(self.bump, robust=True)

    def bump(self) -> None:
        now = datetime.now(UTC).timestamp()
        previous = cache.get(self.key) or 0.0
        # Two app servers writing in the same microsecond must still move the version forward.
        cache.set(self.key, max(now, previous + 1e-6), VERSION_TIMEOUT)

    def last_modified(self, version: float | None = None) -> datetime:
        """The version (read now unless given) as a moment, for Last-Modified headers (whole
        seconds, rounded up)."""
        if version is None:
            version = self.current()
        return datetime.fromtimestamp(int(version) + (version % 1 > 0), tz=UTC)
